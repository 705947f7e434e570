"""Before the opening: only the count. The opening, on the record. After it: the tenders.

- Before the tenders are opened the project group learns only how many tenders are submitted
  (`count`), never who; no tender content can be decrypted (`sealing.release`).
- After the opening time a project-group member (project role lead or member) opens the tenders
  once: the opening protocol — who opened, when, every tenderer with its submission time and
  receipt hash, and the withdrawn tenders — is kept on the competition and written to the audit
  log, so it is part of the procurement protocol. Opening earlier is refused (409 naming the time).
- Every later read of tender content by the project group is audit-logged; a higher package may
  keep someone from it (`samspill_tender_content_refused`: the evaluation committee's
  impartiality declarations).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import format_datetime
from sqlalchemy import func, select

from core import audit
from core.audit import current_actor
from core.competition import tenders as tender_service
from core.competition.models import Competition, Tender, TenderStatus
from core.competition.settings import competition_of
from core.db import db
from core.deadlines import database_now
from core.errors import Conflict, Forbidden, NotFound
from core.i18n import _l
from core.pagination import keyset_page
from core.plugin_platform.host import current_host
from core.procurement.access import Action, ProcurementAccess, require
from core.procurement.models import ProjectRole

PAGE_SIZE = 20


def _group_competition(procurement_id: uuid.UUID, action: Action = Action.read):
    access = require(procurement_id, action)
    return access, competition_of(procurement_id)


def _announced(competition: Competition | None) -> Competition:
    if competition is None or competition.announced_at is None:
        raise Conflict(_l("The competition is not announced."))
    return competition


def submitted_count(procurement_id: uuid.UUID) -> int:
    return db.session.execute(select(func.count(Tender.id)).where(
        Tender.procurement_id == procurement_id, Tender.status == TenderStatus.submitted)).scalar_one()


@dataclass
class TenderOverview:
    competition: Competition | None
    count: int
    opened: bool
    tenders: list[dict[str, Any]] = field(default_factory=list)
    next_cursor: str | None = None


def refuse_content(access: ProcurementAccess) -> None:
    """404 for whom a higher package keeps from tender content (the award package: an evaluator
    without an impartiality declaration, anyone who declared a conflict)."""
    if any(current_host().call("samspill_tender_content_refused", access=access) or []):
        raise NotFound(_l("No such tender."))


def overview(procurement_id: uuid.UUID, *, with_content: bool = True, cursor: str | None = None,
             limit: int = PAGE_SIZE) -> TenderOverview:
    """The count before the opening; after it, one keyset page of the submitted tenders in the
    order they came in (content read is logged)."""
    access, competition = _group_competition(procurement_id)
    if with_content and competition is not None and competition.opened_at is not None:
        refuse_content(access)
    if competition is None or competition.announced_at is None:
        return TenderOverview(competition, 0, False)
    count = submitted_count(procurement_id)
    if competition.opened_at is None:
        return TenderOverview(competition, count, False)
    page = keyset_page(
        select(Tender).where(
            Tender.procurement_id == procurement_id, Tender.status == TenderStatus.submitted),
        [(Tender.submitted_at, False), (Tender.id, False)], limit=limit, cursor=cursor)
    rows = page.items
    items = []
    for tender in rows:
        item = {"id": tender.id, "supplier": {"name": tender.supplier.name, "org_number": tender.supplier.org_number},
                "submitted_at": tender.submitted_at, "sha256": tender.receipt_sha256}
        if with_content:
            item["content"] = tender_service.read_content(competition, tender, own_supplier=False)
        items.append(item)
    if with_content and rows:
        audit.record("competition.tenders_read", "competition", competition.id,
                     tenant_id=access.acting_tenant_id, procurement_id=procurement_id,
                     changes={"after": {"tenders": [str(t.id) for t in rows]}})
    return TenderOverview(competition, count, True, items, page.next_cursor)


def open_tenders(procurement_id: uuid.UUID) -> Competition:
    """Open the tenders (a project-group member, after the opening time)."""
    access, competition = _group_competition(procurement_id, Action.write)
    competition = _announced(competition)
    if access.project_role not in (ProjectRole.lead, ProjectRole.member):
        raise Forbidden(_l("Only a member of the project group can open the tenders."))
    if competition.opened_at is not None:
        raise Conflict(_l("The tenders are already opened."))
    now = database_now(db.session)
    if now < competition.opening_at:
        raise Conflict(_l("The tenders can be opened from %(time)s.", time=format_datetime(competition.opening_at)),
                       opening_at=competition.opening_at.isoformat())
    rows = list(db.session.execute(select(Tender).where(
        Tender.procurement_id == procurement_id, Tender.status != TenderStatus.draft)
        .order_by(Tender.submitted_at, Tender.id)).scalars())
    _, actor_label = current_actor()
    protocol = {
        "opened_at": now.isoformat(), "opened_by": access.principal.user.name or actor_label,
        "tenders": [{"supplier": t.supplier.name, "org_number": t.supplier.org_number,
                     "submitted_at": t.submitted_at.isoformat(), "sha256": t.receipt_sha256}
                    for t in rows if t.status == TenderStatus.submitted],
        "withdrawn": [{"supplier": t.supplier.name, "org_number": t.supplier.org_number,
                       "withdrawn_at": t.withdrawn_at.isoformat() if t.withdrawn_at else None}
                      for t in rows if t.status == TenderStatus.withdrawn],
    }
    competition.opened_at, competition.opened_by_id = now, access.principal.user.id
    competition.opening_protocol = protocol
    db.session.flush()
    audit.record("competition.opened", "competition", competition.id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id, changes={"after": protocol})
    return competition


def protocol(procurement_id: uuid.UUID) -> dict[str, Any]:
    """The opening protocol (project group); before the opening only the opening time and count."""
    _access, competition = _group_competition(procurement_id)
    if competition is None or competition.opened_at is None:
        return {"opened": False, "opening_at": competition.opening_at if competition else None,
                "count": submitted_count(procurement_id) if competition and competition.announced_at else 0}
    return {"opened": True, "opening_at": competition.opening_at, **competition.opening_protocol}


def shown_protocol(record: dict[str, Any]) -> dict[str, Any]:
    """The protocol with its recorded times (ISO text) as datetimes, for pages."""
    def when(value):
        return datetime.fromisoformat(value) if isinstance(value, str) else value

    shown = {**record, "opened_at": when(record.get("opened_at"))}
    shown["tenders"] = [{**t, "submitted_at": when(t.get("submitted_at"))} for t in record.get("tenders", [])]
    shown["withdrawn"] = [{**t, "withdrawn_at": when(t.get("withdrawn_at"))} for t in record.get("withdrawn", [])]
    return shown


def opened_tender(procurement_id: uuid.UUID, tender_id: uuid.UUID) -> tuple[Competition, Tender]:
    """One submitted tender for the project group after the opening (404 before it)."""
    access, competition = _group_competition(procurement_id)
    refuse_content(access)
    tender = db.session.get(Tender, tender_id)
    if (competition is None or competition.opened_at is None or tender is None
            or tender.procurement_id != procurement_id or tender.status != TenderStatus.submitted):
        raise NotFound(_l("No such tender."))
    return competition, tender


def group_file(procurement_id: uuid.UUID, tender_id: uuid.UUID, file_id: uuid.UUID):
    access, _c = _group_competition(procurement_id)
    competition, tender = opened_tender(procurement_id, tender_id)
    meta, data = tender_service.file_bytes(competition, tender, file_id, own_supplier=False)
    audit.record("competition.tender_file_read", "competition", competition.id,
                 tenant_id=access.acting_tenant_id, procurement_id=procurement_id,
                 changes={"after": {"tender": str(tender.id), "file": str(file_id)}})
    return meta, data
