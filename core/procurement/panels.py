"""The tenant dashboard panel: the tenant's procurements and the invitations waiting for it."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from core.procurement import participants
from core.procurement import service as procurements
from tenants.models import Tenant, TenantRole

PANEL_SIZE = 10


def procurement_panel(tenant: Tenant) -> Markup:
    from core.auth import current_principal

    principal = current_principal()
    page = procurements.list_page(tenant, limit=PANEL_SIZE)
    can_answer = principal.has_role(tenant.id, TenantRole.officer)
    invitations = participants.pending_invitations(tenant.id) if can_answer else []
    html = render_template("procurement/_dashboard_panel.html", page=page, invitations=invitations,
                           can_create=can_answer)
    return Markup(html)  # noqa: S704 (a rendered, autoescaped template)
