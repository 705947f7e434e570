"""Demo content of the procurement domain and the library (idempotent).

- The platform templates are published.
- Bærum publishes the "Tryggere hverdag" template, open to all municipalities, and runs the
  joint "Tryggere hverdag" procurement from it, with Asker as an active buyer, in the market
  dialogue phase (the dialogue seeder adds conference, questionnaire and slots afterwards).
- Bærum's own "Smart Mat" procurement, in the contract phase, with lessons learned.
- Drammen has nothing yet: it can start from the published template.

Everything goes through the services, acting as the demo people, so the audit log and the
protocol look like real use.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import g
from sqlalchemy import select

from core import isolation
from core.db import db
from core.procurement.models import Phase, Procurement

TRYGGERE_HVERDAG = "Tryggere hverdag"
SMART_MAT = "Smart Mat"


def domain_templates() -> dict[str, dict]:
    """The domain templates the demo uses, by domain, read from the installed plugins through
    their `samspill_templates` hook (`core.plugin_platform.wiring.installed_templates`)."""
    from core.plugin_platform.wiring import installed_templates

    templates: dict[str, dict] = {}
    for template in installed_templates():
        templates.setdefault(template["domain"], template)
    return templates


@contextmanager
def acting_as(email: str, slug: str) -> Iterator[None]:
    """Run services as a demo person inside one of their tenants (like a tenant page)."""
    from core.auth import principal_for
    from core.identity.service import find_user_by_email
    from tenants.service import get_tenant

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
    from tenants.service import get_tenant

    with isolation.system_scope():
        lead = get_tenant(lead_slug)
        return db.session.execute(select(Procurement).where(
            Procurement.title == title, Procurement.lead_tenant_id == lead.id)).scalars().first()


def find_demo_procurement(title: str = TRYGGERE_HVERDAG, lead_slug: str = "baerum") -> Procurement | None:
    """For other seeders: the demo procurement by its title (e.g. to add dialogue artefacts)."""
    return _find(title, lead_slug)


def _pass_gate(procurement_id, reason: str) -> None:
    """Tick off every manual item of the current phase, waive the rest with `reason`, move on."""
    from core.procurement import gates
    from core.procurement.access import require

    procurement = require(procurement_id).procurement
    for status in gates.checklist(procurement, procurement.phase):
        if status.met:
            continue
        if status.item.check is None and not status.item.key.startswith("core-benefits"):
            gates.mark_done(procurement_id, status.item.key)
        else:
            gates.waive(procurement_id, status.item.key, reason)
    gates.transition(procurement_id)


def _welfare_template(tenant):
    from core.library import service as library
    from core.library.models import Template

    existing = db.session.execute(select(Template).where(
        Template.owner_tenant_id == tenant.id, Template.key == "tryggere-hverdag")).scalar_one_or_none()
    if existing is not None:
        return existing.latest_version_id
    version = library.create_template(tenant, domain_templates()["welfare_tech"], visibility="all", publish=True,
                                      changelog="Første versjon, fra Asker og Bærums behovsarbeid.")
    return version.id


def _seed_tryggere_hverdag() -> None:
    from core.library import lessons, reuse
    from core.procurement import participants
    from tenants.service import get_tenant

    if _find(TRYGGERE_HVERDAG, "baerum") is not None:
        return
    with acting_as("officer@baerum.demo", "baerum"):
        baerum = get_tenant("baerum")
        version_id = _welfare_template(baerum)
        procurement = reuse.start_procurement(
            baerum, version_id, title=TRYGGERE_HVERDAG, estimated_value_ore=4_800_000_000,
            description="Felles anskaffelse av fremtidens responssentertjenester og trygghetsteknologi for "
                        "innbyggere i Asker og Bærum som bor hjemme.",
            key_dates={"mandate_decision": "2026-09-01", "dialogue_conference": "2027-01-20",
                       "dialogue_responses_due": "2027-02-17"})
        participants.invite(procurement.id, "asker", "buyer")
        pid = procurement.id
    db.session.commit()
    with acting_as("admin@asker.demo", "asker"):
        participants.respond(pid, get_tenant("asker"), accept=True)
    db.session.commit()
    with acting_as("officer@baerum.demo", "baerum"):
        participants.add_member(pid, "officer@asker.demo", "member")
        _pass_gate(pid, "Demo: forankret i begge kommuners ledelse før prosjektstart.")
        _pass_gate(pid, "Demo: gevinstgrunnlaget tallfestes sammen med økonomiavdelingene i dialogfasen.")
        lessons.add_to_template(_template_id_of(version_id), "Start behovsarbeidet med brukerne",
                                "Intervjuer med brukere og pårørende ga behov vi ikke hadde tenkt på, "
                                "særlig om trygghet om natten. Sett av tid til dette før dialogen.")
    db.session.commit()


def _template_id_of(version_id):
    from core.library.models import TemplateVersion

    return db.session.get(TemplateVersion, version_id).template_id


def _seed_smart_mat() -> None:
    from core.library import lessons
    from core.procurement import needs, service
    from tenants.service import get_tenant

    if _find(SMART_MAT, "baerum") is not None:
        return
    content = domain_templates()["smart_mat"]
    with acting_as("officer@baerum.demo", "baerum"):
        procurement = service.create_procurement(
            get_tenant("baerum"), title=SMART_MAT, description=content["summary"], domain=content["domain"],
            procedure=content["procedure"], cpv_codes=content["cpv_codes"], estimated_value_ore=1_900_000_000)
        for need in content["needs"]:
            needs.add_need(procurement.id, need)
        while procurement.phase != Phase.contract:
            _pass_gate(procurement.id, "Demo: gjennomført før Samspill ble tatt i bruk; dokumentert i arkivet.")
        lessons.add_to_procurement(
            procurement.id, "La brukerne smake før dere skriver krav",
            "Smakstester med et brukerpanel i dialogfasen endret kravene til meny og valgfrihet mer enn "
            "noen skriftlig innspillsrunde. Planlegg dem tidlig og gjenta dem i evalueringen.")
        lessons.add_to_procurement(
            procurement.id, "Kjølekjeden må følges opp i kontrakten",
            "Krav til temperaturlogging hjalp lite før vi avtalte hvem som kontrollerer loggene og hvor ofte.")
    db.session.commit()


def seed(passwords: dict[str, str]) -> None:
    """The demo procurements and templates (runs after tenants and people exist)."""
    from core.library.platform import platform_documents, sync_templates

    sync_templates(platform_documents())
    db.session.commit()
    available = domain_templates()  # a blocked or uninstalled plugin's procurement is left out
    if "welfare_tech" in available:
        _seed_tryggere_hverdag()
    if "smart_mat" in available:
        _seed_smart_mat()

