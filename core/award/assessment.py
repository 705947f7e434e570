"""Qualification and rejection of a tender, by the lead.

- Qualification: met or not, with a reason (assessed against the declared qualification
  requirements of the competition).
- Rejection (avvisning): a legal ground from anskaffelsesforskriften (`GROUNDS`) and a reason;
  a rejected tender is not scored or ranked, and its tenderer is told at once (outbox).
"""

from __future__ import annotations

import uuid
from typing import Any

from flask_babel import gettext
from sqlalchemy import select

from core import audit
from core.award import committee, inputs
from core.award import tenders as award_tenders
from core.award.models import Assessment
from core.competition.models import Tender
from core.db import db
from core.deadlines import database_now
from core.errors import Conflict, ValidationError
from core.i18n import _l
from core.identity.models import User
from core.isolation import system_scope
from core.notifications.service import Recipient, notify
from core.procurement.models import Procurement
from core.suppliers.models import SupplierMember

# Rejection grounds (anskaffelsesforskriften): key -> readable text.
GROUNDS = {
    "foa-24-2": _l("§ 24-2: the tenderer is excluded (mandatory exclusion grounds)"),
    "foa-24-8-1a": _l("§ 24-8 (1) a: the tenderer does not meet the qualification requirements"),
    "foa-24-8-1b": _l("§ 24-8 (1) b: the tender contains significant deviations from the procurement documents"),
    "foa-24-8-1c": _l("§ 24-8 (1) c: the tender was not received before the deadline"),
    "foa-24-8-2": _l("§ 24-8 (2): the tender has errors or deviations that make it uncertain or "
                     "impossible to compare"),
    "foa-24-9": _l("§ 24-9: the tender has an abnormally low price not sufficiently explained"),
    "foa-9-5": _l("§ 9-5: rejection of the tenderer or the tender (part II)"),
}


def assessment_of(tender: Tender, *, create: bool = False) -> Assessment | None:
    row = db.session.execute(select(Assessment).where(Assessment.tender_id == tender.id)).scalar_one_or_none()
    if row is None and create:
        row = Assessment(procurement_id=tender.procurement_id, tender_id=tender.id, consensus={})
        db.session.add(row)
    return row


def submitted_with_assessments(procurement_id: uuid.UUID) -> list[tuple[Tender, Assessment | None]]:
    """The submitted tenders (`tenders.submitted`), each with its assessment, in one statement."""
    query = award_tenders.submitted_query(procurement_id).add_columns(Assessment).outerjoin(
        Assessment, Assessment.tender_id == Tender.id)
    return [(tender, mark) for tender, mark in db.session.execute(query)]


def assessments(procurement_id: uuid.UUID) -> dict[uuid.UUID, Assessment]:
    return {a.tender_id: a for a in db.session.execute(
        select(Assessment).where(Assessment.procurement_id == procurement_id)).scalars()}


def _lead_on(tender_id: uuid.UUID):
    tender = award_tenders.tender_in(tender_id)
    access = committee.require_lead(tender.procurement_id)
    if not access.procurement.is_active:
        raise Conflict(_l("The procurement is completed or cancelled."))
    return access, tender


def qualify(tender_id: uuid.UUID, data: Any) -> Assessment:
    access, tender = _lead_on(tender_id)
    data = inputs.body(data)
    errors: dict[str, list] = {}
    if not isinstance(data.get("qualified"), bool):
        errors["qualified"] = [_l("Say whether the tenderer is qualified.")]
    reason = inputs.text(data, "reason", errors, minimum=5)
    if errors:
        raise ValidationError(_l("The qualification is not complete."), errors=errors)
    row = assessment_of(tender, create=True)
    row.qualified, row.qualification_reason, row.updated_by_id = data["qualified"], reason, access.principal.user.id
    db.session.flush()
    audit.record("award.qualification_assessed", "tender", tender.id, tenant_id=access.acting_tenant_id,
                 procurement_id=tender.procurement_id,
                 changes={"after": {"tenderer": tender.supplier.name, "qualified": data["qualified"],
                                    "reason": reason}})
    return row


def supplier_people(supplier_id: uuid.UUID) -> list[Recipient]:
    stmt = (select(User.email, User.locale).join(SupplierMember, SupplierMember.user_id == User.id)
            .where(SupplierMember.supplier_id == supplier_id, User.is_active.is_(True)).order_by(User.email))
    with system_scope():
        return [Recipient(email, locale) for email, locale in db.session.execute(stmt).all()]


def reject(tender_id: uuid.UUID, data: Any) -> Assessment:
    """Reject a tender (once) with a legal ground and a reason; the tenderer is told."""
    access, tender = _lead_on(tender_id)
    data = inputs.body(data)
    errors: dict[str, list] = {}
    ground = data.get("ground")
    if ground not in GROUNDS:
        errors["ground"] = [_l("Choose a legal ground.")]
    reason = inputs.text(data, "reason", errors, minimum=5)
    if errors:
        raise ValidationError(_l("The rejection is not complete."), errors=errors)
    row = assessment_of(tender, create=True)
    if row.rejected_at is not None:
        raise Conflict(_l("The tender is already rejected."))
    row.rejected_at = database_now(db.session)
    row.rejection_ground, row.rejection_reason, row.updated_by_id = ground, reason, access.principal.user.id
    db.session.flush()
    audit.record("award.tender_rejected", "tender", tender.id, tenant_id=access.acting_tenant_id,
                 procurement_id=tender.procurement_id,
                 changes={"after": {"tenderer": tender.supplier.name, "ground": ground, "reason": reason}})
    title = db.session.get(Procurement, tender.procurement_id).title
    notify(supplier_people(tender.supplier_id),
           lambda: gettext("Your tender in %(title)s is rejected", title=title),
           lambda: gettext("Your tender in %(title)s is rejected.\n\nLegal ground: %(ground)s\n\nReason: "
                           "%(reason)s\n\nYou can complain about the decision to the contracting authority.",
                           title=title, ground=str(GROUNDS[ground]), reason=reason))
    return row
