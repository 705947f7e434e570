"""The tenant dashboard panel: the tenant's procurements and the invitations waiting for it."""

from __future__ import annotations

from flask import render_template
from markupsafe import Markup

from core.auth import current_principal
from core.procurement import participants
from core.procurement import service as procurements
from tenants.models import Tenant, TenantRole

PANEL_SIZE = 10
INVITATIONS_SHOWN = 5  # the oldest; the rest are on the invitations page


def procurement_panel(tenant: Tenant) -> Markup:

    principal = current_principal()
    page = procurements.list_page(tenant, limit=PANEL_SIZE)
    can_answer = principal.has_role(tenant.id, TenantRole.officer)
    invitations, invitation_count = [], 0
    if can_answer:
        first = participants.pending_invitations(tenant.id, limit=INVITATIONS_SHOWN)
        invitations = first.items
        invitation_count = (participants.count_pending_invitations(tenant.id) if first.next_cursor
                            else len(invitations))
    html = render_template("procurement/_dashboard_panel.html", page=page, invitations=invitations,
                           invitation_count=invitation_count, can_create=can_answer)
    return Markup(html)  # noqa: S704 (a rendered, autoescaped template)
