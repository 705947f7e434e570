"""The dialogue invitation (text for the prior information notice) and opening the dialogue.

The text is drafted from the procurement's template (hook `samspill_invitation_template`, which
the library implements), else from the built-in draft. `{{ placeholder }}` markers are filled from the procurement when
shown or exported; unknown markers are left as they are so nothing is silently lost. The text
is exported as plain text and as structured JSON for publication elsewhere (we send nothing).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from core import audit, isolation
from core.db import db, utcnow
from core.dialogue.models import DialogueConference, DialogueInvitation, Questionnaire
from core.dialogue.rules import group_reads, group_writes
from core.errors import Conflict, ValidationError
from core.i18n import _l, localtime
from core.identity.models import User
from core.plugin_platform.host import current_host
from core.procurement.access import Action
from core.procurement.models import (
    ParticipantRole,
    Participation,
    ParticipationStatus,
    Phase,
    Procurement,
)

PLACEHOLDER_RE = re.compile(r"\{\{\s*([a-z_][a-z0-9_.]*)\s*\}\}")
MAX_TEXT = 20000


def default_draft() -> str:
    return _(
        "{{ lead }} invites suppliers to a market dialogue about {{ title }}.\n\n"
        "{{ description }}\n\n"
        "The procurement is carried out by {{ buyers }}. We want to learn what the market can "
        "offer before we decide how to run the competition. The dialogue has a dialogue "
        "conference ({{ conference.starts_at }}, {{ conference.place }}), written feedback and "
        "solution proposals (deadline {{ questionnaire.deadline }}), and one-to-one meetings "
        "offered on equal terms to every registered supplier.\n\n"
        "Register in the supplier portal: {{ portal_url }}\n"
        "Registration for the conference closes {{ conference.registration_deadline }}.\n\n"
        "Participation in the dialogue is not a condition for taking part in a later competition. "
        "Questions and answers are published to all registered suppliers without the asker's name."
    )


def _template_text(procurement: Procurement) -> str:
    return current_host().call("samspill_invitation_template", procurement=procurement) or default_draft()


def _buyer_names(procurement_id: uuid.UUID) -> tuple[str, list[str]]:
    # Public facts of the notice; suppliers cannot read participations themselves.
    with isolation.system_scope():
        rows = db.session.execute(
            select(Participation).where(Participation.procurement_id == procurement_id,
                                        Participation.status == ParticipationStatus.active)
            .order_by(Participation.created_at)).scalars().all()
    lead = next((p.tenant.name for p in rows if p.role == ParticipantRole.lead), "")
    buyers = [p.tenant.name for p in rows if p.role in (ParticipantRole.lead, ParticipantRole.buyer)]
    return lead, buyers


def placeholder_values(procurement: Procurement) -> dict[str, str]:
    """The values `{{ name }}` markers are filled with."""
    lead, buyers = _buyer_names(procurement.id)
    conference = db.session.execute(select(DialogueConference).where(
        DialogueConference.procurement_id == procurement.id)).scalar_one_or_none()
    deadline = db.session.execute(
        select(Questionnaire.deadline).where(Questionnaire.procurement_id == procurement.id)
        .order_by(Questionnaire.deadline).limit(1)).scalar_one_or_none()
    undecided = _("(to be announced)")
    values = {
        "title": procurement.title,
        "description": procurement.description or "",
        "lead": lead,
        "buyers": ", ".join(buyers),
        "cpv_codes": ", ".join(procurement.cpv_codes or []),
        "portal_url": url_for("supplier.index", _external=True),
        "conference.title": conference.title if conference else undecided,
        "conference.starts_at": localtime(conference.starts_at) if conference else undecided,
        "conference.ends_at": localtime(conference.ends_at) if conference else undecided,
        "conference.place": (conference.place or conference.online_link) if conference else undecided,
        "conference.online_link": conference.online_link if conference else "",
        "conference.registration_deadline": (
            localtime(conference.registration_deadline)
            if conference and conference.registration_deadline else undecided),
        "questionnaire.deadline": localtime(deadline) if deadline else undecided,
    }
    # The names of docs/template-format.md, used by platform and plugin templates.
    values.update({
        "procurement_title": values["title"],
        "municipalities": values["buyers"],
        "conference_date": values["conference.starts_at"],
        "response_deadline": values["questionnaire.deadline"],
        "contact_email": _contact_email(procurement) or undecided,
    })
    return values


def _contact_email(procurement: Procurement) -> str:
    """Who suppliers write to: the person who created the procurement."""
    if procurement.created_by_id is None:
        return ""
    user = db.session.get(User, procurement.created_by_id)
    return user.email if user else ""


def fill_placeholders(text: str, values: dict[str, str]) -> str:
    """Replace known `{{ name }}` markers; unknown ones stay visible for the editor to fix."""
    return PLACEHOLDER_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


@dataclass
class InvitationView:
    procurement: Procurement
    raw_text: str
    text: str           # placeholders filled
    is_draft: bool      # never saved: still the template's draft
    unknown: list[str]  # markers that could not be filled


def _view(procurement: Procurement) -> InvitationView:
    stored = db.session.execute(select(DialogueInvitation).where(
        DialogueInvitation.procurement_id == procurement.id)).scalar_one_or_none()
    raw = stored.text if stored else _template_text(procurement)
    values = placeholder_values(procurement)
    unknown = sorted({m for m in PLACEHOLDER_RE.findall(raw) if m not in values})
    return InvitationView(procurement, raw, fill_placeholders(raw, values), stored is None, unknown)


def get_invitation(procurement_id: uuid.UUID) -> InvitationView:
    """The invitation as the project group edits it."""
    return _view(group_reads(procurement_id).procurement)


def public_invitation(procurement: Procurement) -> InvitationView:
    """The invitation of an open dialogue as suppliers read it (callers checked it is open)."""
    return _view(procurement)


def save_invitation(procurement_id: uuid.UUID, text: str) -> InvitationView:
    access = group_writes(procurement_id)
    text = (text or "").replace("\r\n", "\n").strip()
    if not text or len(text) > MAX_TEXT:
        raise ValidationError(_l("The invitation text is required."),
                              errors={"text": [_l("1-%(max)d characters.", max=MAX_TEXT)]})
    stored = db.session.execute(select(DialogueInvitation).where(
        DialogueInvitation.procurement_id == procurement_id)).scalar_one_or_none()
    before = stored.text if stored else ""
    if stored is None:
        stored = DialogueInvitation(procurement_id=procurement_id, text=text)
        db.session.add(stored)
    stored.text = text
    stored.updated_by_id = access.principal.user.id
    db.session.flush()
    audit.record("dialogue.invitation_saved", "dialogue_invitation", stored.id,
                 tenant_id=access.acting_tenant_id, procurement_id=procurement_id,
                 changes=audit.diff({"text": before}, {"text": text}))
    return _view(access.procurement)


def export_text(procurement_id: uuid.UUID) -> str:
    view = get_invitation(procurement_id)
    return f"{view.procurement.title}\n\n{view.text}\n"


def export_json(procurement_id: uuid.UUID) -> dict[str, Any]:
    """Structured data for publishing the notice elsewhere (e.g. Doffin)."""
    view = get_invitation(procurement_id)
    procurement = view.procurement
    lead, buyers = _buyer_names(procurement.id)
    values = placeholder_values(procurement)
    conference = db.session.execute(select(DialogueConference).where(
        DialogueConference.procurement_id == procurement.id)).scalar_one_or_none()
    return {
        "format": "samspill.dialogue-invitation/1",
        "procurement": {"id": str(procurement.id), "title": procurement.title,
                        "description": procurement.description or "", "cpv_codes": procurement.cpv_codes or [],
                        "procedure": procurement.procedure.value if procurement.procedure else None},
        "contracting_authorities": {"lead": lead, "buyers": buyers},
        "notice_text": view.text,
        "conference": None if conference is None else {
            "title": conference.title, "starts_at": conference.starts_at.isoformat(),
            "ends_at": conference.ends_at.isoformat(), "place": conference.place,
            "online_link": conference.online_link,
            "registration_deadline": conference.registration_deadline.isoformat()
            if conference.registration_deadline else None},
        "supplier_portal_url": values["portal_url"],
        "dialogue_open": procurement.dialogue_open,
        "generated_at": utcnow().isoformat(),
    }


def open_dialogue(procurement_id: uuid.UUID) -> Procurement:
    """Make the dialogue visible to suppliers (the lead decides; only in the dialogue phase)."""
    access = group_writes(procurement_id, Action.manage)
    procurement = access.procurement
    if procurement.phase != Phase.dialogue:
        raise Conflict(_l("The dialogue can be opened in the market-dialogue phase only."),
                       errors={"phase": [_l("Move the procurement to the market-dialogue phase first.")]})
    if procurement.dialogue_open:
        return procurement
    procurement.dialogue_open = True
    procurement.dialogue_opened_at = utcnow()
    db.session.flush()
    audit.record("dialogue.opened", "procurement", procurement.id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement.id, changes={"after": {"dialogue_open": True}})
    return procurement
