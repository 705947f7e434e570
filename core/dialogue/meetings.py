"""One-to-one meetings: rounds of equal slots, booking, cancelling, rebooking, minutes.

- Equal slots: a slot has no length of its own — it is the round's `slot_minutes` — and the
  agenda is the round's, so all slots of a round are equal by construction.
- A round opens to every registered supplier at the same moment (`opened_at`).
- Exactly one supplier gets a slot: booking flips `is_booked` with a conditional UPDATE
  (`… WHERE is_booked = false`) and the booking row is unique per slot.
- One booking per supplier per round, unless the buyer raises `bookings_per_supplier` for
  everyone: a booking takes the smallest free sequence number 1..n and (round, supplier, seq)
  is unique, so even concurrent double bookings by one supplier fail.
- Cancel and rebook until the round's cut-off. Minutes: project group writes, and only the
  project group and that supplier read them.
- A lead or member of the project group may cancel a supplier's meeting until it starts
  (`cancel_for_supplier`): the slot is free for everyone again and the supplier is told.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core import audit, isolation
from core.db import db, utcnow
from core.deadlines import RowDeadline
from core.dialogue.audience import registered_supplier_people
from core.dialogue.models import MeetingBooking, MeetingRound, MeetingSlot
from core.dialogue.rules import Reader, group_writes, reader, supplier_writes
from core.errors import Conflict, DeadlinePassed, Forbidden, NotFound, ValidationError
from core.i18n import _l, localtime
from core.notifications.service import notify
from core.procurement.models import ProjectRole

MAX_SLOTS = 200


def _validate_starts(starts: list[datetime], minutes: int) -> list[datetime]:
    if not starts or len(starts) > MAX_SLOTS or not all(isinstance(s, datetime) for s in starts):
        raise ValidationError(_l("Give the slots' start times."),
                              errors={"starts": [_l("1-%(max)d start times.", max=MAX_SLOTS)]})
    ordered = sorted(starts)
    if len(set(ordered)) != len(ordered):
        raise ValidationError(_l("Two slots start at the same time."),
                              errors={"starts": [_l("Start times must differ.")]})
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b < a + timedelta(minutes=minutes):
            raise ValidationError(_l("Slots overlap."), errors={"starts": [_l("Slots must not overlap.")]})
    if ordered[0] <= utcnow():
        raise ValidationError(_l("Slots must be in the future."), errors={"starts": [_l("Must be in the future.")]})
    return ordered


def create_round(procurement_id: uuid.UUID, *, title: str, slot_minutes: int, starts: list[datetime],
                 cutoff: datetime, agenda: str = "", place: str = "", online_link: str = "",
                 bookings_per_supplier: int = 1) -> MeetingRound:
    """A round of equal slots (not yet visible to suppliers until opened)."""
    access = group_writes(procurement_id)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title or len(title) > 300:
        errors["title"] = [_l("1-300 characters.")]
    if not isinstance(slot_minutes, int) or not 10 <= slot_minutes <= 480:
        errors["slot_minutes"] = [_l("10 to 480 minutes.")]
    if not isinstance(bookings_per_supplier, int) or not 1 <= bookings_per_supplier <= 10:
        errors["bookings_per_supplier"] = [_l("1 to 10.")]
    link = (online_link or "").strip()
    if link and not link.startswith(("https://", "http://")):
        errors["online_link"] = [_l("A web address starting with https://.")]
    if errors:
        raise ValidationError(_l("The meeting round is invalid."), errors=errors)
    ordered = _validate_starts(starts, slot_minutes)
    if not isinstance(cutoff, datetime) or cutoff > ordered[0]:
        raise ValidationError(_l("The cut-off must be before the first meeting."),
                              errors={"cutoff": [_l("Before the first meeting.")]})
    meeting_round = MeetingRound(id=uuid.uuid4(), procurement_id=procurement_id, title=title,
                                 agenda=(agenda or "").strip(),
                                 slot_minutes=slot_minutes, place=(place or "").strip()[:300], online_link=link[:500],
                                 bookings_per_supplier=bookings_per_supplier, cutoff=cutoff,
                                 created_by_id=access.principal.user.id)
    db.session.add(meeting_round)
    db.session.flush()
    for start in ordered:
        db.session.add(MeetingSlot(round_id=meeting_round.id, procurement_id=procurement_id, starts_at=start))
    db.session.flush()
    audit.record("meetings.round_created", "dialogue_meeting_round", meeting_round.id,
                 tenant_id=access.acting_tenant_id, procurement_id=procurement_id,
                 changes={"after": {"title": title, "slot_minutes": slot_minutes, "agenda": meeting_round.agenda,
                                    "slots": [s.isoformat() for s in ordered], "cutoff": cutoff}})
    return meeting_round


def _round_for_write(round_id: uuid.UUID):
    meeting_round = db.session.get(MeetingRound, round_id)
    if meeting_round is None:
        raise NotFound(_l("No such meeting round."))
    return meeting_round, group_writes(meeting_round.procurement_id)


def open_round(round_id: uuid.UUID) -> MeetingRound:
    """Open the round to every registered supplier at the same moment, and tell them."""
    meeting_round, access = _round_for_write(round_id)
    if meeting_round.opened_at is not None:
        return meeting_round
    meeting_round.opened_at = utcnow()
    db.session.flush()
    audit.record("meetings.round_opened", "dialogue_meeting_round", meeting_round.id,
                 tenant_id=access.acting_tenant_id, procurement_id=meeting_round.procurement_id,
                 changes={"after": {"opened_at": meeting_round.opened_at}})
    title, cutoff = meeting_round.title, meeting_round.cutoff
    notify(registered_supplier_people(meeting_round.procurement_id),
           lambda: _("One-to-one meetings can be booked: %(title)s", title=title),
           lambda: _("Slots for one-to-one meetings (\"%(title)s\") are open for booking in the supplier "
                     "portal, for every registered supplier at the same time. Book or change until %(cutoff)s.",
                     title=title, cutoff=localtime(cutoff)))
    return meeting_round


def allow_bookings(round_id: uuid.UUID, per_supplier: int) -> MeetingRound:
    """Let every supplier book more (or fewer) slots in this round — the same for all."""
    meeting_round, access = _round_for_write(round_id)
    if not isinstance(per_supplier, int) or not 1 <= per_supplier <= 10:
        raise ValidationError(_l("1 to 10 bookings."), errors={"bookings_per_supplier": [_l("1 to 10.")]})
    before = {"bookings_per_supplier": meeting_round.bookings_per_supplier}
    meeting_round.bookings_per_supplier = per_supplier
    db.session.flush()
    audit.record("meetings.bookings_per_supplier_changed", "dialogue_meeting_round", meeting_round.id,
                 tenant_id=access.acting_tenant_id, procurement_id=meeting_round.procurement_id,
                 changes=audit.diff(before, {"bookings_per_supplier": per_supplier}))
    return meeting_round


@dataclass
class SlotsView:
    reader: Reader
    rounds: list[MeetingRound]
    slots: list[MeetingSlot]
    bookings: dict[uuid.UUID, MeetingBooking]   # slot id -> booking the caller may see

    def slots_of(self, meeting_round: MeetingRound) -> list[MeetingSlot]:
        return [s for s in self.slots if s.round_id == meeting_round.id]


def list_slots(procurement_id: uuid.UUID, *, prefer_supplier: bool = False) -> SlotsView:
    """Project group: every round, slot and booking. Supplier: opened rounds, whether each slot is
    free, and its own bookings — never who booked the others."""
    who = reader(procurement_id, prefer_supplier=prefer_supplier)
    rounds_stmt = select(MeetingRound).where(MeetingRound.procurement_id == procurement_id)
    bookings_stmt = select(MeetingBooking).where(MeetingBooking.procurement_id == procurement_id)
    if who.group is None:
        rounds_stmt = rounds_stmt.where(MeetingRound.opened_at.is_not(None))
        bookings_stmt = bookings_stmt.where(MeetingBooking.supplier_id == who.supplier.supplier_id)
    rounds = list(db.session.execute(rounds_stmt.order_by(MeetingRound.created_at, MeetingRound.id)).scalars())
    slots = list(db.session.execute(
        select(MeetingSlot).where(MeetingSlot.round_id.in_([r.id for r in rounds]))
        .order_by(MeetingSlot.starts_at, MeetingSlot.id)).scalars()) if rounds else []
    bookings = {b.slot_id: b for b in db.session.execute(bookings_stmt).scalars()}
    return SlotsView(who, rounds, slots, bookings)


# The meeting round's cut-off, read again at commit.
_CUTOFF = RowDeadline(MeetingRound.cutoff, MeetingRound.id, "deadline_round_id")


def _slot_for_supplier(slot_id: uuid.UUID):
    slot = db.session.get(MeetingSlot, slot_id)
    if slot is None:
        raise NotFound(_l("No such slot."))
    actor = supplier_writes(slot.procurement_id)
    if slot.round.opened_at is None:
        raise NotFound(_l("No such slot."))
    def too_late() -> DeadlinePassed:
        return DeadlinePassed(_l("Booking and changes closed at the cut-off."),
                              errors={"slot": [_l("The cut-off has passed.")]})

    if utcnow() >= slot.round.cutoff:
        raise too_late()
    _CUTOFF.refuse_after(db.session, slot.round_id, too_late)
    return slot, actor


def _set_booked(slot_id: uuid.UUID, booked: bool) -> bool:
    # System scope: the flag is shared by all suppliers; the WHERE clause makes exactly one win.
    with isolation.system_scope():
        result = db.session.execute(
            update(MeetingSlot).where(MeetingSlot.id == slot_id, MeetingSlot.is_booked.is_(not booked))
            .values(is_booked=booked).execution_options(synchronize_session=False))
    return result.rowcount == 1


def _own_bookings(round_id: uuid.UUID, supplier_id: uuid.UUID) -> list[MeetingBooking]:
    return list(db.session.execute(select(MeetingBooking).where(
        MeetingBooking.round_id == round_id, MeetingBooking.supplier_id == supplier_id)).scalars())


def book(slot_id: uuid.UUID, *, replacing: uuid.UUID | None = None) -> MeetingBooking:
    """Book a slot; with `replacing`, move the caller's booking from that slot in one step."""
    slot, actor = _slot_for_supplier(slot_id)
    if not _set_booked(slot.id, True):
        raise Conflict(_l("The slot is already taken."), errors={"slot": [_l("Taken.")]})
    own = _own_bookings(slot.round_id, actor.supplier_id)
    if replacing is not None:
        old = next((b for b in own if b.slot_id == replacing), None)
        if old is None:
            raise NotFound(_l("You have no booking on that slot."))
        _cancel_booking(old, actor, rebooking=True)
        own.remove(old)
    used = {b.seq for b in own}
    free = [n for n in range(1, slot.round.bookings_per_supplier + 1) if n not in used]
    if not free:
        raise Conflict(_l("You have already booked the slots allowed in this round."),
                       errors={"slot": [_l("One booking per round.")]})
    booking = MeetingBooking(id=uuid.uuid4(), slot_id=slot.id, round_id=slot.round_id,
                             procurement_id=slot.procurement_id, supplier_id=actor.supplier_id, seq=free[0],
                             booked_by_id=actor.context.user.id)
    try:
        with db.session.begin_nested():
            db.session.add(booking)
    except IntegrityError:
        raise Conflict(_l("You have already booked the slots allowed in this round."),
                       errors={"slot": [_l("One booking per round.")]}) from None
    audit.record("meetings.booked", "dialogue_meeting_booking", booking.id,
                 tenant_id=actor.procurement.lead_tenant_id, procurement_id=slot.procurement_id,
                 changes={"after": {"supplier": actor.context.name, "slot": slot.starts_at,
                                    "round": slot.round.title}})
    return booking


