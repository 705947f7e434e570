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
from core.web.urls import tenant_url_per_id
from tenants.models import Tenant, TenantRole

DASHBOARD_DIALOGUES = 10  # the newest procurements in market dialogue, on the tenant dashboard


_procurements, _participations = Procurement.__table__, Participation.__table__
# Built once, bound per call. Neither table is tenant-owned (`core.isolation`): the filter on the
# tenant's active participations is explicit, and row-level security repeats it on PostgreSQL.
# Ordered by the participation's copy of the procurement's creation time (as the procurement
# list is), so the database walks the index `ix_participations_tenant_list` newest first and
# stops after a panel's worth in market dialogue, whatever the tenant's size. Ordered by the
# procurement's own columns, a prepared statement's generic plan (decision 158) expected a
# municipality's average number of participations and joined and sorted all of the busiest
# one's: 9.4 ms against 0.8 ms at scale 10 (decisions, plans round 5). One participation per
# procurement and tenant (`uq_participations_procurement_tenant`): the join adds no duplicates.
_DIALOGUES = (
    select(_procurements.c.id, _procurements.c.title, _procurements.c.dialogue_open)
    .select_from(_participations.join(_procurements, _procurements.c.id == _participations.c.procurement_id))
    .where(_participations.c.tenant_id == bindparam("tenant_id"),
           _participations.c.status == ParticipationStatus.active,
           _procurements.c.phase == Phase.dialogue)
    .order_by(_participations.c.procurement_created_at.desc(), _participations.c.procurement_id.desc())
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
    link = tenant_url_per_id("dialogue.overview", "procurement_id")
    return render_panel("dialogue/group/_dashboard_panel.html",
                        items=[(p_id, title, dialogue_open, link(p_id)) for p_id, title, dialogue_open in rows])
