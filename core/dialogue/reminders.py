"""Reminders before dialogue deadlines (run by `samspill reminders send`).

- questionnaire deadline: suppliers registered in the dialogue that have not submitted;
- conference registration deadline: registered suppliers not signed up for the conference;
- booking cut-off of an opened meeting round: registered suppliers without a booking in it;
- a booked one-to-one meeting: that supplier.

`passed_dialogue_deadlines` gives the same job the dialogue's deadlines that have passed, for
the plugins' `deadline_passed` (once each): a published questionnaire's response deadline
(`questionnaire`), the conference's registration deadline (`conference`; its start when it has
none) and an opened meeting round's booking cut-off (`meeting_round`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.db import db
from core.dialogue.audience import registered_supplier_people
from core.dialogue.models import (
    ConferenceStatus,
    DialogueConference,
    DialogueRegistration,
    MeetingBooking,
    MeetingRound,
    MeetingSlot,
    Questionnaire,
    QuestionnaireResponse,
    ResponseStatus,
)
from core.i18n import localtime
from core.notifications.reminders import PassedDeadline, Reminder, not_announced
from core.procurement.models import Phase, Procurement


def _people_except(procurement_id, supplier_ids_done: set) -> tuple:
    everyone = []
    registered = db.session.execute(select(DialogueRegistration.supplier_id).where(
        DialogueRegistration.procurement_id == procurement_id)).scalars().all()
    for supplier_id in registered:
        if supplier_id not in supplier_ids_done:
            everyone.extend(registered_supplier_people(procurement_id, supplier_id))
    return tuple(everyone)


def _live(stmt, model):
    return stmt.join(Procurement, Procurement.id == model.procurement_id).where(
        Procurement.dialogue_open.is_(True), Procurement.phase == Phase.dialogue)


def dialogue_reminders(now: datetime, horizon: timedelta) -> Iterator[Reminder]:
    """Runs in system scope (the reminder job acts for the platform)."""
    until = now + horizon
    for q in db.session.execute(_live(select(Questionnaire), Questionnaire).where(
            Questionnaire.opened_at.is_not(None), Questionnaire.deadline > now, Questionnaire.deadline <= until)
            ).scalars():
        done = set(db.session.execute(select(QuestionnaireResponse.supplier_id).where(
            QuestionnaireResponse.questionnaire_id == q.id,
            QuestionnaireResponse.status == ResponseStatus.submitted)).scalars())
        title, deadline = q.title, q.deadline
        yield Reminder(f"questionnaire:{q.id}:{deadline.isoformat()}", _people_except(q.procurement_id, done),
                       lambda title=title: _("Reminder: deadline for %(title)s", title=title),
                       lambda title=title, deadline=deadline: _(
                           "The deadline for \"%(title)s\" is %(deadline)s (Norwegian time). Responses cannot be "
                           "submitted or changed after the deadline.", title=title, deadline=localtime(deadline)))
    for c in db.session.execute(_live(select(DialogueConference), DialogueConference).where(
            DialogueConference.registration_deadline > now, DialogueConference.registration_deadline <= until)
            ).scalars():
        done = set(db.session.execute(select(DialogueRegistration.supplier_id).where(
            DialogueRegistration.procurement_id == c.procurement_id,
            DialogueRegistration.conference_status != ConferenceStatus.none)).scalars())
        deadline = c.registration_deadline
        yield Reminder(f"conference:{c.id}:{deadline.isoformat()}", _people_except(c.procurement_id, done),
                       lambda: _("Reminder: registration for the dialogue conference closes soon"),
                       lambda deadline=deadline: _("Registration for the dialogue conference closes %(deadline)s "
                                                   "(Norwegian time).", deadline=localtime(deadline)))
    for r in db.session.execute(_live(select(MeetingRound), MeetingRound).where(
            MeetingRound.opened_at.is_not(None), MeetingRound.cutoff > now, MeetingRound.cutoff <= until)).scalars():
        done = set(db.session.execute(select(MeetingBooking.supplier_id).where(
            MeetingBooking.round_id == r.id)).scalars())
        title, cutoff = r.title, r.cutoff
        yield Reminder(f"round:{r.id}:{cutoff.isoformat()}", _people_except(r.procurement_id, done),
                       lambda title=title: _("Reminder: book your one-to-one meeting (%(title)s)", title=title),
                       lambda cutoff=cutoff: _("Slots can be booked until %(cutoff)s (Norwegian time). Every "
                                               "registered supplier is offered the same slots.",
                                               cutoff=localtime(cutoff)))
    for b in db.session.execute(select(MeetingBooking).join(MeetingSlot, MeetingSlot.id == MeetingBooking.slot_id)
                                .where(MeetingSlot.starts_at > now, MeetingSlot.starts_at <= until)).scalars():
        start, title = b.slot.starts_at, b.slot.round.title
        yield Reminder(f"meeting:{b.id}:{start.isoformat()}", tuple(registered_supplier_people(b.procurement_id,
                                                                                               b.supplier_id)),
                       lambda title=title: _("Reminder: one-to-one meeting (%(title)s)", title=title),
                       lambda start=start: _("Your one-to-one meeting starts %(start)s (Norwegian time).",
                                             start=localtime(start)))


def _passed(model, artefact_type: str, when, now: datetime, *conditions):
    """(artefact, procurement) rows of published dialogues whose `when` passed, not announced yet."""
    return db.session.execute(
        select(model, Procurement).join(Procurement, Procurement.id == model.procurement_id)
        .where(Procurement.dialogue_open.is_(True), when <= now, not_announced(artefact_type, model.id, when),
               *conditions)
        .order_by(when, model.id)).all()


def passed_dialogue_deadlines(now: datetime) -> Iterator[PassedDeadline]:
    """Deadlines of published dialogues at or before `now` not announced yet (system scope)."""
    for q, p in _passed(Questionnaire, "questionnaire", Questionnaire.deadline, now,
                        Questionnaire.opened_at.is_not(None)):
        yield PassedDeadline(p, q.deadline, "questionnaire", q)
    closes = func.coalesce(DialogueConference.registration_deadline, DialogueConference.starts_at)
    for c, p in _passed(DialogueConference, "conference", closes, now):
        yield PassedDeadline(p, c.registration_deadline or c.starts_at, "conference", c)
    for r, p in _passed(MeetingRound, "meeting_round", MeetingRound.cutoff, now, MeetingRound.opened_at.is_not(None)):
        yield PassedDeadline(p, r.cutoff, "meeting_round", r)