def _cancel_booking(booking: MeetingBooking, actor, *, rebooking: bool = False) -> None:
    if booking.minutes:
        raise Conflict(_l("The meeting has minutes and cannot be cancelled."))
    audit.record("meetings.rebooked_from" if rebooking else "meetings.cancelled", "dialogue_meeting_booking",
                 booking.id, tenant_id=actor.procurement.lead_tenant_id, procurement_id=booking.procurement_id,
                 changes={"before": {"supplier": actor.context.name, "slot": booking.slot.starts_at}})
    slot_id = booking.slot_id
    db.session.delete(booking)
    db.session.flush()
    _set_booked(slot_id, False)


def cancel(slot_id: uuid.UUID) -> None:
    """Cancel the caller's booking of a slot (until the cut-off)."""
    slot, actor = _slot_for_supplier(slot_id)
    booking = next((b for b in _own_bookings(slot.round_id, actor.supplier_id) if b.slot_id == slot.id), None)
    if booking is None:
        raise NotFound(_l("You have no booking on this slot."))
    _cancel_booking(booking, actor)


MAX_REASON = 2000


def booking_to_cancel(slot_id: uuid.UUID) -> MeetingBooking:
    """The booking a project-group lead or member is about to cancel (for the confirmation page)."""
    slot, booking = _booking_on(slot_id)
    access = group_writes(slot.procurement_id)
    if access.project_role not in (ProjectRole.lead, ProjectRole.member):
        raise Forbidden(_l("Only the project group's leads and members can cancel a supplier's meeting."))
    if booking is None:
        raise NotFound(_l("No meeting is booked in this slot."))
    return booking


