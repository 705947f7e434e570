"""The market: open dialogues anyone signed in can find, and a supplier's own dialogues."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from core import isolation
from core.access import require_user
from core.db import db
from core.dialogue.models import DialogueConference, DialogueRegistration
from core.dialogue.rules import supplier_reads
from core.pagination import Page, keyset_page
from core.procurement.models import (
    ParticipantRole,
    Participation,
    ParticipationStatus,
    Phase,
    Procurement,
    ProcurementStatus,
)
from core.suppliers.service import require_supplier, supplier_context
from tenants.models import Tenant


@dataclass
class MarketDialogue:
    procurement: Procurement
    buyers: list[str]
    conference_starts_at: datetime | None
    registered: bool


def _decorate(procurements: list[Procurement]) -> list[MarketDialogue]:
    """Buyers, conference date and the caller's registration for a page — three queries."""
    ids = [p.id for p in procurements]
    if not ids:
        return []
    with isolation.system_scope():  # the buyers of an open dialogue are public facts of its notice
        rows = db.session.execute(
            select(Participation.procurement_id, Participation.role, Participation.tenant_id)
            .where(Participation.procurement_id.in_(ids), Participation.status == ParticipationStatus.active,
                   Participation.role.in_([ParticipantRole.lead, ParticipantRole.buyer]))
            .order_by(Participation.created_at)).all()
        names = dict(db.session.execute(select(Tenant.id, Tenant.name).where(
            Tenant.id.in_({r.tenant_id for r in rows}))).all()) if rows else {}
    buyers: dict[uuid.UUID, list[str]] = {}
    for r in rows:
        buyers.setdefault(r.procurement_id, []).append(names.get(r.tenant_id, ""))
    conferences = dict(db.session.execute(select(DialogueConference.procurement_id, DialogueConference.starts_at)
                                          .where(DialogueConference.procurement_id.in_(ids))).all())
    context = supplier_context()
    registered: set[uuid.UUID] = set()
    if context is not None:
        registered = set(db.session.execute(select(DialogueRegistration.procurement_id).where(
            DialogueRegistration.supplier_id == context.supplier_id,
            DialogueRegistration.procurement_id.in_(ids))).scalars())
    return [MarketDialogue(p, buyers.get(p.id, []), conferences.get(p.id), p.id in registered) for p in procurements]


def open_dialogues(cursor: str | None = None, limit: int = 20) -> Page:
    """Dialogues open for suppliers to join (newest first), for anyone signed in."""
    require_user()
    stmt = select(Procurement).where(Procurement.dialogue_open.is_(True), Procurement.phase == Phase.dialogue,
                                     Procurement.status == ProcurementStatus.active)
    page = keyset_page(stmt, [(Procurement.created_at, True), (Procurement.id, True)],
                       limit=limit, cursor=cursor)
    page.items = _decorate(page.items)
    return page


def my_dialogues(limit: int = 100) -> list[MarketDialogue]:
    """Dialogues the caller's supplier is registered in (also after they froze)."""
    context = require_supplier()
    procurements = list(db.session.execute(
        select(Procurement).join(DialogueRegistration, DialogueRegistration.procurement_id == Procurement.id)
        .where(DialogueRegistration.supplier_id == context.supplier_id, Procurement.dialogue_open.is_(True))
        .order_by(DialogueRegistration.created_at.desc()).limit(limit)).scalars())
    return _decorate(procurements)


def dialogue_for_supplier(procurement_id: uuid.UUID) -> MarketDialogue:
    """One open dialogue as a supplier sees it before or after registering."""
    actor = supplier_reads(procurement_id, registered=False)
    return _decorate([actor.procurement])[0]
