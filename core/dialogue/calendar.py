"""iCalendar (.ics) of a dialogue: the conference and one-to-one meetings.

The project group gets the conference and every booked meeting (with the supplier's name);
a registered supplier gets the conference and its own meetings only.
"""

from __future__ import annotations

import uuid

from icalendar import Calendar, Event
from sqlalchemy import select

from core.db import db, utcnow
from core.dialogue.models import MeetingBooking, MeetingSlot
from core.dialogue.registrations import conference_of
from core.dialogue.rules import reader


def _event(uid: str, summary: str, start, end, *, location: str = "", description: str = "", url: str = "") -> Event:
    event = Event()
    event.add("uid", f"{uid}@samspill")
    event.add("dtstamp", utcnow())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    return event


def calendar_for(procurement_id: uuid.UUID, *, prefer_supplier: bool = False) -> bytes:
    who = reader(procurement_id, prefer_supplier=prefer_supplier)
    procurement = who.procurement
    calendar = Calendar()
    calendar.add("prodid", "-//Samspill//Market dialogue//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", procurement.title)
    conference = conference_of(procurement_id)
    if conference is not None:
        calendar.add_component(_event(
            f"conference-{conference.id}", conference.title or procurement.title, conference.starts_at,
            conference.ends_at, location=conference.place or conference.online_link,
            description=conference.agenda, url=conference.online_link))
    stmt = select(MeetingBooking).where(MeetingBooking.procurement_id == procurement_id)
    if who.group is None:
        stmt = stmt.where(MeetingBooking.supplier_id == who.supplier.supplier_id)
    bookings = db.session.execute(stmt.join(MeetingSlot, MeetingSlot.id == MeetingBooking.slot_id)
                                  .order_by(MeetingSlot.starts_at)).scalars().all()
    for booking in bookings:
        slot, meeting_round = booking.slot, booking.slot.round
        summary = f"{meeting_round.title}: {booking.supplier.name}" if who.group else meeting_round.title
        calendar.add_component(_event(
            f"meeting-{booking.id}", summary, slot.starts_at, slot.ends_at,
            location=meeting_round.place or meeting_round.online_link, description=meeting_round.agenda,
            url=meeting_round.online_link))
    return calendar.to_ical()
