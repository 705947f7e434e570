"""Rules for procurements: creation and listing (the procurement issue extends this module)."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from core import audit
from core.access import require_tenant_role
from core.db import db, utcnow
from core.errors import ValidationError
from core.procurement.access import caller_tenant_ids, visible_procurement_ids
from core.procurement.models import (
    ParticipantRole, Participation, ParticipationStatus, Procurement, ProjectMember, ProjectRole,
)
from tenants.models import Tenant, TenantRole


def create_procurement(tenant: Tenant, *, title: str, description: str = "", **fields) -> Procurement:
    """A new procurement led by `tenant`; the creator joins the project group as lead."""
    principal = require_tenant_role(tenant.id, TenantRole.officer)
    title = (title or "").strip()
    if not title or len(title) > 300:
        raise ValidationError("A title is required.", errors={"title": ["1-300 characters."]})
    procurement = Procurement(lead_tenant_id=tenant.id, title=title, description=description or "",
                              created_by_id=principal.user.id, **fields)
    db.session.add(procurement)
    db.session.flush()
    db.session.add(Participation(procurement_id=procurement.id, tenant_id=tenant.id,
                                 role=ParticipantRole.lead, status=ParticipationStatus.active,
                                 responded_at=utcnow()))
    db.session.add(ProjectMember(procurement_id=procurement.id, user_id=principal.user.id,
                                 tenant_id=tenant.id, role=ProjectRole.lead))
    audit.record("procurement.created", "procurement", procurement.id, tenant_id=tenant.id,
                 procurement_id=procurement.id, changes={"after": {"title": title}})
    return procurement


def list_for_tenant(tenant: Tenant, limit: int = 50) -> list[Procurement]:
    """Procurements the tenant leads or actively takes part in, newest first."""
    from core.auth import current_principal

    require_tenant_role(tenant.id, TenantRole.viewer)
    ids = caller_tenant_ids(current_principal()) & {tenant.id}
    return list(db.session.execute(
        select(Procurement).where(Procurement.id.in_(visible_procurement_ids(ids)))
        .order_by(Procurement.created_at.desc(), Procurement.id.desc()).limit(limit)
    ).scalars())


def get(procurement_id: uuid.UUID) -> Procurement:
    from core.procurement.access import require

    return require(procurement_id).procurement
