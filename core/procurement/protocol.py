"""The procurement protocol (anskaffelsesprotokoll), generated from the audit log.

The protocol is the procurement's chain of audit entries in order, with a readable sentence
per entry, preceded by the facts of the procurement, its participants, its lineage and its
phase history. The chain is checked while it is read (`chain_intact`), so a printed protocol
says whether the record behind it is whole. Entries that other domains write (dialogue,
suppliers, plugins) appear automatically, since they carry the procurement id.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import g, has_app_context
from sqlalchemy import select

from core.audit import GENESIS, AuditEntry, entry_hash
from core.db import db, utcnow
from core.i18n import _l
from core.identity.service import display_names
from core.pagination import Page, keyset_page
from core.plugin_platform.host import current_host
from core.plugin_platform.state import plugin_label
from core.procurement import library_link, participants
from core.procurement.access import require
from core.procurement.fields import format_kroner
from core.procurement.models import PhaseTransition
from core.procurement.notice import notice_hint
from core.procurement.readable import detail_rows

__all__ = ["ACTION_TEXTS", "build_protocol", "describe", "detail_rows", "shown_action"]

ACTION_TEXTS = {
    "procurement.created": _l("The procurement was created"),
    "procurement.updated": _l("The procurement's details were changed"),
    "procurement.started_from_template": _l("The procurement was started from a template"),
    "procurement.phase_changed": _l("The procurement moved to the next phase"),
    "procurement.lead_handed_over": _l("The lead was handed over to another municipality"),
    "procurement.published_as_template": _l("The procurement was published as a template"),
    "gate.item_done": _l("A gate item was marked as done"),
    "gate.item_waived": _l("A gate item was waived"),
    "gate.item_reopened": _l("A gate item was reopened"),
    "need.added": _l("A need was added"),
    "need.updated": _l("A need was changed"),
    "need.deleted": _l("A need was deleted"),
    "need.reordered": _l("The needs were reordered"),
    "need.imported": _l("Needs were imported from a template"),
    "participant.invited": _l("A municipality was invited"),
    "participant.accepted": _l("A municipality accepted the invitation"),
    "participant.declined": _l("A municipality declined the invitation"),
    "participant.left": _l("A municipality left the procurement"),
    "project_member.added": _l("A person was added to the project group"),
    "project_member.removed": _l("A person was removed from the project group"),
    "attachment.added": _l("A file was attached"),
    "attachment.deleted": _l("A file was deleted"),
    "lesson.added": _l("A lesson learned was shared"),
    "lesson.deleted": _l("A lesson learned was withdrawn"),
    # Market dialogue (core/dialogue): who registered, asked, answered, responded and met.
    "dialogue.invitation_saved": _l("The dialogue invitation was edited"),
    "dialogue.opened": _l("The market dialogue was opened to suppliers"),
    "dialogue.registered": _l("A supplier registered for the dialogue"),
    "dialogue.question_asked": _l("A supplier asked a question"),
    "dialogue.answer_published": _l("An answer was published to all registered suppliers"),
    "dialogue.answer_corrected": _l("A published answer was corrected; the correction went to all registered "
                                    "suppliers"),
    "conference.created": _l("The dialogue conference was set up"),
    "conference.changed": _l("The dialogue conference was changed"),
    "conference.registered": _l("A supplier registered for the conference"),
    "conference.registration_changed": _l("A conference registration was changed"),
    "conference.cancelled": _l("A conference registration was cancelled"),
    "conference.promoted": _l("A supplier moved from the waiting list to the conference"),
    "conference.minutes_published": _l("The conference minutes were published to all registered suppliers"),
    "conference.presentation_added": _l("A conference presentation was published"),
    "conference.presentation_removed": _l("A conference presentation was removed"),
    "questionnaire.created": _l("A questionnaire was created"),
    "questionnaire.changed": _l("A questionnaire was changed"),
    "questionnaire.opened": _l("A questionnaire was opened to suppliers"),
    "questionnaire.deadline_moved": _l("A questionnaire deadline was moved"),
    "response.saved": _l("A supplier saved a draft response"),
    "response.submitted": _l("A supplier submitted a response"),
    "response.changed": _l("A supplier changed a submitted response"),
    "response.file_uploaded": _l("A supplier attached a file to a response"),
    "responses.exported": _l("The responses were exported"),
    "meetings.round_created": _l("A round of one-to-one meetings was created"),
    "meetings.round_opened": _l("A round of one-to-one meetings was opened to all registered suppliers"),
    "meetings.bookings_per_supplier_changed": _l("The number of bookings per supplier was changed for everyone"),
    "meetings.booked": _l("A supplier booked a one-to-one meeting"),
    "meetings.cancelled": _l("A supplier cancelled a one-to-one meeting"),
    "meetings.cancelled_by_group": _l("The project group cancelled a supplier's one-to-one meeting; the slot is "
                                      "free for every supplier again"),
    "meetings.rebooked_from": _l("A supplier moved its one-to-one meeting"),
    "meetings.minutes_written": _l("Minutes of a one-to-one meeting were written"),
    # Competition (core/competition): announced, answered, opened, and every read of a tender.
    "competition.settings_changed": _l("The competition's deadlines or qualification were changed"),
    "competition.announced": _l("The competition was announced"),
    "competition.answer_published": _l("An answer about the competition was published to all suppliers"),
    "competition.opened": _l("The tenders were opened; the opening protocol lists every tenderer"),
    "competition.tenders_read": _l("The opened tenders were read"),
    "competition.tender_file_read": _l("A file of an opened tender was read"),
    "procurement.extension_changed": _l("The procurement's domain details were changed"),
    # Outside one procurement: the municipality's own audit log.
    "tenant.created": _l("The municipality was created"),
    "tenant.sign_in_set": _l("The sign-in settings were changed"),
    "membership.created": _l("A person became a member of the municipality"),
    "membership.removed": _l("A person's membership was removed"),
    "membership.role_changed": _l("A member's role was changed"),
    "invitation.created": _l("A person was invited to the municipality"),
    "invitation.accepted": _l("An invitation to the municipality was accepted"),
    "plugin.enabled": _l("A plugin was enabled"),
    "plugin.disabled": _l("A plugin was disabled"),
    "plugin.settings_changed": _l("A plugin's settings were changed"),
    "template.created": _l("A template was created"),
    "template.draft_saved": _l("A template draft was saved"),
    "template.published": _l("A template version was published"),
    "template.visibility_changed": _l("Who can see a template was changed"),
    "supplier.created": _l("A supplier organisation was created"),
    "supplier.member_added": _l("A person joined a supplier organisation"),
    "supplier.member_removed": _l("A person left a supplier organisation"),
    "supplier.member_role_changed": _l("A supplier member's role was changed"),
    "user.created": _l("A user account was created"),
    "user.email_verified": _l("An email address was confirmed"),
    "user.password_set": _l("A password was set"),
    "user.signed_in_oidc": _l("A person signed in through the municipality's identity provider"),
    "token.created": _l("An API token was created"),
    "token.revoked": _l("An API token was revoked"),
}


def _texts() -> dict[str, Any]:
    """The core texts with those the platform's packages add (`samspill_protocol_texts`),
    gathered once per request; outside an application only the core's own."""
    if not has_app_context():
        return ACTION_TEXTS
    cached = g.get("protocol_texts")
    if cached is not None:
        return cached
    texts = dict(ACTION_TEXTS)
    for extra in current_host().call("samspill_protocol_texts") or []:
        texts.update(extra or {})
    g.protocol_texts = texts
    return texts


