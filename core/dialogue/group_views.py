"""Project-group pages of a procurement's market dialogue, inside the tenant space:
/t/<slug>/procurements/<procurement>/dialogue/… (invitation, registrations, conference, Q&A).

Every participant tenant's members reach the same dialogue here; what they may do follows
their procurement role (`core.procurement.access`), checked in the services.
"""

from __future__ import annotations

import uuid

from flask import Response, flash, json, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.db import db
from core.dialogue import attachments, calendar, conference, invitation, questions, registrations
from core.dialogue.forms import integer, local_datetime, local_input
from core.dialogue.rules import group_reads
from core.procurement.models import Procurement
from core.web.forms import attempt
from tenants.resolution import tenant_blueprint

bp = tenant_blueprint("dialogue", __name__, url_prefix="/procurements/<uuid:procurement_id>/dialogue",
                      template_folder="templates")


@bp.context_processor
def _breadcrumb():
    """The procurement for the breadcrumb back from every dialogue page. The page's service has
    already read it (and checked access), so this is the session's copy, not another query."""
    def dialogue_procurement():
        procurement_id = (request.view_args or {}).get("procurement_id")
        return db.session.get(Procurement, procurement_id) if procurement_id else None

    return {"dialogue_procurement": dialogue_procurement}


def _back(endpoint: str, procurement_id: uuid.UUID, message: str, **values):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, procurement_id=procurement_id, **values))


@bp.get("/")
def overview(procurement_id: uuid.UUID):
    return _overview(procurement_id, {})


def _overview(procurement_id: uuid.UUID, errors: dict, status: int = 200, text: str | None = None):
    view = invitation.get_invitation(procurement_id)
    page = registrations.list_registrations(procurement_id, request.args.get("cursor"), 50)
    return render_template("dialogue/group/overview.html", view=view, page=page, errors=errors,
                           text=text if text is not None else view.raw_text, pid=procurement_id), status


@bp.post("/invitation")
def save_invitation(procurement_id: uuid.UUID):
    text = request.form.get("text", "")
    _v, errors = attempt(lambda: invitation.save_invitation(procurement_id, text))
    if errors:
        return _overview(procurement_id, errors, errors.status, text)
    return _back("dialogue.overview", procurement_id, _("The invitation is saved."))


@bp.get("/invitation.txt")
def invitation_text(procurement_id: uuid.UUID):
    return Response(invitation.export_text(procurement_id), mimetype="text/plain",
                    headers={"Content-Disposition": 'attachment; filename="invitation.txt"'})


@bp.get("/invitation.json")
def invitation_json(procurement_id: uuid.UUID):
    return Response(json.dumps(invitation.export_json(procurement_id), ensure_ascii=False, indent=2),
                    mimetype="application/json",
                    headers={"Content-Disposition": 'attachment; filename="invitation.json"'})


@bp.post("/open")
def open_dialogue(procurement_id: uuid.UUID):
    _p, errors = attempt(lambda: invitation.open_dialogue(procurement_id))
    if errors:
        return _overview(procurement_id, errors, errors.status)
    return _back("dialogue.overview", procurement_id, _("The dialogue is open: suppliers can find it and register."))


# --- conference ----------------------------------------------------------------------------

def _conference_page(procurement_id: uuid.UUID, errors: dict, status: int = 200, form=None):
    view = conference.get_conference(procurement_id)
    c = view.conference
    values = form or ({
        "title": c.title, "starts_at": local_input(c.starts_at), "ends_at": local_input(c.ends_at),
        "place": c.place, "online_link": c.online_link, "agenda": c.agenda, "capacity": c.capacity or "",
        "registration_deadline": local_input(c.registration_deadline), "version": c.version,
    } if c else {})
    attendees = conference.conference_registrations(procurement_id) if c else []
    return render_template("dialogue/group/conference.html", view=view, values=values, errors=errors,
                           attendees=attendees, pid=procurement_id), status


@bp.get("/conference")
def conference_page(procurement_id: uuid.UUID):
    return _conference_page(procurement_id, {})


@bp.post("/conference")
def save_conference(procurement_id: uuid.UUID):
    f = request.form
    data = {"title": f.get("title", ""), "starts_at": local_datetime(f.get("starts_at")),
            "ends_at": local_datetime(f.get("ends_at")), "place": f.get("place", ""),
            "online_link": f.get("online_link", ""), "agenda": f.get("agenda", ""),
            "capacity": integer(f.get("capacity")),
            "registration_deadline": local_datetime(f.get("registration_deadline"))}
    version = integer(f.get("version"))
    _c, errors = attempt(lambda: conference.save_conference(procurement_id, data, expected_version=version))
    if errors:
        return _conference_page(procurement_id, errors, errors.status, f)
    return _back("dialogue.conference_page", procurement_id, _("The conference is saved."))


