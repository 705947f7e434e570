"""Project-group pages for questionnaires (with the side-by-side response overview and its
exports) and one-to-one meeting rounds. Same blueprint as `group_views`."""

from __future__ import annotations

import uuid
from datetime import timedelta

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _

from core.db import db
from core.dialogue import exports, meetings, question_builder, questionnaires, response_table
from core.dialogue.forms import integer, local_datetime, local_input
from core.dialogue.group_views import _back, bp
from core.errors import NotFound
from core.i18n import _l, localtime
from core.web.forms import FormErrors, attempt
from core.web.urls import url_per_id


def _questionnaires_page(procurement_id: uuid.UUID, errors: dict, status: int = 200, form=None,
                         builder=None, focus=None, summary=()):
    who, items = questionnaires.list_questionnaires(procurement_id)
    suggested = questionnaires.suggested_questions(who.procurement)
    chosen = set(form.getlist("suggested")) if form is not None else set()
    return render_template("dialogue/group/questionnaires.html", items=items, suggested=suggested, errors=errors,
                           form=form or {}, chosen=chosen, builder=builder or [question_builder.blank()],
                           focus=focus, summary=summary, pid=procurement_id, procurement=who.procurement), status


@bp.get("/questionnaires")
def questionnaires_page(procurement_id: uuid.UUID):
    return _questionnaires_page(procurement_id, {})


@bp.post("/questionnaires")
def create_questionnaire(procurement_id: uuid.UUID):
    """The new-questionnaire form: an editing button shows the form again, `save` creates it."""
    f = request.form
    builder = question_builder.read(f)
    step = question_builder.rearrange(f.get("action", "save"), builder)
    if step is not None:
        return _questionnaires_page(procurement_id, {}, 200, f, step.items, step.focus)
    who, _items = questionnaires.list_questionnaires(procurement_id)
    suggested = questionnaires.suggested_questions(who.procurement)
    chosen = []
    for value in f.getlist("suggested"):
        index = integer(value)
        if index is not None and 0 <= index < len(suggested):
            chosen.append(suggested[index])
    own, rows = question_builder.to_save(builder)
    _q, errors = attempt(lambda: questionnaires.create_questionnaire(
        procurement_id, title=f.get("title", ""), intro=f.get("intro", ""),
        deadline=local_datetime(f.get("deadline")), questions=chosen + own, open_now=f.get("open_now") == "on"))
    if errors:
        summary = question_builder.place_errors(errors, builder, rows, offset=len(chosen))
        return _questionnaires_page(procurement_id, errors, errors.status, f, builder, summary=summary)
    return _back("dialogue.questionnaires_page", procurement_id, _("Saved."))


def _questionnaire(procurement_id: uuid.UUID, questionnaire_id: uuid.UUID):
    who, questionnaire = questionnaires.get_questionnaire(questionnaire_id)
    if questionnaire.procurement_id != procurement_id or who.group is None:
        raise NotFound(_l("No such questionnaire."))
    return questionnaire


def _detail_page(procurement_id, questionnaire_id, errors: dict, status: int = 200, form=None,
                 builder=None, focus=None, summary=()):
    questionnaire = _questionnaire(procurement_id, questionnaire_id)
    edit = form or {"title": questionnaire.title, "intro": questionnaire.intro,
                    "deadline": local_input(questionnaire.deadline), "version": questionnaire.version}
    if builder is None:
        builder = question_builder.from_questions(questionnaire.questions)
    return render_template("dialogue/group/questionnaire.html", questionnaire=questionnaire, errors=errors,
                           deadline_value=local_input(questionnaire.deadline), edit=edit, builder=builder,
                           focus=focus, summary=summary, editing=form is not None,
                           pid=procurement_id), status


@bp.get("/questionnaires/<uuid:questionnaire_id>")
def questionnaire_page(procurement_id: uuid.UUID, questionnaire_id: uuid.UUID):
    return _detail_page(procurement_id, questionnaire_id, {})


@bp.post("/questionnaires/<uuid:questionnaire_id>/open")
def open_questionnaire(procurement_id: uuid.UUID, questionnaire_id: uuid.UUID):
    _questionnaire(procurement_id, questionnaire_id)
    _q, errors = attempt(lambda: questionnaires.open_questionnaire(questionnaire_id))
    if errors:
        return _detail_page(procurement_id, questionnaire_id, errors, errors.status)
    return _back("dialogue.questionnaire_page", procurement_id, _("Saved."), questionnaire_id=questionnaire_id)


