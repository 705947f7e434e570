"""Demo content of the library, with the demo procurements that use it (idempotent).

- The platform templates and the installed plugins' templates are published.
- Bærum publishes the "Tryggere hverdag" template, open to all municipalities, and runs the
  joint "Tryggere hverdag" procurement from it, with Asker as an active buyer, in the market
  dialogue phase (the dialogue seeder adds conference, questionnaire and slots afterwards).
- Bærum's own "Smart Mat" procurement, in the contract phase, with lessons learned.
- Drammen has nothing yet: it can start from the published template.

The helpers (acting as a demo person, passing a gate) are the procurement domain's
(`core.procurement.demo`).
"""

from __future__ import annotations

from sqlalchemy import select

from core.db import db
from core.library import lessons, reuse
from core.library import service as library
from core.library.models import Template, TemplateVersion
from core.library.platform import platform_documents, sync_plugin_templates, sync_templates
from core.procurement import needs, participants, service
from core.procurement.demo import (
    SMART_MAT,
    TRYGGERE_HVERDAG,
    acting_as,
    domain_templates,
    find_demo_procurement,
    pass_gate,
)
from core.procurement.models import Phase
from tenants.service import get_tenant

# Asker's mandate as it accepts the invitation (recorded by the award package).
ASKER_MANDATE = {"decision_ref": "PS 12/26", "decided_on": "2026-09-01", "signatory": "Kommunedirektøren i Asker",
                 "volume_nok": 21000000}


def _welfare_template(tenant):
    existing = db.session.execute(select(Template).where(
        Template.owner_tenant_id == tenant.id, Template.key == "tryggere-hverdag")).scalar_one_or_none()
    if existing is not None:
        return existing.latest_version_id
    version = library.create_template(tenant, domain_templates()["welfare_tech"], visibility="all", publish=True,
                                      changelog="Første versjon, fra Asker og Bærums behovsarbeid.")
    return version.id


def _seed_tryggere_hverdag() -> None:
    if find_demo_procurement(TRYGGERE_HVERDAG, "baerum") is not None:
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
        participants.respond(pid, get_tenant("asker"), accept=True, terms=ASKER_MANDATE)
    db.session.commit()
    with acting_as("officer@baerum.demo", "baerum"):
        participants.add_member(pid, "officer@asker.demo", "member")
        pass_gate(pid, "Demo: forankret i begge kommuners ledelse før prosjektstart.")
        pass_gate(pid, "Demo: gevinstgrunnlaget tallfestes sammen med økonomiavdelingene i dialogfasen.")
        lessons.add_to_template(_template_id_of(version_id), "Start behovsarbeidet med brukerne",
                                "Intervjuer med brukere og pårørende ga behov vi ikke hadde tenkt på, "
                                "særlig om trygghet om natten. Sett av tid til dette før dialogen.")
    db.session.commit()


def _template_id_of(version_id):
    return db.session.get(TemplateVersion, version_id).template_id


def _seed_smart_mat() -> None:
    if find_demo_procurement(SMART_MAT, "baerum") is not None:
        return
    content = domain_templates()["smart_mat"]
    with acting_as("officer@baerum.demo", "baerum"):
        procurement = service.create_procurement(
            get_tenant("baerum"), title=SMART_MAT, description=content["summary"], domain=content["domain"],
            procedure=content["procedure"], cpv_codes=content["cpv_codes"], estimated_value_ore=1_900_000_000)
        for need in content["needs"]:
            needs.add_need(procurement.id, need)
        while procurement.phase != Phase.contract:
            pass_gate(procurement.id, "Demo: gjennomført før Samspill ble tatt i bruk; dokumentert i arkivet.")
        lessons.add_to_procurement(
            procurement.id, "La brukerne smake før dere skriver krav",
            "Smakstester med et brukerpanel i dialogfasen endret kravene til meny og valgfrihet mer enn "
            "noen skriftlig innspillsrunde. Planlegg dem tidlig og gjenta dem i evalueringen.")
        lessons.add_to_procurement(
            procurement.id, "Kjølekjeden må følges opp i kontrakten",
            "Krav til temperaturlogging hjalp lite før vi avtalte hvem som kontrollerer loggene og hvor ofte.")
    db.session.commit()


def seed() -> None:
    """The platform's and plugins' templates, and the demo procurements (runs after tenants
    and people exist, before the dialogue's demo content)."""
    sync_plugin_templates()
    db.session.commit()
    sync_templates(platform_documents())
    db.session.commit()
    available = domain_templates()  # a blocked or uninstalled plugin's procurement is left out
    if "welfare_tech" in available:
        _seed_tryggere_hverdag()
    if "smart_mat" in available:
        _seed_smart_mat()

