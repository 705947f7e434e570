"""Browser test of benefit realisation: Bærum starts a joint procurement from its template with
Asker as a buyer; in the needs phase Bærum and Asker record baselines for every KPI and the gate
item is met by itself (there is nothing to tick by hand); a measurement is refused while no
contract is signed; after each buyer signs its contract on the contract page, both record
measurements from the contract start; the follow-up page shows a chart per KPI and
municipality; Drammen sees both results in the arena, and not Asker's once Asker withdraws its
consent.

The way from the needs phase to contracts (dialogue, competition, evaluation, award decision,
standstill) is tested by tests/e2e/test_tender_to_contract_flow.py; here the test's own
procurement is put into the contract phase with a decision whose standstill is over and an
unsigned contract per buyer directly in the demo server's database, so this test depends on no
other test's order."""

from __future__ import annotations

import re
import uuid

import pytest

from plugins.welfare_tech.content import KPIS
from tests.e2e.actions import accept_buyer_invitation, accept_confirmations, submit, watch_server_errors
from tests.e2e.axe import add_axe, violations
from tests.e2e.conftest import sign_in
from tests.e2e.test_procurement_flow import open_published_template, pass_gate, start_from_template
from tests.e2e.test_tender_flow import in_server

pytestmark = pytest.mark.e2e

ALARM = "alarm_response_time"
BASELINE = {"baerum": 33.5, "asker": 31.5}
LATEST = {"baerum": 14.5, "asker": 13.5}


def record_baselines(page, slug: str, pid: str) -> None:
    page.goto(f"/t/{slug}/procurements/{pid}/benefits")
    for kpi in KPIS:
        page.select_option("#f-kpi_key", kpi["key"])
        value = BASELINE[slug] if kpi["key"] == ALARM else 10
        page.fill("#f-value", str(value).replace(".", ","))
        page.fill("#f-measured_on", "2026-01-31")
        page.fill("#f-method", "Snitt siste 12 måneder fra fagsystemet")
        page.fill("#f-source", "Fagsystem")
        page.fill("#f-owner", f"Kommunalsjef {slug}")
        page.fill("#f-target_value", "12" if kpi["key"] == ALARM else "20")
        submit(page, page.locator("#save-baseline"))
        assert page.locator("#baseline-form .error").count() == 0, page.locator("#baseline-form").inner_text()


def record_measurements(page, slug: str, pid: str, values: list[float]) -> None:
    page.goto(f"/t/{slug}/procurements/{pid}/benefits")
    for month, value in enumerate(values, start=1):
        page.select_option("#m-kpi_key", ALARM)
        page.fill("#m-period", f"2026-{month:02d}")
        page.fill("#m-value", str(value).replace(".", ","))
        submit(page, page.locator("#save-measurement"))
        assert page.locator("#measurement-form .error").count() == 0


def contracts_to_sign(pid: str):
    """The test's procurement in the contract phase: an award decision whose standstill is over
    and one unsigned contract per buyer, starting in January 2026 (written directly; the way
    there is another browser test's)."""
    def make():
        from datetime import date, timedelta

        from sqlalchemy import select

        from core.award.models import AwardDecision, Contract
        from core.benefits.kpis import buyers
        from core.db import db, utcnow
        from core.procurement.models import Phase, Procurement
        from core.suppliers.models import SupplierOrganisation

        procurement = db.session.get(Procurement, uuid.UUID(pid))
        procurement.phase = Phase.contract
        supplier = db.session.execute(
            select(SupplierOrganisation).order_by(SupplierOrganisation.name)).scalars().first()
        db.session.add(AwardDecision(procurement_id=procurement.id, winners=[],
                                     letters_sent_at=utcnow() - timedelta(days=12),
                                     standstill_ends_at=utcnow() - timedelta(days=2)))
        for buyer in buyers(procurement.id):
            db.session.add(Contract(procurement_id=procurement.id, tenant_id=buyer.tenant_id, supplier_id=supplier.id,
                                    starts_on=date(2026, 1, 1), options=[]))
    return make


def sign_contract(page, slug: str, pid: str) -> None:
    """The buyer's officer signs its own contract on the contract (award) page."""
    page.goto(f"/t/{slug}/procurements/{pid}/award/")
    assert page.locator("form.sign-form").count() == 1  # its own contract only
    page.locator("form.sign-form input[type=date]").fill("2025-12-15")
    submit(page, page.locator("form.sign-form button[type=submit]"))
    assert page.locator("form.sign-form").count() == 0


def set_sharing(page, slug: str, share: bool) -> None:
    page.goto(f"/t/{slug}/admin/benefit-sharing")
    page.check(f"#share-{'yes' if share else 'no'}")
    submit(page, page.locator("#sharing-save"))


def arena_line(page, template_url: str, municipality: str) -> str:
    page.goto(template_url)
    lines = page.locator(f"#result-lines li[data-municipality='{municipality}'][data-kpi='{ALARM}']")
    return " | ".join(lines.all_inner_texts())


