"""Buyers' mandates: each buyer (and the lead) records its municipality's decision to take part —
reference, date, signatory — and the volume it expects to buy, options included. The
procurement's estimate from the buyers is the sum of their volumes and options.

Recorded by the buyer tenant's own officers or admins (`PUT`), once it has accepted the
invitation; readable by every participant.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from core import audit
from core.award import inputs
from core.award.models import Mandate
from core.db import db
from core.errors import Forbidden, ValidationError
from core.i18n import _l
from core.pagination import MAX_LIMIT, keyset_page
from core.procurement.access import Action, ProcurementAccess, require
from core.procurement.models import ParticipantRole
from core.procurement.service import ensure_active
from tenants.models import ROLE_RANK, TenantRole


@dataclass
class Mandates:
    items: list[Mandate]
    total_ore: int
    next_cursor: str | None = None


def _total(procurement_id: uuid.UUID) -> int:
    """The sum of every buyer's volume and options, in øre (one query, whatever the page)."""
    return int(db.session.execute(select(func.coalesce(func.sum(Mandate.volume_ore + Mandate.options_ore), 0))
                                  .where(Mandate.procurement_id == procurement_id)).scalar_one())


def list_mandates(procurement_id: uuid.UUID, cursor: str | None = None, limit: int = MAX_LIMIT) -> Mandates:
    """One keyset page of the buyers' mandates (oldest first) and the sum of all of them."""
    require(procurement_id, Action.read)
    page = keyset_page(select(Mandate).where(Mandate.procurement_id == procurement_id),
                       [(Mandate.created_at, False), (Mandate.id, False)], limit=limit, cursor=cursor)
    return Mandates(page.items, _total(procurement_id), page.next_cursor)


def _buyer_tenant(access: ProcurementAccess) -> uuid.UUID:
    for tenant_id, part in access.participations.items():
        role = access.principal.role_in(tenant_id)
        if part in (ParticipantRole.lead, ParticipantRole.buyer) and role is not None and \
                ROLE_RANK[role] >= ROLE_RANK[TenantRole.officer]:
            return tenant_id
    raise Forbidden(_l("Only a buyer's officers record its mandate."))


def record(procurement_id: uuid.UUID, data: Any) -> Mandate:
    access = require(procurement_id, Action.read)
    ensure_active(access.procurement)
    tenant_id = _buyer_tenant(access)
    data = inputs.body(data)
    errors: dict[str, list] = {}
    ref = inputs.text(data, "decision_ref", errors, maximum=200)
    signatory = inputs.text(data, "signatory", errors, maximum=200)
    decided_on = inputs.day(data, "decided_on", errors)
    if decided_on is None and "decided_on" not in errors:
        errors["decided_on"] = [_l("A date (YYYY-MM-DD).")]
    volume = inputs.amount_ore(data, "volume_ore", errors)
    if volume is None and "volume_ore" not in errors:
        errors["volume_ore"] = [_l("An amount in øre from 0.")]
    options = inputs.amount_ore(data, "options_ore", errors) or 0
    if errors:
        raise ValidationError(_l("Some fields are invalid."), errors=errors)
    row = db.session.execute(select(Mandate).where(
        Mandate.procurement_id == procurement_id, Mandate.tenant_id == tenant_id)).scalar_one_or_none()
    if row is None:
        row = Mandate(procurement_id=procurement_id, tenant_id=tenant_id)
        db.session.add(row)
    row.decision_ref, row.signatory, row.decided_on = ref, signatory, decided_on
    row.volume_ore, row.options_ore, row.recorded_by_id = volume, options, access.principal.user.id
    db.session.flush()
    audit.record("award.mandate_recorded", "award_mandate", row.id, tenant_id=tenant_id,
                 procurement_id=procurement_id,
                 changes={"after": {"buyer": row.tenant.name, "decision_ref": ref, "decided_on": decided_on.isoformat(),
                                    "signatory": signatory, "volume_ore": volume, "options_ore": options}})
    return row
