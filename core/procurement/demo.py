"""What every demo seeder of a procurement uses (idempotent): acting as a demo person, finding
the demo procurements, passing a phase's gate, the installed plugins' domain templates.

The demo procurements themselves come with the library's demo content (`core.library.demo`:
"Tryggere hverdag" starts from a published template, "Smart Mat" carries lessons learned);
the dialogue seeder and later domains add their artefacts to them through
`find_demo_procurement`. Everything goes through the services, acting as the demo people, so
the audit log and the protocol look like real use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import g
from sqlalchemy import select

from core import isolation
from core.auth import principal_for
from core.db import db
from core.identity.service import find_user_by_email
from core.plugin_platform.wiring import installed_templates
from core.procurement import gates
from core.procurement.access import require
from core.procurement.models import Procurement
from tenants.service import get_tenant

TRYGGERE_HVERDAG = "Tryggere hverdag"
SMART_MAT = "Smart Mat"


def domain_templates() -> dict[str, dict]:
    """The domain templates the demo uses, by domain, read from the installed plugins through
    their `samspill_templates` hook (`core.plugin_platform.wiring.installed_templates`)."""
    templates: dict[str, dict] = {}
    for template in installed_templates():
        templates.setdefault(template["domain"], template)
    return templates


@contextmanager
def acting_as(email: str, slug: str) -> Iterator[None]:
    """Run services as a demo person inside one of their tenants (like a tenant page)."""
    previous = (g.get("principal"), g.get("tenant_scope", isolation.SYSTEM), g.get("stamp_tenant_id"))
    with isolation.system_scope():
        user = find_user_by_email(email)
        tenant = get_tenant(slug)
        principal = principal_for(user)
    g.principal = principal
    isolation.set_scope({tenant.id}, stamp_tenant_id=tenant.id)
    try:
        yield
    finally:
        g.principal = previous[0]
        g.tenant_scope, g.stamp_tenant_id = previous[1], previous[2]


def _find(title: str, lead_slug: str) -> Procurement | None:
    with isolation.system_scope():
        lead = get_tenant(lead_slug)
        return db.session.execute(select(Procurement).where(
            Procurement.title == title, Procurement.lead_tenant_id == lead.id)).scalars().first()


def find_demo_procurement(title: str = TRYGGERE_HVERDAG, lead_slug: str = "baerum") -> Procurement | None:
    """For other seeders: the demo procurement by its title (e.g. to add dialogue artefacts)."""
    return _find(title, lead_slug)


def pass_gate(procurement_id, reason: str) -> None:
    """Tick off every manual item of the current phase, waive the rest with `reason`, move on."""
    procurement = require(procurement_id).procurement
    for status in gates.checklist(procurement, procurement.phase):
        if status.met:
            continue
        if status.item.check is None and not status.item.key.startswith("core-benefits"):
            gates.mark_done(procurement_id, status.item.key)
        else:
            gates.waive(procurement_id, status.item.key, reason)
    gates.transition(procurement_id)