def cancel_for_supplier(slot_id: uuid.UUID, *, reason: str = "") -> MeetingSlot:
    """The project group cancels a supplier's one-to-one meeting (a lead or member of the group).

    Until the meeting starts; the cut-off binds suppliers, not the buyer, who may have to call a
    meeting off at short notice. The slot is free again for every supplier on the same terms
    (booking stays possible until the round's cut-off), the cancelled supplier included: its
    booking no longer counts against the round's limit. The supplier is told, with the reason.
    """
    booking = booking_to_cancel(slot_id)
    slot = booking.slot
    access = group_writes(slot.procurement_id)
    if utcnow() >= slot.starts_at:
        raise DeadlinePassed(_l("The meeting has started or taken place; it can no longer be cancelled."),
                             errors={"slot": [_l("The meeting has started.")]})
    if booking.minutes:
        raise Conflict(_l("The meeting has minutes and cannot be cancelled."))
    reason = (reason or "").replace("\r\n", "\n").strip()
    if len(reason) > MAX_REASON:
        raise ValidationError(_l("The reason is too long."),
                              errors={"reason": [_l("At most %(max)d characters.", max=MAX_REASON)]})
    supplier_id, supplier_name = booking.supplier_id, booking.supplier.name
    audit.record("meetings.cancelled_by_group", "dialogue_meeting_booking", booking.id,
                 tenant_id=access.acting_tenant_id, procurement_id=slot.procurement_id,
                 changes={"before": {"supplier": supplier_name, "slot": slot.starts_at, "round": slot.round.title},
                          "after": {"slot_free": True}, "reason": reason})
    db.session.delete(booking)
    db.session.flush()
    _set_booked(slot.id, False)
    title, starts, cutoff = access.procurement.title, slot.starts_at, slot.round.cutoff
    notify(registered_supplier_people(slot.procurement_id, supplier_id),
           lambda: _("Your one-to-one meeting is cancelled: %(title)s", title=title),
           lambda: "\n\n".join(part for part in (
               _("The project group cancelled your one-to-one meeting in \"%(title)s\" at %(when)s "
                 "(Norwegian time).", title=title, when=localtime(starts)),
               _("Reason: %(reason)s", reason=reason) if reason else "",
               _("You may book a free slot in the supplier portal until %(cutoff)s, on the same terms as every "
                 "other supplier.", cutoff=localtime(cutoff))) if part))
    return slot


