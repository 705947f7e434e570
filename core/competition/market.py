"""Announced competitions anyone signed in can find (newest first), with the caller's tender state."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from core import isolation
from core.access import require_user
from core.competition.models import Competition, Tender, TenderStatus
from core.db import db
from core.pagination import Page, keyset_page
from core.procurement.models import Procurement, ProcurementStatus
from core.suppliers.service import supplier_context


@dataclass
class MarketCompetition:
    competition: Competition
    procurement: Procurement
    tender_status: TenderStatus | None


def open_competitions(cursor: str | None = None, limit: int = 20) -> Page:
    """Announced competitions of active procurements; two queries plus one for the caller's tenders."""
    require_user()
    stmt = (select(Competition, Procurement).join(Procurement, Procurement.id == Competition.procurement_id)
            .where(Competition.announced_at.is_not(None), Procurement.status == ProcurementStatus.active))
    with isolation.system_scope():  # an announced competition and its procurement's title are public
        page = keyset_page(stmt, [(Competition.announced_at, True), (Competition.id, True)],
                           limit=limit, cursor=cursor, scalars=False,
                           key=lambda r: [r.Competition.announced_at, r.Competition.id])
    rows = page.items
    context = supplier_context()
    states: dict[uuid.UUID, TenderStatus] = {}
    if context is not None and rows:
        states = dict(db.session.execute(select(Tender.procurement_id, Tender.status).where(
            Tender.supplier_id == context.supplier_id,
            Tender.procurement_id.in_([c.procurement_id for c, _p in rows]))).all())
    page.items = [MarketCompetition(c, p, states.get(c.procurement_id)) for c, p in rows]
    return page
