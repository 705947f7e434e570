"""Supplier-portal pages of one market dialogue (/supplier/dialogues/<procurement>/…).

Every page reads through the dialogue services with `prefer_supplier=True`, so a person who is
also in a project group sees the supplier's view here, and the same rules as the API apply.
"""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.db import db
from core.dialogue import (
    attachments,
    calendar,
    conference,
    invitation,
    market,
    meetings,
    questionnaires,
    questions,
    registrations,
    responses,
)
from core.dialogue.forms import integer
from core.dialogue.models import QuestionKind
from core.dialogue.rules import supplier_reads
from core.errors import NotFound
from core.i18n import _l
from core.web.forms import attempt

bp = Blueprint("supplier_dialogue", __name__, url_prefix="/supplier/dialogues/<uuid:procurement_id>",
               template_folder="templates")


@bp.get("/")
def overview(procurement_id: uuid.UUID):
    dialogue = market.dialogue_for_supplier(procurement_id)
    text = invitation.public_invitation(dialogue.procurement).text
    return render_template("dialogue/supplier/overview.html", dialogue=dialogue, invitation_text=text, errors={})


@bp.post("/register")
def register(procurement_id: uuid.UUID):
    result, errors = attempt(lambda: registrations.register(procurement_id))
    if errors:
        dialogue = market.dialogue_for_supplier(procurement_id)
        return render_template("dialogue/supplier/overview.html", dialogue=dialogue, errors=errors,
                               invitation_text=invitation.public_invitation(dialogue.procurement).text), errors.status
    db.session.commit()
    flash(_("Your organisation is registered in the market dialogue."), "success")
    return redirect(url_for("supplier_dialogue.overview", procurement_id=procurement_id))


@bp.route("/conference", methods=["GET", "POST"])
def conference_page(procurement_id: uuid.UUID):
    errors: dict = {}
    if request.method == "POST":
        attendees = integer(request.form.get("attendees"), 0)
        _r, errors = attempt(lambda: registrations.attend_conference(procurement_id, attendees))
        if not errors:
            db.session.commit()
            flash(_("Your conference registration is saved."), "success")
            return redirect(url_for("supplier_dialogue.conference_page", procurement_id=procurement_id))
    view = conference.get_conference(procurement_id, prefer_supplier=True)
    return render_template("dialogue/supplier/conference.html", view=view, errors=errors), (
        errors.status if errors else 200)


@bp.route("/questions", methods=["GET", "POST"])
def questions_page(procurement_id: uuid.UUID):
    errors: dict = {}
    if request.method == "POST":
        _q, errors = attempt(lambda: questions.ask(procurement_id, request.form.get("text", "")))
        if not errors:
            db.session.commit()
            flash(_("Your question is sent. Only the project group sees it until it is answered."), "success")
            return redirect(url_for("supplier_dialogue.questions_page", procurement_id=procurement_id))
    qa = questions.overview(procurement_id, request.args.get("cursor"), 20, prefer_supplier=True)
    return render_template("dialogue/supplier/questions.html", qa=qa, errors=errors,
                           form=request.form), (errors.status if errors else 200)


@bp.get("/questionnaires")
def questionnaires_page(procurement_id: uuid.UUID):
    who, items = questionnaires.list_questionnaires(procurement_id, prefer_supplier=True)
    return render_template("dialogue/supplier/questionnaires.html", procurement=who.procurement, items=items)


def _answers_from_form(questionnaire) -> tuple[list[dict], dict]:
    answers, uploads = [], {}
    form = request.form
    for q in questionnaire.questions:
        key = f"q-{q.id}"
        if q.kind == QuestionKind.multichoice:
            value = form.getlist(key)
        elif q.kind == QuestionKind.attachment:
            value = form.getlist(f"keep-{q.id}")
            uploads[q.id] = [f for f in request.files.getlist(f"file-{q.id}") if f and f.filename]
        else:
            value = form.get(key)
        answers.append({"question_id": str(q.id), "value": value,
                        "business_secret": form.get(f"secret-{q.id}") == "on",
                        "secret_reason": form.get(f"reason-{q.id}", "")})
    return answers, uploads


