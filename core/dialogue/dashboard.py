"""The market dialogue's dashboard panel: the tenant's newest procurements in market dialogue,
as plain rows of the three columns the panel shows (no procurement entities, no lead tenant)."""

from __future__ import annotations

from markupsafe import Markup
from sqlalchemy import select

from core.access import require_tenant_role
from core.auth import current_principal
from core.db import db
from core.procurement.access import caller_tenant_ids, visible_procurement_ids
from core.procurement.models import Phase, Procurement
from core.web.panels import render_panel
from core.web.urls import url_per_id
from tenants.models import Tenant, TenantRole

DASHBOARD_DIALOGUES = 10  # the newest procurements in market dialogue, on the tenant dashboard


def dialogue_rows(tenant: Tenant, limit: int = DASHBOARD_DIALOGUES) -> list:
    """(id, title, dialogue_open) of the procurements the tenant leads or actively takes part in
    that are in market dialogue, newest first (the order and filter of
    `procurement.service.list_for_tenant`)."""
    require_tenant_role(tenant.id, TenantRole.viewer)
    ids = caller_tenant_ids(current_principal()) & {tenant.id}
    return list(db.session.execute(
        select(Procurement.id, Procurement.title, Procurement.dialogue_open)
        .where(Procurement.id.in_(visible_procurement_ids(ids)), Procurement.phase == Phase.dialogue)
        .order_by(Procurement.created_at.desc(), Procurement.id.desc()).limit(limit)))


def dialogue_panel(tenant: Tenant) -> Markup | None:
    """The panel, or None when no procurement is in market dialogue."""
    rows = dialogue_rows(tenant)
    if not rows:
        return None
    link = url_per_id("dialogue.overview", "procurement_id")
    return render_panel("dialogue/group/_dashboard_panel.html", items=[(p, link(p.id)) for p in rows])