def test_baselines_gate_measurements_charts_and_arena_results(new_page, demo_server, browser):
    title = f"Gevinster e2e {uuid.uuid4().hex[:8]}"
    errors: list[str] = []

    baerum = new_page()
    watch_server_errors(baerum, errors)
    accept_confirmations(baerum)
    sign_in(baerum, "officer@baerum.demo")
    open_published_template(baerum, "Bærum kommune")
    template_url = baerum.url
    pid = start_from_template(baerum, "baerum", title, "2 000 000")
    baerum.goto(f"/t/baerum/procurements/{pid}/participants")
    baerum.select_option("#invite-form select[name=tenant]", "asker")
    baerum.select_option("#invite-form select[name=role]", "buyer")
    submit(baerum, baerum.locator("#invite-form button[type=submit]"))
    asker_admin = new_page()
    watch_server_errors(asker_admin, errors)
    sign_in(asker_admin, "admin@asker.demo")
    asker_admin.goto("/t/asker/")
    accept_buyer_invitation(asker_admin, pid)

    # The anchoring gate is passed; in the needs phase the baseline item is open, with the
    # missing pairs in words and nothing to tick by hand.
    baerum.goto(f"/t/baerum/procurements/{pid}/gates")
    pass_gate(baerum, "anchoring")
    assert baerum.locator("#item-core-benefits-baseline").get_attribute("data-state") == "open"
    assert baerum.locator("#done-core-benefits-baseline").count() == 0
    assert baerum.locator("[data-missing='core-benefits-baseline'] li").count() == 2 * len(KPIS)

    # Bærum records its baselines: the item stays open, Asker's pairs are listed as missing.
    record_baselines(baerum, "baerum", pid)
    assert baerum.locator("#missing-pairs li").count() == len(KPIS)
    baerum.goto(f"/t/baerum/procurements/{pid}/gates")
    assert baerum.locator("#item-core-benefits-baseline").get_attribute("data-state") == "open"
    assert baerum.locator("[data-missing='core-benefits-baseline'] li").count() == len(KPIS)

    # Asker records its own: the item is met by itself.
    asker = new_page()
    watch_server_errors(asker, errors)
    accept_confirmations(asker)
    sign_in(asker, "officer@asker.demo")
    record_baselines(asker, "asker", pid)
    assert asker.locator("#baselines-complete").count() == 1
    baerum.goto(f"/t/baerum/procurements/{pid}/gates")
    assert baerum.locator("#item-core-benefits-baseline").get_attribute("data-state") == "auto"
    assert baerum.locator("#reopen-core-benefits-baseline").count() == 0

    # No measurement before the contract: the month is refused with a message next to it.
    baerum.goto(f"/t/baerum/procurements/{pid}/benefits")
    baerum.select_option("#m-kpi_key", ALARM)
    baerum.fill("#m-period", "2026-01")
    baerum.fill("#m-value", "30")
    submit(baerum, baerum.locator("#save-measurement"))
    assert baerum.locator("#m-period-error").count() == 1

    # After the contract: each buyer signs its own, then both measure from the contract start.
    in_server(demo_server, contracts_to_sign(pid))
    sign_contract(baerum, "baerum", pid)
    sign_contract(asker, "asker", pid)
    record_measurements(baerum, "baerum", pid, [30, 22, LATEST["baerum"]])
    record_measurements(asker, "asker", pid, [28, 20, LATEST["asker"]])
    baerum.goto(f"/t/baerum/procurements/{pid}/benefits")
    for kpi in KPIS:
        for slug in ("baerum", "asker"):
            chart = baerum.locator(f"#chart-{kpi['key']}-{slug}")
            assert chart.locator("svg[role=img] title").count() == 1, (kpi["key"], slug)
            assert chart.locator("svg desc").count() == 1
            assert chart.locator("table").count() == 1
    assert baerum.locator(f"#chart-{ALARM}-asker svg circle").count() == 3
    assert baerum.locator(f"#row-{ALARM}-asker").get_attribute("data-on-track") == "no"  # 13.5 > 12
    # The charts with their titles, descriptions and tables are axe-clean (axe needs no CSP).
    context = browser.new_context(base_url=demo_server.base_url, locale="nb-NO", bypass_csp=True)
    add_axe(context)
    try:
        checker = context.new_page()
        sign_in(checker, "officer@baerum.demo")
        for path in (f"/t/baerum/procurements/{pid}/benefits", template_url):
            checker.goto(path)
            checker.locator("details").evaluate_all("all => all.forEach(d => d.open = true)")  # the tables too
            assert violations(checker) == [], path
    finally:
        context.close()

    # Drammen, in the arena, sees both municipalities' results for this procurement ...
    drammen = new_page()
    watch_server_errors(drammen, errors)
    sign_in(drammen, "officer@drammen.demo")
    for slug, name in (("baerum", "Bærum kommune"), ("asker", "Asker kommune")):
        expected = re.compile(rf"{BASELINE[slug]:.1f} → {LATEST[slug]:.1f}".replace(".", ","))
        assert expected.search(arena_line(drammen, template_url, name)), name
    # ... and not Asker's once Asker withdraws its consent (given back at the end for other tests).
    set_sharing(asker_admin, "asker", False)
    try:
        assert arena_line(drammen, template_url, "Asker kommune") == ""
        assert arena_line(drammen, template_url, "Bærum kommune") != ""
    finally:
        set_sharing(asker_admin, "asker", True)
    assert errors == []