def describe(action: str) -> str:
    text = _texts().get(action)
    return str(text) if text is not None else action


def shown_action(action: str) -> str:
    """What an entry records, for pages: its sentence, or for an action nobody described (a
    plugin's own) a general sentence naming the plugin — never the code."""
    text = _texts().get(action)
    if text is not None:
        return str(text)
    return str(_l("A change recorded by %(plugin)s", plugin=plugin_label(action.split(".", 1)[0])))


SYSTEM_ACTORS = {"system": _l("Samspill (automatic)"), "demo-seed": _l("Samspill (demo data)")}


def system_actor(label: str) -> str:
    """Who acted when no person did (the command line, the demo seed, a job)."""
    return str(SYSTEM_ACTORS.get(label) or _l("Samspill (automatic)"))


def audit_page(procurement_id: uuid.UUID, *, cursor: str | None = None, limit: int = 50) -> Page:
    """The procurement's audit entries in chain order (oldest first), keyset-paginated."""
    require(procurement_id)
    stmt = select(AuditEntry).where(AuditEntry.procurement_id == procurement_id)
    return keyset_page(stmt, [(AuditEntry.seq, False), (AuditEntry.id, False)], limit=limit, cursor=cursor)


def _entries(procurement_id: uuid.UUID) -> tuple[list[AuditEntry], bool]:
    entries = list(db.session.execute(
        select(AuditEntry).where(AuditEntry.chain == f"procurement:{procurement_id}").order_by(AuditEntry.seq)
    ).scalars())
    intact, previous = True, GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        if entry.seq != expected_seq or entry.prev_hash != previous or entry_hash(entry) != entry.hash:
            intact = False
            break
        previous = entry.hash
    return entries, intact


