"""Buyers' mandates: each buyer (and the lead) records its municipality's decision to take part —
reference, date, signatory — and the volume it expects to buy, options included. The
procurement's estimate from the buyers is the sum of their volumes and options.

A buyer records its mandate when it accepts the invitation (`on_acceptance`, through the
procurement's hook `samspill_buyer_acceptance`: decision reference, date, signatory and the
estimated volume with options in whole NOK are required there); its officers or admins amend it
(`PUT`, replacing their own) afterwards. Readable by every participant; the procurement's page
shows each buyer's share of the sum (`shares`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import bindparam, func, select

from core import audit
from core.auth import current_principal
from core.award import inputs
from core.award.models import Mandate
from core.db import db
from core.errors import Forbidden, ValidationError
from core.i18n import _l
from core.pagination import MAX_LIMIT, keyset_page
from core.procurement.access import Action, ProcurementAccess, require
from core.procurement.models import ParticipantRole, Participation
from core.procurement.service import ensure_active
from tenants.models import ROLE_RANK, Tenant, TenantRole


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


MAX_VOLUME_NOK = 10**13


def _whole_kroner(data: dict, key: str, errors: dict) -> int | None:
    value = data.get(key)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_VOLUME_NOK:
        errors[key] = [_l("Whole kroner from 0.")]
        return None
    return value


def on_acceptance(participation: Participation, terms: dict) -> Mandate:
    """The buyer's mandate, recorded as it accepts the invitation (the procurement package has
    checked that an admin or officer of that buyer answers): `decision_ref`, `decided_on`
    (YYYY-MM-DD), `signatory` and `volume_nok` (the estimated volume, options included, in whole
    kroner) are all required; every missing or bad field is named in one 422, and the acceptance
    is then not written either."""
    errors: dict[str, list] = {}
    ref = inputs.text(terms, "decision_ref", errors, maximum=200)
    decided_on = inputs.day(terms, "decided_on", errors)
    if decided_on is None and "decided_on" not in errors:
        errors["decided_on"] = [_l("A date (YYYY-MM-DD).")]
    signatory = inputs.text(terms, "signatory", errors, maximum=200)
    volume = _whole_kroner(terms, "volume_nok", errors)
    if errors:
        raise ValidationError(_l("Accepting needs the municipality's mandate."), errors=errors)
    row = db.session.execute(select(Mandate).where(
        Mandate.procurement_id == participation.procurement_id,
        Mandate.tenant_id == participation.tenant_id)).scalar_one_or_none()
    if row is None:
        row = Mandate(procurement_id=participation.procurement_id, tenant_id=participation.tenant_id)
        db.session.add(row)
    row.decision_ref, row.signatory, row.decided_on = ref, signatory, decided_on
    row.volume_ore, row.options_ore, row.recorded_by_id = volume * 100, 0, current_principal().user.id
    db.session.flush()
    audit.record("award.mandate_recorded", "award_mandate", row.id, tenant_id=participation.tenant_id,
                 procurement_id=participation.procurement_id,
                 changes={"after": {"buyer": participation.tenant.name, "decision_ref": ref,
                                    "decided_on": decided_on.isoformat(), "signatory": signatory,
                                    "volume_ore": volume * 100, "options_ore": 0}})
    return row


class Share(NamedTuple):
    """One buyer's part of the procurement's estimate from its buyers: its mandate's columns
    that the page shows, its volume with options (øre) and its share of the sum."""

    slug: str
    name: str
    decision_ref: str
    decided_on: date
    signatory: str
    total_ore: int
    percent: int  # of the sum, rounded; 0 when the sum is 0


_mandates, _tenants = Mandate.__table__, Tenant.__table__
# Built once, bound per call: the first page of mandates as plain columns with their tenant, and
# the sum over every mandate of the procurement (a window over the rows before the limit), as
# `list_mandates` reads with its page and `_total` together. Mandates are not tenant-owned rows
# (`core.isolation`): every participant reads them; row-level security checks the procurement.
_SHARES = (
    select(_tenants.c.slug, _tenants.c.name, _mandates.c.decision_ref, _mandates.c.decided_on,
           _mandates.c.signatory, (_mandates.c.volume_ore + _mandates.c.options_ore).label("amount"),
           func.sum(_mandates.c.volume_ore + _mandates.c.options_ore).over().label("total_ore"))
    .select_from(_mandates.join(_tenants, _tenants.c.id == _mandates.c.tenant_id))
    .where(_mandates.c.procurement_id == bindparam("procurement_id"))
    .order_by(_mandates.c.created_at, _mandates.c.id)
    .limit(MAX_LIMIT)
)


def shares(procurement_id: uuid.UUID) -> tuple[list[Share], int]:
    """Each buyer's mandate with its volume (options included) and share of the sum, and the sum
    (øre) — the estimate the procurement's page shows. The caller can read the procurement."""
    require(procurement_id, Action.read)
    found = db.session.connection().execute(_SHARES, {"procurement_id": procurement_id}).all()
    total = int(found[0].total_ore or 0) if found else 0
    return [Share(slug, name, ref, decided_on, signatory, amount, round(amount * 100 / total) if total else 0)
            for slug, name, ref, decided_on, signatory, amount, _total in found], total