@bp.post("/questionnaires/<uuid:questionnaire_id>/edit")
def edit_questionnaire(procurement_id: uuid.UUID, questionnaire_id: uuid.UUID):
    """The draft's edit form: an editing button shows it again, `save` saves (the service refuses
    changes to an opened questionnaire)."""
    _questionnaire(procurement_id, questionnaire_id)
    f = request.form
    builder = question_builder.read(f)
    step = question_builder.rearrange(f.get("action", "save"), builder)
    if step is not None:
        return _detail_page(procurement_id, questionnaire_id, {}, 200, f, step.items, step.focus)
    items, rows = question_builder.to_save(builder)
    deadline = local_datetime(f.get("deadline"))
    version = integer(f.get("version"))
    _q, errors = attempt(lambda: questionnaires.update_questionnaire(
        questionnaire_id, title=f.get("title", ""), intro=f.get("intro", ""), questions=items,
        deadline=deadline if deadline is not None else "",  # empty or unreadable: "A deadline is required."
        expected_version=version if version is not None else -1))
    if errors:
        summary = question_builder.place_errors(errors, builder, rows)
        return _detail_page(procurement_id, questionnaire_id, errors, errors.status, f, builder, summary=summary)
    return _back("dialogue.questionnaire_page", procurement_id, _("The draft is saved."),
                 questionnaire_id=questionnaire_id)


@bp.post("/questionnaires/<uuid:questionnaire_id>/deadline")
def move_deadline(procurement_id: uuid.UUID, questionnaire_id: uuid.UUID):
    _questionnaire(procurement_id, questionnaire_id)
    deadline = local_datetime(request.form.get("deadline"))
    _q, errors = attempt(lambda: questionnaires.move_deadline(questionnaire_id, deadline))
    if errors:
        return _detail_page(procurement_id, questionnaire_id, errors, errors.status)
    return _back("dialogue.questionnaire_page", procurement_id, _("Saved."), questionnaire_id=questionnaire_id)


def _responses_page(procurement_id: uuid.UUID, questionnaire_id: uuid.UUID, errors: dict, status: int = 200):
    """The side-by-side table as plain rows (`response_table`); each URL kind built once with
    `url_for` and completed per row, each time formatted once per distinct minute."""
    table = response_table.response_table(questionnaire_id)
    if table.procurement_id != procurement_id:
        raise NotFound(_l("No such questionnaire."))
    export = url_for("dialogue.export", procurement_id=procurement_id, questionnaire_id=questionnaire_id, fmt="csv")
    links = {f"{fmt}-{variant}": f"{export[:-3]}{fmt}?variant={variant}"
             for fmt in ("csv", "xlsx") for variant in ("internal", "external")}
    file_url = url_per_id("dialogue.download", "file_id", procurement_id=procurement_id)
    times: dict = {}
    for column in table.columns:
        at = column.submitted_at
        minute = at.replace(second=0, microsecond=0) if at is not None else None
        if minute not in times:
            times[minute] = localtime(at)
        column.label = times[minute]
    return render_template("dialogue/group/responses.html", table=table, pid=procurement_id, errors=errors,
                           links=links, file_url=file_url), status


@bp.get("/questionnaires/<uuid:questionnaire_id>/responses")
def responses_page(procurement_id: uuid.UUID, questionnaire_id: uuid.UUID):
    return _responses_page(procurement_id, questionnaire_id, {})


@bp.get("/questionnaires/<uuid:questionnaire_id>/export.<fmt>")
def export(procurement_id: uuid.UUID, questionnaire_id: uuid.UUID, fmt: str):
    variant = request.args.get("variant")
    internal, errors = attempt(lambda: exports.internal_variant(variant))
    if errors:  # the responses page, with the export links and why this one was refused
        errors = FormErrors(form=errors["form"])  # no field on this page: the sentence names the allowed values
        return _responses_page(procurement_id, questionnaire_id, errors, 422)
    if fmt == "xlsx":
        name, body = exports.export_xlsx(questionnaire_id, internal=internal, procurement_id=procurement_id)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "csv":
        name, body = exports.export_csv(questionnaire_id, internal=internal, procurement_id=procurement_id)
        mimetype = "text/csv"
    else:
        raise NotFound(_l("No such export."))
    db.session.commit()  # the export is on the record
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"',
                                                      "Cache-Control": "private, no-store"})


# --- one-to-one meetings -------------------------------------------------------------------

def _meetings_page(procurement_id: uuid.UUID, errors: dict, status: int = 200, form=None):
    view = meetings.list_slots(procurement_id)
    return render_template("dialogue/group/meetings.html", view=view, errors=errors, form=form or {},
                           pid=procurement_id), status


