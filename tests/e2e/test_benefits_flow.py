"""Browser test of benefit realisation: Bærum starts a joint procurement from its template with
Asker as a buyer; in the needs phase Bærum and Asker record baselines for every KPI and the gate
item ticks itself; both record measurements; the follow-up page shows a chart per KPI and
municipality; Drammen sees both results in the arena, and not Asker's once Asker withdraws its
consent."""

from __future__ import annotations

import re
import uuid

import pytest

from plugins.welfare_tech.content import KPIS
from tests.e2e.actions import accept_buyer_invitation, accept_confirmations, submit, watch_server_errors
from tests.e2e.conftest import sign_in
from tests.e2e.test_procurement_flow import open_published_template, pass_gate, start_from_template

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


def set_sharing(page, slug: str, share: bool) -> None:
    page.goto(f"/t/{slug}/admin/benefit-sharing")
    page.check(f"#share-{'yes' if share else 'no'}")
    submit(page, page.locator("#sharing-save"))


def arena_line(page, template_url: str, municipality: str) -> str:
    page.goto(template_url)
    lines = page.locator(f"#result-lines li[data-municipality='{municipality}'][data-kpi='{ALARM}']")
    return " | ".join(lines.all_inner_texts())


def test_baselines_gate_measurements_charts_and_arena_results(new_page, demo_server):
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

    # The anchoring gate is passed; in the needs phase the baseline item is open.
    baerum.goto(f"/t/baerum/procurements/{pid}/gates")
    pass_gate(baerum, "anchoring")
    assert baerum.locator("#item-core-benefits-baseline").get_attribute("data-state") == "open"

    # Bærum records its baselines: the item stays open, Asker's pairs are listed as missing.
    record_baselines(baerum, "baerum", pid)
    assert baerum.locator("#missing-pairs li").count() == len(KPIS)
    baerum.goto(f"/t/baerum/procurements/{pid}/gates")
    assert baerum.locator("#item-core-benefits-baseline").get_attribute("data-state") == "open"

    # Asker records its own: the item ticks itself.
    asker = new_page()
    watch_server_errors(asker, errors)
    sign_in(asker, "officer@asker.demo")
    record_baselines(asker, "asker", pid)
    assert asker.locator("#baselines-complete").count() == 1
    baerum.goto(f"/t/baerum/procurements/{pid}/gates")
    assert baerum.locator("#item-core-benefits-baseline").get_attribute("data-state") == "done"

    # Both measure; the follow-up page shows a chart per KPI and municipality, with its table.
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
