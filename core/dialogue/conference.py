"""The dialogue conference: time, place or link, agenda, capacity, presentations, minutes.

The project group writes; registered suppliers read. Minutes and presentations are published
to every registered supplier at once (and each is told by email).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import FileStorage

from core import audit
from core.db import db, utcnow
from core.dialogue import attachments
from core.dialogue.audience import registered_supplier_people
from core.dialogue.models import (
    AttachmentKind,
    ConferenceStatus,
    DialogueAttachment,
    DialogueConference,
    DialogueRegistration,
)
from core.dialogue.registrations import conference_of, promote_waiting_list
from core.dialogue.rules import Reader, group_reads, group_writes, reader
from core.errors import NotFound, PreconditionFailed, ValidationError
from core.i18n import _l
from core.notifications.service import notify
from core.plugin_platform import host as plugin_manager

FIELDS = ("title", "starts_at", "ends_at", "place", "online_link", "agenda", "capacity", "registration_deadline")


@dataclass
class ConferenceView:
    reader: Reader
    conference: DialogueConference | None
    presentations: list[DialogueAttachment]

    @property
    def minutes_visible(self) -> bool:
        c = self.conference
        return c is not None and (self.reader.group is not None or c.minutes_published_at is not None)


def _snapshot(conference: DialogueConference | None) -> dict[str, Any]:
    if conference is None:
        return {}
    return {name: getattr(conference, name) for name in FIELDS}


def _validate(data: dict[str, Any], confirmed: int) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    clean["title"] = (data.get("title") or "").strip()[:300]
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if not isinstance(starts, datetime):
        errors["starts_at"] = [_l("A start time is required.")]
    if not isinstance(ends, datetime):
        errors["ends_at"] = [_l("An end time is required.")]
    elif isinstance(starts, datetime) and ends <= starts:
        errors["ends_at"] = [_l("The end must be after the start.")]
    clean["starts_at"], clean["ends_at"] = starts, ends
    clean["place"] = (data.get("place") or "").strip()[:300]
    link = (data.get("online_link") or "").strip()
    if link and not link.startswith(("https://", "http://")):
        errors["online_link"] = [_l("A web address starting with https://.")]
    clean["online_link"] = link[:500]
    if not clean["place"] and not link:
        errors["place"] = [_l("Give a place, an online link, or both.")]
    clean["agenda"] = (data.get("agenda") or "").strip()[:20000]
    capacity = data.get("capacity")
    if capacity in ("", None):
        capacity = None
    elif not isinstance(capacity, int) or capacity < 1 or capacity > 100000:
        errors["capacity"] = [_l("A number of persons (1 or more), or empty for no limit.")]
    elif capacity < confirmed:
        errors["capacity"] = [_l("%(n)d persons already have a place; the capacity cannot be lower.", n=confirmed)]
    clean["capacity"] = capacity
    deadline = data.get("registration_deadline")
    if deadline is not None and not isinstance(deadline, datetime):
        errors["registration_deadline"] = [_l("Not a valid time.")]
    elif deadline is not None and isinstance(starts, datetime) and deadline > starts:
        errors["registration_deadline"] = [_l("Registration must close before the conference starts.")]
    clean["registration_deadline"] = deadline
    if errors:
        raise ValidationError(_l("The conference details are invalid."), errors=errors)
    return clean


def get_conference(procurement_id: uuid.UUID, *, prefer_supplier: bool = False) -> ConferenceView:
    """The conference for the project group or a registered supplier."""
    who = reader(procurement_id, prefer_supplier=prefer_supplier)
    conference = conference_of(procurement_id)
    return ConferenceView(who, conference, attachments.presentations(procurement_id) if conference else [])


def save_conference(procurement_id: uuid.UUID, data: dict[str, Any],
                    expected_version: int | None = None) -> DialogueConference:
    """Create or change the conference (project group). Raising capacity promotes the waiting list."""
    access = group_writes(procurement_id)
    conference = conference_of(procurement_id)
    if conference is not None and expected_version is not None and conference.version != expected_version:
        raise PreconditionFailed(_l("The conference was changed by someone else. Reload and try again."))
    clean = _validate(data, conference.confirmed_attendees if conference else 0)
    before = _snapshot(conference)
    created = conference is None
    if created:
        conference = DialogueConference(procurement_id=procurement_id, **clean)
        db.session.add(conference)
    else:
        for name, value in clean.items():
            setattr(conference, name, value)
    try:
        db.session.flush()
    except StaleDataError:  # someone saved in between (the version moved under us)
        raise PreconditionFailed(_l("The conference was changed by someone else. Reload and try again.")) from None
    audit.record("conference.created" if created else "conference.changed", "dialogue_conference", conference.id,
                 tenant_id=access.acting_tenant_id, procurement_id=procurement_id,
                 changes=audit.diff(before, _snapshot(conference)))
    if not created:
        promote_waiting_list(conference)
        db.session.refresh(conference)
    return conference


def publish_minutes(procurement_id: uuid.UUID, minutes: str) -> DialogueConference:
    """Publish (or re-publish) the minutes to every registered supplier."""
    access = group_writes(procurement_id)
    conference = conference_of(procurement_id)
    if conference is None:
        raise NotFound(_l("There is no dialogue conference."))
    minutes = (minutes or "").replace("\r\n", "\n").strip()
    if not minutes or len(minutes) > 100000:
        raise ValidationError(_l("The minutes are empty."), errors={"minutes": [_l("Write the minutes.")]})
    before = {"minutes": conference.minutes}
    conference.minutes = minutes
    conference.minutes_published_at = utcnow()
    db.session.flush()
    audit.record("conference.minutes_published", "dialogue_conference", conference.id,
                 tenant_id=access.acting_tenant_id, procurement_id=procurement_id,
                 changes=audit.diff(before, {"minutes": minutes}))
    plugin_manager.emit("artefact_published", access.procurement, artefact_type="conference_minutes",
                        artefact=conference)
    title = access.procurement.title
    notify(registered_supplier_people(procurement_id),
           lambda: _("Minutes of the dialogue conference: %(title)s", title=title),
           lambda: _("The minutes of the dialogue conference for \"%(title)s\" are published in the "
                     "supplier portal. Every registered supplier receives the same information.", title=title))
    return conference


def add_presentation(procurement_id: uuid.UUID, upload: FileStorage | None) -> DialogueAttachment:
    """A presentation for the conference, published to every registered supplier at once (each
    is told by email; suppliers registering later read it too). The HTML form and the API both
    come here, so both get the same size limit and content sniffing (`core.files`)."""
    access = group_writes(procurement_id)
    if conference_of(procurement_id) is None:
        raise NotFound(_l("There is no dialogue conference."))
    attachment = attachments.store(procurement_id, AttachmentKind.presentation, upload,
                                   uploaded_by_id=access.principal.user.id)
    audit.record("conference.presentation_added", "dialogue_attachment", attachment.id,
                 tenant_id=access.acting_tenant_id, procurement_id=procurement_id,
                 changes={"after": {"filename": attachment.filename, "size": attachment.size,
                                    "sha256": attachment.sha256}})
    title, filename = access.procurement.title, attachment.filename
    notify(registered_supplier_people(procurement_id),
           lambda: _("New presentation from the dialogue conference: %(title)s", title=title),
           lambda: _("The presentation \"%(filename)s\" from the dialogue conference for \"%(title)s\" is in the "
                     "supplier portal. Every registered supplier receives the same information.",
                     filename=filename, title=title))
    return attachment


def list_presentations(procurement_id: uuid.UUID) -> list[DialogueAttachment]:
    """The conference's presentations: the project group and every registered supplier (else 404)."""
    reader(procurement_id)
    return attachments.presentations(procurement_id)


def remove_presentation(procurement_id: uuid.UUID, attachment_id: uuid.UUID) -> None:
    access = group_writes(procurement_id)
    attachment = db.session.get(DialogueAttachment, attachment_id)
    wrong = attachment is None or attachment.procurement_id != procurement_id
    if wrong or attachment.kind != AttachmentKind.presentation:
        raise NotFound(_l("No such presentation."))
    audit.record("conference.presentation_removed", "dialogue_attachment", attachment.id,
                 tenant_id=access.acting_tenant_id, procurement_id=procurement_id,
                 changes={"before": {"filename": attachment.filename}})
    attachments.delete(attachment)


def conference_registrations(procurement_id: uuid.UUID) -> list[DialogueRegistration]:
    """Registrations with their conference status, for the project group's attendee list."""
    group_reads(procurement_id)
    return list(db.session.execute(
        select(DialogueRegistration).where(DialogueRegistration.procurement_id == procurement_id,
                                           DialogueRegistration.conference_status != ConferenceStatus.none)
        .order_by(DialogueRegistration.conference_status, DialogueRegistration.conference_registered_at)
        .limit(1000)).scalars())
