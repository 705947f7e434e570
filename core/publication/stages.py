"""What the competition and award stages publish, read from their own tables: the announced
competition (lots, deadlines, award criteria with weights, how many tenders), the award decision
(winner per lot), the signed contracts (one per buyer) with their option deadlines, and the days
their follow-up meetings were held.

Only public facts: never a tender's sealed content, its prices or its business secrets; the
number of tenders only after the opening. Both the OCDS later-stage releases (`ocds_releases`)
and the contract and award notices are built from this.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from core import isolation
from core.award.decision import decision_of
from core.award.models import AwardDecision, Contract
from core.benefits.models import FollowUpMeeting
from core.competition.models import Competition, Tender, TenderStatus
from core.competition.settings import competition_of
from core.db import db, utcnow
from core.publication.models import RegisterCheck
from core.specification.models import AwardCriterion, Lot
from core.suppliers.models import SupplierOrganisation
from tenants.models import Tenant


@dataclass
class Criterion:
    name: str
    weight: int
    is_price: bool
    children: list[Criterion] = field(default_factory=list)


@dataclass
class Winner:
    lot_id: str | None
    lot: str
    supplier: str
    org_number: str
    email: str = ""
    city: str = ""
    postal_zone: str = ""
    municipality: str = ""


@dataclass
class SignedContract:
    buyer: str
    buyer_org_number: str
    supplier: str
    supplier_org_number: str
    lot_id: str | None
    value_ore: int | None
    starts_on: date | None
    ends_on: date | None
    signed_on: date
    contract_id: uuid.UUID | None = None
    tenant_id: uuid.UUID | None = None
    # [{"description", "exercise_by": "YYYY-MM-DD", ...}]: the contract's options and their deadlines
    options: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Stages:
    competition: Competition | None = None
    lots: list[Lot] = field(default_factory=list)
    criteria: list[Criterion] = field(default_factory=list)
    tender_count: int | None = None  # known after the opening
    tenderers: list[tuple[str, str]] = field(default_factory=list)  # (name, org number) after the opening
    decision: AwardDecision | None = None
    winners: list[Winner] = field(default_factory=list)
    contracts: list[SignedContract] = field(default_factory=list)

    @property
    def announced(self) -> bool:
        return self.competition is not None and self.competition.announced_at is not None

    @property
    def award_public(self) -> bool:
        """The award is public once the standstill has ended (or there was none)."""
        d = self.decision
        return d is not None and d.suspended_at is None and (
            d.standstill_ends_at is None or d.standstill_ends_at <= utcnow())

    @property
    def award_date(self) -> datetime | None:
        return self.decision.letters_sent_at if self.decision else None


def criteria_of(procurement_id: uuid.UUID) -> list[Criterion]:
    rows = list(db.session.execute(select(AwardCriterion).where(AwardCriterion.procurement_id == procurement_id)
                                   .order_by(AwardCriterion.position).limit(200)).scalars())
    by_id = {row.id: Criterion(row.name, row.weight, row.is_price) for row in rows}
    top = []
    for row in rows:
        if row.parent_id in by_id:
            by_id[row.parent_id].children.append(by_id[row.id])
        else:
            top.append(by_id[row.id])
    return top


def stages_of(procurement_id: uuid.UUID) -> Stages:
    """The public facts of the later stages (read in system scope: the caller decides who sees them)."""
    with isolation.system_scope():
        result = Stages(competition=competition_of(procurement_id))
        if not result.announced:
            return result
        result.lots = list(db.session.execute(select(Lot).where(Lot.procurement_id == procurement_id)
                                              .order_by(Lot.position).limit(200)).scalars())
        result.criteria = criteria_of(procurement_id)
        if result.competition.opened_at is not None:
            result.tender_count = db.session.execute(select(func.count(Tender.id)).where(
                Tender.procurement_id == procurement_id, Tender.status == TenderStatus.submitted)).scalar_one()
            result.tenderers = [tuple(row) for row in db.session.execute(
                select(SupplierOrganisation.name, SupplierOrganisation.org_number)
                .join(Tender, Tender.supplier_id == SupplierOrganisation.id)
                .where(Tender.procurement_id == procurement_id, Tender.status == TenderStatus.submitted)
                .order_by(SupplierOrganisation.name).limit(500)).all()]
        result.decision = decision_of(procurement_id)
        if result.decision is None:
            return result
        winners = result.decision.winners or []
        tender_ids = [uuid.UUID(str(w["tender_id"])) for w in winners if w.get("tender_id")]
        orgs = {row.id: row for row in db.session.execute(
            select(Tender.id, SupplierOrganisation.name, SupplierOrganisation.org_number,
                   SupplierOrganisation.contact_email, RegisterCheck.city, RegisterCheck.postal_zone,
                   RegisterCheck.municipality_number)
            .join(SupplierOrganisation, SupplierOrganisation.id == Tender.supplier_id)
            .outerjoin(RegisterCheck, RegisterCheck.org_number == SupplierOrganisation.org_number)
            .where(Tender.id.in_(tender_ids))).all()} if tender_ids else {}
        for entry in winners:
            org = orgs.get(uuid.UUID(str(entry["tender_id"]))) if entry.get("tender_id") else None
            result.winners.append(Winner(lot_id=str(entry["lot_id"]) if entry.get("lot_id") else None,
                                         lot=entry.get("lot") or "", supplier=org.name if org else entry["supplier"],
                                         org_number=org.org_number if org else "",
                                         email=org.contact_email if org else "", city=org.city or "" if org else "",
                                         postal_zone=org.postal_zone or "" if org else "",
                                         municipality=org.municipality_number or "" if org else ""))
        rows = db.session.execute(
            select(Contract, Tenant.name, Tenant.org_number)
            .join(Tenant, Tenant.id == Contract.tenant_id)
            .where(Contract.procurement_id == procurement_id, Contract.signed_on.is_not(None))
            .order_by(Tenant.name).limit(200)).all()
        for contract, buyer, buyer_org in rows:
            result.contracts.append(SignedContract(
                buyer=buyer, buyer_org_number=buyer_org or "", supplier=contract.supplier.name,
                supplier_org_number=contract.supplier.org_number,
                lot_id=str(contract.lot_id) if contract.lot_id else None, value_ore=contract.value_ore,
                starts_on=contract.starts_on, ends_on=contract.ends_on, signed_on=contract.signed_on,
                contract_id=contract.id, tenant_id=contract.tenant_id,
                options=[o for o in contract.options or [] if isinstance(o, dict)]))
    return result


def follow_up_dates(contract_ids: list[uuid.UUID]) -> dict[uuid.UUID, list[date]]:
    """The days the signed contracts' follow-up meetings were held (one query). Only the dates:
    the meetings' titles and minutes are the buyer's own notes and never published."""
    if not contract_ids:
        return {}
    found: dict[uuid.UUID, list[date]] = {}
    with isolation.system_scope():  # several buyers' contracts; only the dates leave this function
        for contract_id, held_on in db.session.execute(
                select(FollowUpMeeting.contract_id, FollowUpMeeting.held_on)
                .where(FollowUpMeeting.contract_id.in_(contract_ids))
                .order_by(FollowUpMeeting.held_on, FollowUpMeeting.id).limit(1000)).all():
            found.setdefault(contract_id, []).append(held_on)
    return found


def criteria_text(criteria: list[Criterion]) -> str:
    """"Kvalitet 40 % (Brukervennlighet 25 %, Personvern 15 %); Pris 30 %"."""
    parts = []
    for c in criteria:
        inner = f" ({', '.join(f'{s.name} {s.weight} %' for s in c.children)})" if c.children else ""
        parts.append(f"{c.name} {c.weight} %{inner}")
    return "; ".join(parts)


def as_dict(stages: Stages) -> dict[str, Any]:
    """Plain data for `NoticeData.extra`."""
    return {"lots": [{"id": str(lot.id), "title": lot.title, "description": lot.description} for lot in stages.lots],
            "tender_count": stages.tender_count}