@bp.get("/meetings")
def meetings_page(procurement_id: uuid.UUID):
    return _meetings_page(procurement_id, {})


@bp.post("/meetings")
def create_round(procurement_id: uuid.UUID):
    f = request.form
    minutes = integer(f.get("slot_minutes"), 0)
    first = local_datetime(f.get("first_start"))
    count, gap = integer(f.get("count"), 0), integer(f.get("gap_minutes"), 0)
    starts = []
    if first and minutes and minutes > 0 and count and 0 < count <= meetings.MAX_SLOTS and gap is not None and gap >= 0:
        starts = [first + timedelta(minutes=i * (minutes + gap)) for i in range(count)]
    _r, errors = attempt(lambda: meetings.create_round(
        procurement_id, title=f.get("title", ""), agenda=f.get("agenda", ""), slot_minutes=minutes, starts=starts,
        cutoff=local_datetime(f.get("cutoff")), place=f.get("place", ""), online_link=f.get("online_link", ""),
        bookings_per_supplier=integer(f.get("bookings_per_supplier"), 1)))
    if errors:
        return _meetings_page(procurement_id, errors, errors.status, f)
    return _back("dialogue.meetings_page", procurement_id, _("Saved."))


@bp.post("/meetings/rounds/<uuid:round_id>/open")
def open_round(procurement_id: uuid.UUID, round_id: uuid.UUID):
    _r, errors = attempt(lambda: meetings.open_round(round_id))
    if errors:
        return _meetings_page(procurement_id, errors, errors.status)
    return _back("dialogue.meetings_page", procurement_id, _("Saved."))


@bp.post("/meetings/rounds/<uuid:round_id>/allow")
def allow_bookings(procurement_id: uuid.UUID, round_id: uuid.UUID):
    per_supplier = integer(request.form.get("bookings_per_supplier"), 1)
    _r, errors = attempt(lambda: meetings.allow_bookings(round_id, per_supplier))
    if errors:
        return _meetings_page(procurement_id, errors, errors.status)
    return _back("dialogue.meetings_page", procurement_id, _("Saved."))


def _cancel_page(procurement_id, slot_id, errors: dict, status: int = 200, reason: str = ""):
    booking = meetings.booking_to_cancel(slot_id)
    if booking.procurement_id != procurement_id:
        raise NotFound(_l("No such meeting."))
    return render_template("dialogue/group/cancel_booking.html", booking=booking, errors=errors, reason=reason,
                           pid=procurement_id), status


@bp.get("/meetings/<uuid:slot_id>/cancel")
def cancel_booking_page(procurement_id: uuid.UUID, slot_id: uuid.UUID):
    """Confirmation before cancelling a supplier's meeting (it cannot be undone)."""
    return _cancel_page(procurement_id, slot_id, {})


@bp.post("/meetings/<uuid:slot_id>/cancel")
def cancel_booking(procurement_id: uuid.UUID, slot_id: uuid.UUID):
    _cancel_page(procurement_id, slot_id, {})  # 404 unless this procurement's booked slot
    reason = request.form.get("reason", "")
    _s, errors = attempt(lambda: meetings.cancel_for_supplier(slot_id, reason=reason))
    if errors:
        return _cancel_page(procurement_id, slot_id, errors, errors.status, reason)
    return _back("dialogue.meetings_page", procurement_id,
                 _("The meeting is cancelled and the supplier is told. The slot is free for every supplier again."))


def _minutes_page(procurement_id, slot_id, errors: dict, status: int = 200, text: str | None = None):
    booking = meetings.read_minutes(slot_id)
    if booking.procurement_id != procurement_id:
        raise NotFound(_l("No such meeting."))
    return render_template("dialogue/group/minutes.html", booking=booking, errors=errors,
                           text=booking.minutes if text is None else text, pid=procurement_id), status


@bp.get("/meetings/<uuid:slot_id>/minutes")
def minutes_page(procurement_id: uuid.UUID, slot_id: uuid.UUID):
    return _minutes_page(procurement_id, slot_id, {})


@bp.post("/meetings/<uuid:slot_id>/minutes")
def write_minutes(procurement_id: uuid.UUID, slot_id: uuid.UUID):
    text = request.form.get("minutes", "")
    _b, errors = attempt(lambda: meetings.write_minutes(slot_id, text))
    if errors:
        return _minutes_page(procurement_id, slot_id, errors, errors.status, text)
    return _back("dialogue.minutes_page", procurement_id, _("Saved."), slot_id=slot_id)
