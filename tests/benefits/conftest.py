"""Fixtures for the benefit tests: the procurement tests' three municipalities, and a joint
Bærum + Asker procurement started from the welfare template (six KPIs)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import select

from core import isolation
from core.award.models import Contract
from core.db import db
from core.procurement.models import Procurement
from core.suppliers.models import SupplierOrganisation
from plugins.welfare_tech.content import KPIS, TEMPLATE
from tests.procurement.conftest import MANDATE, World

KPI_KEYS = [k["key"] for k in KPIS]


@pytest.fixture
def world(app, make):
    return World(app, make)


@pytest.fixture
def joint(world):
    """(procurement id, template id): Bærum leads, Asker buys, started from a published template."""
    baerum = world.api("baerum")
    template = baerum.post("/api/v1/tenants/baerum/templates", json={"content": TEMPLATE, "visibility": "all"}).json
    tid = template["template_id"]
    procurement = world.procurement("baerum", template=tid)
    pid = procurement["id"]
    assert baerum.post(f"/api/v1/procurements/{pid}/participants",
                       json={"tenant": "asker", "role": "buyer"}).status_code == 201
    assert world.api("asker", "admin").post(f"/api/v1/procurements/{pid}/participants/asker/accept",
                                            json=MANDATE).status_code == 200
    return pid, tid


@pytest.fixture
def contracted(world, joint, app):
    """`joint` with both buyers' contracts signed, starting January 2025 (measurements from then)."""
    pid, _ = joint
    for slug in ("asker", "baerum"):
        make_contract(app, pid, world.tenant(slug), starts_on=date(2025, 1, 1), signed_on=date(2024, 12, 1))
    return joint


def force(app, pid, **fields):
    """Put the procurement straight into a state (phase, status) whose way there other domains
    test (the award decision and standstill come before the contract phase)."""
    with app.app_context(), isolation.system_scope():
        procurement = db.session.get(Procurement, uuid.UUID(str(pid)))
        for name, value in fields.items():
            setattr(procurement, name, value)
        db.session.commit()


def make_contract(app, pid, tenant, *, starts_on=None, options=None, org_number="987654321", signed_on=None):
    """A buyer's contract as the award domain makes it with the award decision (its own tests
    cover the way there): the chosen supplier, start date and options; unsigned unless
    `signed_on` is given."""
    with app.app_context(), isolation.system_scope():
        supplier = db.session.execute(select(SupplierOrganisation).where(
            SupplierOrganisation.org_number == org_number)).scalar_one_or_none()
        if supplier is None:
            supplier = SupplierOrganisation(org_number=org_number, name="Omsorgsdata AS")
            db.session.add(supplier)
            db.session.flush()
        contract = Contract(procurement_id=uuid.UUID(str(pid)), tenant_id=tenant.id, supplier_id=supplier.id,
                            starts_on=starts_on, options=options or [], signed_on=signed_on)
        db.session.add(contract)
        db.session.commit()
        return str(contract.id)


def baseline(kpi_key: str, value=25, **extra) -> dict:
    return {"kpi_key": kpi_key, "value": value, "measured_on": "2026-01-31", "method": "Average of 12 months",
            "source": "Alarm log", "owner": "Head of care", **extra}


def record_all_baselines(world, pid, slug, value=25):
    response = world.api(slug).put(f"/api/v1/procurements/{pid}/benefits/baselines",
                                   json={"baselines": [baseline(k, value, target_value=12) for k in KPI_KEYS]})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response