@bp.route("/questionnaires/<uuid:questionnaire_id>", methods=["GET", "POST"])
def response_page(procurement_id: uuid.UUID, questionnaire_id: uuid.UUID):
    errors: dict = {}
    own = responses.my_response(questionnaire_id)
    if own.questionnaire.procurement_id != procurement_id:
        return redirect(url_for("supplier_dialogue.response_page", procurement_id=own.questionnaire.procurement_id,
                                questionnaire_id=questionnaire_id))
    if request.method == "POST":
        answers, uploads = _answers_from_form(own.questionnaire)
        submit = request.form.get("action") == "submit"
        version = integer(request.form.get("version"))
        _r, errors = attempt(lambda: responses.save_response(questionnaire_id, answers, submit=submit,
                                                             expected_version=version, uploads=uploads))
        if not errors:
            db.session.commit()
            flash(_("Your response is submitted.") if submit else _("Your draft is saved."), "success")
            return redirect(url_for("supplier_dialogue.response_page", procurement_id=procurement_id,
                                    questionnaire_id=questionnaire_id))
        own = responses.my_response(questionnaire_id)
    return render_template("dialogue/supplier/response.html", own=own, errors=errors,
                           posted=request.form if errors else None), (errors.status if errors else 200)


@bp.get("/meetings")
def meetings_page(procurement_id: uuid.UUID):
    view = meetings.list_slots(procurement_id, prefer_supplier=True)
    return render_template("dialogue/supplier/meetings.html", view=view, errors=_flash_errors())


def _flash_errors() -> dict:
    message = request.args.get("error")
    return {"form": [message]} if message else {}


@bp.post("/meetings/<uuid:slot_id>/book")
def book(procurement_id: uuid.UUID, slot_id: uuid.UUID):
    try:
        replacing = uuid.UUID(request.form["replacing"]) if request.form.get("replacing") else None
    except ValueError:  # not a slot id at all: like a slot the supplier has no booking on
        raise NotFound(_l("You have no booking on that slot.")) from None
    _b, errors = attempt(lambda: meetings.book(slot_id, replacing=replacing))
    return _after_meeting_action(procurement_id, errors, _("Your meeting is booked."))


@bp.post("/meetings/<uuid:slot_id>/cancel")
def cancel(procurement_id: uuid.UUID, slot_id: uuid.UUID):
    _c, errors = attempt(lambda: meetings.cancel(slot_id))
    return _after_meeting_action(procurement_id, errors, _("Your booking is cancelled."))


def _after_meeting_action(procurement_id: uuid.UUID, errors: dict, success: str):
    if errors:
        view = meetings.list_slots(procurement_id, prefer_supplier=True)
        return render_template("dialogue/supplier/meetings.html", view=view, errors=errors), errors.status
    db.session.commit()
    flash(success, "success")
    return redirect(url_for("supplier_dialogue.meetings_page", procurement_id=procurement_id))


@bp.get("/meetings/<uuid:slot_id>/minutes")
def meeting_minutes(procurement_id: uuid.UUID, slot_id: uuid.UUID):
    booking = meetings.read_minutes(slot_id, prefer_supplier=True)
    return render_template("dialogue/supplier/minutes.html", booking=booking, procurement_id=procurement_id)


@bp.get("/calendar.ics")
def calendar_ics(procurement_id: uuid.UUID):
    body = calendar.calendar_for(procurement_id, prefer_supplier=True)
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="dialogue.ics"'})


@bp.get("/files/<uuid:file_id>")
def download(procurement_id: uuid.UUID, file_id: uuid.UUID):
    supplier_reads(procurement_id)
    return attachments.download(file_id, prefer_supplier=True, procurement_id=procurement_id)
