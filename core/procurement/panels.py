"""The tenant dashboard panel: the tenant's procurements and the invitations waiting for it.

Built for a page every visit opens: the procurements come as plain rows of the columns shown
(`service.list_summary_page`), labels are translated once, row links come from one URL build,
and the panel's template loops over ready rows (no macro per row, unpacked in the loop),
rendered without the page's context processors (`core.web.panels`); its constant pieces are
rendered once per language (`_panel_texts.html`) and its links to the tenant's pages come from
`slug_url`. `invitation_rows` prepares the invitations the same way for
`_invitation_items.html` (the dashboard and the invitations page).
"""

from __future__ import annotations

import uuid
from typing import NamedTuple

from markupsafe import Markup

from core.auth import current_principal
from core.i18n import translations
from core.procurement import participants
from core.procurement import service as procurements
from core.procurement.labels import LABELS
from core.web.panels import labels_in, render_panel
from core.web.urls import slug_url, tenant_url_per_id
from tenants.models import Tenant, TenantRole

PANEL_SIZE = 10
INVITATIONS_SHOWN = 5  # the oldest; the rest are on the invitations page


class PanelRow(NamedTuple):
    """One procurement of the panel's table."""

    id: uuid.UUID
    url: str
    title: str
    phase: str
    lead: str
    part: str


class PanelLinks(NamedTuple):
    """The tenant's pages the panel links to (None where the panel shows no link)."""

    index: str | None
    new: str | None
    library: str | None
    invitations: str | None


class InvitationRow(NamedTuple):
    """One invitation of `_invitation_items.html`, its sentence, links and labels ready."""

    procurement_id: uuid.UUID
    title: str
    text: str
    buyer: bool
    respond_url: str
    accept_url: str | None


def procurement_panel(tenant: Tenant) -> Markup:

    principal = current_principal()
    page = procurements.list_summary_page(tenant, limit=PANEL_SIZE)
    can_answer = principal.has_role(tenant.id, TenantRole.officer)
    invitations, invitation_count = [], 0
    if can_answer:
        first = participants.pending_invitations(tenant.id, limit=INVITATIONS_SHOWN)
        invitations, invitation_count = first.items, first.extra["total"]
    phase, part = labels_in(LABELS["phase"]), labels_in(LABELS["part"])
    show = tenant_url_per_id("procurement.show", "procurement_id")
    # the phase, status and part are StrEnums: equal to their values and hashed as them
    rows = [PanelRow(r.id, show(r.id), r.title, phase(r.phase if r.status == "active" else r.status),
                     r.lead_name, part(r.part)) for r in page.items]
    more = page.next_cursor is not None
    slug = tenant.slug
    links = PanelLinks(slug_url("procurement.index")(slug) if more else None,
                       slug_url("procurement.new")(slug) if can_answer else None,
                       slug_url("library.index")(slug) if can_answer else None,
                       slug_url("procurement_group.invitations")(slug) if invitation_count > len(invitations) else None)
    return render_panel("procurement/_dashboard_panel.html", rows=rows, more=more, links=links,
                        invitations=invitations, invitation_count=invitation_count, can_create=can_answer)


def invitation_rows(invitations, back: str | None = None) -> list[InvitationRow]:
    """The rows of `participants.pending_invitations` (procurement id, part, title, lead's name)
    ready for `_invitation_items.html`; `back` is the page the answer returns to."""
    if not invitations:
        return []
    gettext = translations().ugettext
    part = labels_in(LABELS["part"])
    respond = tenant_url_per_id("procurement_group.respond", "procurement_id")
    accept = tenant_url_per_id("procurement_group.accept_page", "procurement_id", back=back or None)
    sentence = gettext("%(lead)s invites you as %(role)s to “%(title)s”.")
    rows = []
    for invitation in invitations:
        role, title, pid = invitation.role.value, invitation.title, invitation.procurement_id
        buyer = role == "buyer"
        text = sentence % {"lead": invitation.lead, "role": part(role).lower(), "title": title}
        rows.append(InvitationRow(pid, title, text, buyer, respond(pid), accept(pid) if buyer else None))
    return rows
