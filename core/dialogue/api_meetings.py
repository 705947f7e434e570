"""JSON API for one-to-one meetings: rounds of equal slots, booking, minutes."""

from __future__ import annotations

import uuid

from flask.views import MethodView

from core.db import db
from core.dialogue import meetings
from core.dialogue import schemas as s
from core.dialogue.api import blp, supplier_ref


def rounds_dict(view: meetings.SlotsView) -> dict:
    is_group = view.reader.group is not None
    rounds = []
    for meeting_round in view.rounds:
        slots = []
        for slot in view.slots_of(meeting_round):
            booking = view.bookings.get(slot.id)
            slots.append({"id": slot.id, "starts_at": slot.starts_at, "ends_at": slot.ends_at,
                          "free": not slot.is_booked, "mine": booking is not None and not is_group,
                          "supplier": supplier_ref(booking.supplier) if booking is not None and is_group else None})
        rounds.append({"id": meeting_round.id, "title": meeting_round.title, "agenda": meeting_round.agenda,
                       "slot_minutes": meeting_round.slot_minutes, "place": meeting_round.place,
                       "online_link": meeting_round.online_link,
                       "bookings_per_supplier": meeting_round.bookings_per_supplier,
                       "opened_at": meeting_round.opened_at, "cutoff": meeting_round.cutoff, "slots": slots})
    return {"rounds": rounds}


@blp.route("/procurements/<uuid:procurement_id>/meeting-slots")
class MeetingSlots(MethodView):
    @blp.response(200, s.DialogueRoundsSchema)
    def get(self, procurement_id: uuid.UUID):
        """Rounds and slots: everything for the project group; opened rounds, free/mine for suppliers."""
        return rounds_dict(meetings.list_slots(procurement_id))

    @blp.arguments(s.DialogueRoundInputSchema)
    @blp.response(201, s.DialogueRoundsSchema)
    def post(self, data, procurement_id: uuid.UUID):
        """A round of equal slots (project group); `open: true` opens it to all registered suppliers now."""
        open_now = data.pop("open")
        meeting_round = meetings.create_round(procurement_id, **data)
        if open_now:
            meetings.open_round(meeting_round.id)
        db.session.commit()
        return rounds_dict(meetings.list_slots(procurement_id))


@blp.route("/meeting-rounds/<uuid:round_id>/open")
class MeetingRoundOpen(MethodView):
    @blp.response(200, s.DialogueRoundsSchema)
    def post(self, round_id: uuid.UUID):
        """Open the round to every registered supplier at the same moment."""
        meeting_round = meetings.open_round(round_id)
        db.session.commit()
        return rounds_dict(meetings.list_slots(meeting_round.procurement_id))


@blp.route("/meeting-slots/<uuid:slot_id>/booking")
class Booking(MethodView):
    @blp.arguments(s.DialogueBookingInputSchema)
    @blp.response(201, s.DialogueBookingSchema)
    def post(self, data, slot_id: uuid.UUID):
        """Book the slot (supplier); 409 if taken or the round's bookings are used up."""
        booking = meetings.book(slot_id, replacing=data["replacing"])
        db.session.commit()
        return booking

    @blp.response(204)
    def delete(self, slot_id: uuid.UUID):
        """Cancel the caller's booking of this slot (until the cut-off)."""
        meetings.cancel(slot_id)
        db.session.commit()


@blp.route("/meeting-slots/<uuid:slot_id>/booking/cancellation")
class BookingCancellation(MethodView):
    @blp.arguments(s.DialogueCancellationInputSchema)
    @blp.response(200, s.DialogueRoundsSchema)
    def post(self, data, slot_id: uuid.UUID):
        """Cancel the supplier's meeting in this slot (a lead or member of the project group), until it
        starts. The slot is free for every supplier again; the supplier is told, with `reason`."""
        slot = meetings.cancel_for_supplier(slot_id, reason=data["reason"])
        db.session.commit()
        return rounds_dict(meetings.list_slots(slot.procurement_id))


@blp.route("/meeting-slots/<uuid:slot_id>/minutes")
class MeetingMinutes(MethodView):
    @blp.response(200, s.DialogueMeetingMinutesSchema)
    def get(self, slot_id: uuid.UUID):
        """The meeting's minutes: the project group and that supplier only."""
        booking = meetings.read_minutes(slot_id)
        return {"slot_id": booking.slot_id, "supplier": supplier_ref(booking.supplier), "minutes": booking.minutes,
                "minutes_updated_at": booking.minutes_updated_at}

    @blp.arguments(s.DialogueMinutesInputSchema)
    @blp.response(200, s.DialogueMeetingMinutesSchema)
    def put(self, data, slot_id: uuid.UUID):
        """Write the minutes (project group)."""
        booking = meetings.write_minutes(slot_id, data["minutes"])
        db.session.commit()
        return {"slot_id": booking.slot_id, "supplier": supplier_ref(booking.supplier), "minutes": booking.minutes,
                "minutes_updated_at": booking.minutes_updated_at}