def _booking_on(slot_id: uuid.UUID) -> tuple[MeetingSlot, MeetingBooking | None]:
    slot = db.session.get(MeetingSlot, slot_id)
    if slot is None:
        raise NotFound(_l("No such slot."))
    booking = db.session.execute(select(MeetingBooking).where(MeetingBooking.slot_id == slot.id)).scalar_one_or_none()
    return slot, booking


def read_minutes(slot_id: uuid.UUID, *, prefer_supplier: bool = False) -> MeetingBooking:
    """The meeting's minutes: the project group, or the supplier that had the meeting; else 404."""
    slot, booking = _booking_on(slot_id)
    who = reader(slot.procurement_id, prefer_supplier=prefer_supplier)
    if booking is None or (who.group is None and booking.supplier_id != who.supplier.supplier_id):
        raise NotFound(_l("No such meeting."))
    return booking


def write_minutes(slot_id: uuid.UUID, minutes: str) -> MeetingBooking:
    slot, booking = _booking_on(slot_id)
    access = group_writes(slot.procurement_id)
    if booking is None:
        raise NotFound(_l("No meeting is booked in this slot."))
    minutes = (minutes or "").replace("\r\n", "\n").strip()
    if not minutes or len(minutes) > 100000:
        raise ValidationError(_l("Write the minutes."), errors={"minutes": [_l("1-100000 characters.")]})
    before = {"minutes": booking.minutes}
    booking.minutes, booking.minutes_updated_at = minutes, utcnow()
    db.session.flush()
    audit.record("meetings.minutes_written", "dialogue_meeting_booking", booking.id,
                 tenant_id=access.acting_tenant_id, procurement_id=slot.procurement_id,
                 changes={"supplier": booking.supplier.name, "slot": slot.starts_at,
                          **audit.diff(before, {"minutes": minutes})})
    people = registered_supplier_people(slot.procurement_id, booking.supplier_id)
    title = access.procurement.title
    notify(people, lambda: _("Minutes of your one-to-one meeting: %(title)s", title=title),
           lambda: _("The minutes of your one-to-one meeting in \"%(title)s\" are in the supplier portal. "
                     "Only your organisation and the project group can read them.", title=title))
    return booking