def build_protocol(procurement_id: uuid.UUID) -> dict[str, Any]:
    """The whole protocol as plain data (the JSON answer and the printable page use it)."""
    access = require(procurement_id)
    procurement = access.procurement
    parts = participants.list_participants(procurement_id)
    transitions = list(db.session.execute(
        select(PhaseTransition).where(PhaseTransition.procurement_id == procurement_id)
        .order_by(PhaseTransition.at, PhaseTransition.id)).scalars())
    entries, intact = _entries(procurement_id)
    names = display_names({e.actor_id for e in entries} | {t.by_id for t in transitions})
    origin = library_link.lineage(procurement)
    return {
        "generated_at": utcnow(),
        "procurement": {
            "id": procurement.id, "title": procurement.title, "description": procurement.description,
            "lead_tenant": {"slug": procurement.lead_tenant.slug, "name": procurement.lead_tenant.name},
            "phase": procurement.phase.value, "status": procurement.status.value,
            "procedure": procurement.procedure.value if procurement.procedure else None,
            "contract_kind": procurement.contract_kind.value,
            "estimated_value_ore": procurement.estimated_value_ore,
            "estimated_value_nok": format_kroner(procurement.estimated_value_ore),
            "cpv_codes": procurement.cpv_codes, "key_dates": procurement.key_dates,
            "created_at": procurement.created_at,
        },
        "template": None if origin is None else {
            "id": origin["template"].id, "title": origin["template"].title, "version": origin["version"].number},
        "notice": notice_hint(procurement.estimated_value_ore,
                              procurement.procedure.value if procurement.procedure else None,
                              procurement.contract_kind.value).as_dict(),
        "participants": [{"tenant": p.tenant.slug, "tenant_name": p.tenant.name, "role": p.role.value,
                          "status": p.status.value, "responded_at": p.responded_at} for p in parts],
        "phases": [{"from_phase": t.from_phase, "to_phase": t.to_phase, "at": t.at, "by": t.by_label,
                    "by_name": names.get(t.by_id) or system_actor(t.by_label), "waived": t.waived}
                   for t in transitions],
        "entries": [{"seq": e.seq, "at": e.at, "actor": e.actor_label,
                     "actor_name": names.get(e.actor_id) or system_actor(e.actor_label), "action": e.action,
                     "summary": describe(e.action), "object_type": e.object_type, "object_id": e.object_id,
                     "changes": e.changes, "hash": e.hash} for e in entries],
        "chain_intact": intact,
    }
