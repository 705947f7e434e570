"""Suppliers registering in a market dialogue, and their places at the dialogue conference.

Conference capacity counts persons. Places are claimed with a conditional UPDATE of the
conference's counter (`… WHERE confirmed_attendees + n <= capacity`), so concurrent
registrations can never overbook; whoever does not fit goes on the waiting list, which is
promoted strictly first-come-first-served when places free up.

Sign-ups for one conference are serialised: each locks the conference row
(`core.db.lock_for_write`) before reading its registration or the queue, and takes its queue
time only once it holds the lock. One lock per conference rather than per registration,
because the queue's order is a fact about the whole conference. So six simultaneous sign-ups
by one supplier change one registration once (the others find it already confirmed), and two
parties of different sizes arriving together are queued in the order they got the lock: a
later, smaller party can never slip past an earlier one that waits.
"""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError

from core import audit, isolation
from core.db import UTCDateTime, db, lock_for_write, utcnow
from core.deadlines import RowDeadline
from core.dialogue.audience import registered_supplier_people
from core.dialogue.models import ConferenceStatus, DialogueConference, DialogueRegistration
from core.dialogue.rules import group_reads, registration_of, supplier_writes
from core.errors import Conflict, DeadlinePassed, NotFound, ValidationError
from core.i18n import _l
from core.notifications.service import notify
from core.pagination import Page, keyset_page

MAX_ATTENDEES = 20


def register(procurement_id: uuid.UUID) -> tuple[DialogueRegistration, bool]:
    """Register the caller's supplier in the dialogue; returns (registration, created)."""
    actor = supplier_writes(procurement_id, registered=False)
    if actor.registration is not None:
        return actor.registration, False
    registration = DialogueRegistration(id=uuid.uuid4(), procurement_id=procurement_id,
                                        supplier_id=actor.supplier_id, registered_by_id=actor.context.user.id)
    db.session.add(registration)
    try:
        db.session.flush()
    except IntegrityError:  # a colleague registered at the same moment; nothing else was written
        db.session.rollback()
        existing = registration_of(procurement_id, actor.supplier_id)
        if existing is None:
            raise
        return existing, False
    audit.record("dialogue.registered", "dialogue_registration", registration.id,
                 tenant_id=actor.procurement.lead_tenant_id, procurement_id=procurement_id,
                 changes={"after": {"supplier": actor.context.name, "org_number": actor.context.org_number}})
    title = actor.procurement.title
    notify(registered_supplier_people(procurement_id, actor.supplier_id),
           lambda: _("You are registered in the market dialogue %(title)s", title=title),
           lambda: _("Your organisation is registered in the market dialogue \"%(title)s\". You will "
                     "receive the same information as every other registered supplier.", title=title))
    return registration, True


def list_registrations(procurement_id: uuid.UUID, cursor: str | None = None, limit: int = 50) -> Page:
    """Registered suppliers, oldest first (project group)."""
    group_reads(procurement_id)
    stmt = select(DialogueRegistration).where(DialogueRegistration.procurement_id == procurement_id)
    return keyset_page(stmt, [(DialogueRegistration.created_at, False), (DialogueRegistration.id, False)],
                       limit=limit, cursor=cursor)


# --- conference places -------------------------------------------------------------------

def _claim(conference_id: uuid.UUID, persons: int) -> bool:
    # System scope: the counter is shared by all suppliers; the WHERE clause is the rule.
    with isolation.system_scope():
        result = db.session.execute(
            update(DialogueConference)
            .where(DialogueConference.id == conference_id,
                   or_(DialogueConference.capacity.is_(None),
                       DialogueConference.confirmed_attendees + persons <= DialogueConference.capacity))
            .values(confirmed_attendees=DialogueConference.confirmed_attendees + persons)
            .execution_options(synchronize_session=False))
    return result.rowcount == 1


def _release(conference_id: uuid.UUID, persons: int) -> None:
    with isolation.system_scope():
        db.session.execute(
            update(DialogueConference).where(DialogueConference.id == conference_id)
            .values(confirmed_attendees=DialogueConference.confirmed_attendees - persons)
            .execution_options(synchronize_session=False))


def promote_waiting_list(conference: DialogueConference) -> list[DialogueRegistration]:
    """Give freed places to the waiting list, first come first served (stops at the first
    registration that does not fit, so nobody jumps the queue)."""
    promoted = []
    with isolation.system_scope():  # the queue holds every supplier's registration
        waiting = db.session.execute(
            select(DialogueRegistration)
            .where(DialogueRegistration.procurement_id == conference.procurement_id,
                   DialogueRegistration.conference_status == ConferenceStatus.waiting)
            .order_by(DialogueRegistration.conference_registered_at, DialogueRegistration.id)).scalars().all()
        for registration in waiting:
            if not _claim(conference.id, registration.conference_attendees):
                break
            registration.conference_status = ConferenceStatus.confirmed
            promoted.append(registration)
            audit.record("conference.promoted", "dialogue_registration", registration.id,
                         tenant_id=None, procurement_id=conference.procurement_id,
                         changes={"after": {"supplier": registration.supplier.name,
                                            "attendees": registration.conference_attendees}})
        db.session.flush()
    db.session.expire(conference, ["confirmed_attendees"])
    title = conference.title
    for registration in promoted:
        notify(registered_supplier_people(conference.procurement_id, registration.supplier_id),
               lambda: _("You have a place at the dialogue conference"),
               lambda: _("A place became free: your registration for \"%(title)s\" is now confirmed.", title=title))
    return promoted


