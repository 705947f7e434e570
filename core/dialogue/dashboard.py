"""The market dialogue's dashboard panel: the tenant's newest procurements in market dialogue,
as plain rows of the three columns the panel shows (no procurement entities, no lead tenant),
read with a Core statement built once at import."""

from __future__ import annotations

from markupsafe import Markup
from sqlalchemy import bindparam, select

from core.access import require_tenant_role
from core.auth import current_principal
from core.db import db
from core.procurement.access import caller_tenant_ids
from core.procurement.models import Participation, ParticipationStatus, Phase, Procurement
from core.web.panels import render_panel
from core.web.urls import url_per_id
from tenants.models import Tenant, TenantRole

DASHBOARD_DIALOGUES = 10  # the newest procurements in market dialogue, on the tenant dashboard


_procurements, _participations = Procurement.__table__, Participation.__table__
# Built once, bound per call. Neither table is tenant-owned (`core.isolation`): the filter on the
# tenant's active participations is explicit, and row-level security repeats it on PostgreSQL.
_DIALOGUES = (
    select(_procurements.c.id, _procurements.c.title, _procurements.c.dialogue_open)
    .where(_procurements.c.id.in_(select(_participations.c.procurement_id).where(
               _participations.c.tenant_id == bindparam("tenant_id"),
               _participations.c.status == ParticipationStatus.active)),
           _procurements.c.phase == Phase.dialogue)
    .order_by(_procurements.c.created_at.desc(), _procurements.c.id.desc())
    .limit(bindparam("limit"))
)


def dialogue_rows(tenant: Tenant, limit: int = DASHBOARD_DIALOGUES) -> list:
    """(id, title, dialogue_open) of the procurements the tenant leads or actively takes part in
    that are in market dialogue, newest first (the order and filter of
    `procurement.service.list_for_tenant`)."""
    require_tenant_role(tenant.id, TenantRole.viewer)
    if tenant.id not in caller_tenant_ids(current_principal()):
        return []
    return db.session.connection().execute(_DIALOGUES, {"tenant_id": tenant.id, "limit": limit}).all()


def dialogue_panel(tenant: Tenant) -> Markup | None:
    """The panel, or None when no procurement is in market dialogue."""
    rows = dialogue_rows(tenant)
    if not rows:
        return None
    link = url_per_id("dialogue.overview", "procurement_id")
    return render_panel("dialogue/group/_dashboard_panel.html", items=[(p, link(p.id)) for p in rows])