@bp.post("/conference/minutes")
def publish_minutes(procurement_id: uuid.UUID):
    _c, errors = attempt(lambda: conference.publish_minutes(procurement_id, request.form.get("minutes", "")))
    if errors:
        return _conference_page(procurement_id, errors, errors.status)
    return _back("dialogue.conference_page", procurement_id,
                 _("The minutes are published to every registered supplier."))


@bp.post("/conference/presentations")
def add_presentation(procurement_id: uuid.UUID):
    _a, errors = attempt(lambda: conference.add_presentation(procurement_id, request.files.get("file")))
    if errors:
        return _conference_page(procurement_id, errors, errors.status)
    return _back("dialogue.conference_page", procurement_id,
                 _("The presentation is available to registered suppliers."))


@bp.post("/conference/presentations/<uuid:file_id>/remove")
def remove_presentation(procurement_id: uuid.UUID, file_id: uuid.UUID):
    _a, errors = attempt(lambda: conference.remove_presentation(procurement_id, file_id))
    if errors:
        return _conference_page(procurement_id, errors, errors.status)
    return _back("dialogue.conference_page", procurement_id, _("The presentation is removed."))


# --- questions and answers -----------------------------------------------------------------

@bp.get("/questions")
def questions_page(procurement_id: uuid.UUID):
    qa = questions.overview(procurement_id, request.args.get("cursor"), 20)
    return render_template("dialogue/group/questions.html", qa=qa, pid=procurement_id)


def _answer_page(procurement_id: uuid.UUID, question_id: uuid.UUID, errors: dict, status: int = 200, form=None):
    question = questions.question_for_group(question_id)
    qa = questions.overview(procurement_id, None, 1)
    others = [q for q in qa.open_questions if q.id != question.id]
    return render_template("dialogue/group/answer.html", question=question, others=others, errors=errors,
                           form=form or {}, pid=procurement_id), status


@bp.get("/questions/<uuid:question_id>")
def answer_page(procurement_id: uuid.UUID, question_id: uuid.UUID):
    return _answer_page(procurement_id, question_id, {})


@bp.post("/questions/<uuid:question_id>")
def answer(procurement_id: uuid.UUID, question_id: uuid.UUID):
    f = request.form
    also = []
    for value in f.getlist("also"):
        try:
            also.append(uuid.UUID(value))
        except ValueError:
            continue
    wording = {}
    for qid in [question_id, *also]:
        if f.get(f"wording-{qid}"):
            wording[qid] = f.get(f"wording-{qid}")
    _a, errors = attempt(lambda: questions.answer(question_id, f.get("text", ""), also=also, published_wording=wording))
    if errors:
        return _answer_page(procurement_id, question_id, errors, errors.status, f)
    return _back("dialogue.questions_page", procurement_id,
                 _("The answer is published to every registered supplier, without the asker's name."))


def _correction_page(procurement_id: uuid.UUID, answer_id: uuid.UUID, errors: dict, status: int = 200, form=None):
    record = questions.answer_for_group(answer_id, procurement_id)
    values = form or {"text": record.text, "note": ""}
    return render_template("dialogue/group/correct_answer.html", record=record, errors=errors, form=values,
                           pid=procurement_id), status


@bp.get("/answers/<uuid:answer_id>/correct")
def correction_page(procurement_id: uuid.UUID, answer_id: uuid.UUID):
    return _correction_page(procurement_id, answer_id, {})


@bp.post("/answers/<uuid:answer_id>/correct")
def correct_answer(procurement_id: uuid.UUID, answer_id: uuid.UUID):
    questions.answer_for_group(answer_id, procurement_id)  # 404 unless this procurement's answer
    f = request.form
    _a, errors = attempt(lambda: questions.correct_answer(answer_id, f.get("text", ""), note=f.get("note", "")))
    if errors:
        return _correction_page(procurement_id, answer_id, errors, errors.status, f)
    return _back("dialogue.questions_page", procurement_id,
                 _("The corrected answer is published to every registered supplier, and they are told."))


# --- files and calendar --------------------------------------------------------------------

@bp.get("/files/<uuid:file_id>")
def download(procurement_id: uuid.UUID, file_id: uuid.UUID):
    group_reads(procurement_id)
    return attachments.download(file_id, procurement_id=procurement_id)


@bp.get("/calendar.ics")
def calendar_ics(procurement_id: uuid.UUID):
    return Response(calendar.calendar_for(procurement_id), mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="dialogue.ics"'})