def _queue_exists(procurement_id: uuid.UUID) -> bool:
    """Whether anyone waits: then newcomers queue behind them, even if they would fit."""
    with isolation.system_scope():  # the queue holds every supplier's registration
        return db.session.execute(select(DialogueRegistration.id).where(
            DialogueRegistration.procurement_id == procurement_id,
            DialogueRegistration.conference_status == ConferenceStatus.waiting).limit(1)).first() is not None


def conference_of(procurement_id: uuid.UUID) -> DialogueConference | None:
    return db.session.execute(select(DialogueConference).where(
        DialogueConference.procurement_id == procurement_id)).scalar_one_or_none()


def _locked_sign_up(procurement_id: uuid.UUID,
                    supplier_id: uuid.UUID) -> tuple[DialogueConference | None, DialogueRegistration]:
    """The conference, locked, and the supplier's registration, both read afresh once the lock
    is held (every change to a registration's place goes through that lock)."""
    with isolation.system_scope():  # the conference row is shared by every supplier
        lock_for_write(DialogueConference, "procurement_id", procurement_id)
        conference = db.session.execute(
            select(DialogueConference).where(DialogueConference.procurement_id == procurement_id)
            .execution_options(populate_existing=True)).scalar_one_or_none()
    registration = db.session.execute(
        select(DialogueRegistration).where(DialogueRegistration.procurement_id == procurement_id,
                                           DialogueRegistration.supplier_id == supplier_id)
        .execution_options(populate_existing=True)).scalar_one()
    return conference, registration


# When the conference's sign-up closes, read again at commit: its registration deadline, or its
# start (the deadline is never after the start: validated).
_REGISTRATION_CLOSES = RowDeadline(
    func.coalesce(DialogueConference.registration_deadline, DialogueConference.starts_at, type_=UTCDateTime()),
    DialogueConference.id, "deadline_conference_id")


def attend_conference(procurement_id: uuid.UUID, attendees: int) -> DialogueRegistration:
    """Sign up `attendees` persons for the conference (0 cancels); waiting list when full."""
    actor = supplier_writes(procurement_id)
    conference, registration = _locked_sign_up(procurement_id, actor.supplier_id)
    if conference is None:
        raise NotFound(_l("There is no dialogue conference."))

    def closed() -> DeadlinePassed:
        return DeadlinePassed(_l("Registration for the conference has closed."),
                              errors={"attendees": [_l("Registration has closed.")]})

    now = utcnow()
    if now >= (conference.registration_deadline or conference.starts_at) or now >= conference.starts_at:
        raise closed()
    _REGISTRATION_CLOSES.refuse_after(db.session, conference.id, closed)
    if not isinstance(attendees, int) or not 0 <= attendees <= MAX_ATTENDEES:
        raise ValidationError(_l("Give the number of persons attending."),
                              errors={"attendees": [_l("A number from 0 to %(max)d.", max=MAX_ATTENDEES)]})
    before = {"status": registration.conference_status.value, "attendees": registration.conference_attendees}
    status, current = registration.conference_status, registration.conference_attendees
    freed = 0
    if attendees == 0:
        if status == ConferenceStatus.confirmed:
            _release(conference.id, current)
            freed = current
        registration.conference_status = ConferenceStatus.none
        registration.conference_registered_at = None
    elif status == ConferenceStatus.confirmed:
        if attendees > current and not _claim(conference.id, attendees - current):
            raise Conflict(_l("There are not enough free places for more persons."),
                           errors={"attendees": [_l("Not enough free places.")]})
        if attendees < current:
            _release(conference.id, current - attendees)
            freed = current - attendees
    elif status == ConferenceStatus.waiting:
        pass  # keeps its place in the queue with the new number
    else:
        confirmed = not _queue_exists(procurement_id) and _claim(conference.id, attendees)
        registration.conference_status = ConferenceStatus.confirmed if confirmed else ConferenceStatus.waiting
        registration.conference_registered_at = now
    registration.conference_attendees = attendees
    db.session.flush()
    audit.record("conference.registration_changed", "dialogue_registration", registration.id,
                 tenant_id=actor.procurement.lead_tenant_id, procurement_id=procurement_id,
                 changes=audit.diff(before, {"status": registration.conference_status.value,
                                             "attendees": attendees, "supplier": actor.context.name}))
    if freed or status == ConferenceStatus.waiting:
        promote_waiting_list(conference)
    db.session.refresh(registration)
    return registration
