"""Issue 13 in a real browser: the competition of "Tryggere hverdag", sealed until the opening.

Bærum's officer announces the competition (with a confirmation). Both demo suppliers submit
tenders in the supplier portal; Trygg Teknologi withdraws (with a confirmation) and submits
again and keeps its receipt. The project group sees only how many tenders there are. A new
supplier fills in a tender too late: refused, and nothing is stored. After the opening time the
officer opens the tenders and the opening protocol lists both tenderers with their receipt hash.

Times are moved through the services in the server's own database (no waiting). This module
freezes the demo's market dialogue, so it runs after tests/e2e/test_dialogue_flow.py (pytest
runs the modules in name order). Elements are found by id, name and URL, never by text.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.e2e.actions import accept_confirmations, submit, watch_server_errors
from tests.e2e.conftest import sign_in
from tests.e2e.test_dialogue_flow import sign_up_supplier

pytestmark = pytest.mark.e2e

DEMO_TITLE = "Tryggere hverdag"
OSLO = ZoneInfo("Europe/Oslo")


def in_server(demo_server, fn):
    """Run `fn()` in the demo server's database (its instance folder), in system scope, and commit."""
    from core import create_app, isolation
    from core.db import db

    app = create_app({"INSTANCE_PATH": str(demo_server.instance_path), "SERVER_NAME": "localhost"})
    with app.test_request_context(), isolation.system_scope():
        result = fn()
        db.session.commit()
        db.engine.dispose()
        return result


def to_competition_phase() -> str:
    """Pass the market-dialogue gate of the demo procurement as Bærum's officer (service)."""
    from core.procurement.demo import acting_as, find_demo_procurement, pass_gate
    from core.procurement.models import Phase

    procurement = find_demo_procurement(DEMO_TITLE)
    with acting_as("officer@baerum.demo", "baerum"):
        while procurement.phase != Phase.competition:  # another browser test may have moved it on
            pass_gate(procurement.id, "E2E: dialogen er oppsummert.")
    return str(procurement.id)


def deadlines_passed(pid: str):
    def move():
        from core.competition.models import Competition
        from core.db import db, utcnow

        competition = db.session.execute(select(Competition).where(
            Competition.procurement_id == uuid.UUID(pid))).scalar_one()
        now = utcnow()
        competition.question_deadline = now - timedelta(minutes=3)
        competition.tender_deadline = now - timedelta(minutes=2)
        competition.opening_at = now - timedelta(minutes=1)
    return move


def local(moment) -> str:
    return moment.astimezone(OSLO).strftime("%Y-%m-%dT%H:%M")


def fill_tender(page) -> None:
    """Answer every qualification question, requirement and price field on the tender form."""
    names = set(page.eval_on_selector_all("#tender-form input[type=radio]", "els => els.map(e => e.name)"))
    for name in names:
        page.locator(f"#tender-form input[name='{name}'][value=yes]").check()
    for box in page.locator("#tender-form input[name^='r-confirm-']").all():
        box.check()
    for area in page.locator("#tender-form textarea[name^='r-desc-']").all():
        area.fill("Løsningen oppfyller kravet med døgnbemannet responssenter.")
    for price in page.locator("#tender-form input[name^='price']").all():
        price.fill("2500000")


def submit_tender(page, pid: str) -> str:
    page.goto(f"/supplier/competitions/{pid}/")
    fill_tender(page)
    submit(page, page.locator("#submit-tender"))
    assert page.url.endswith(f"/supplier/competitions/{pid}/receipt"), page.url
    return page.locator("#receipt-hash").inner_text().strip()


def test_competition_from_announcement_to_opening(new_page, demo_server):
    from core.db import utcnow

    failures: list[str] = []
    pid = in_server(demo_server, to_competition_phase)
    officer = new_page()
    accept_confirmations(officer)
    watch_server_errors(officer, failures)
    sign_in(officer, "officer@baerum.demo")
    base = f"/t/baerum/procurements/{pid}/competition"
    officer.goto(f"{base}/")
    now = utcnow()
    officer.fill("#f-tender_deadline", local(now + timedelta(days=20)))
    officer.fill("#f-question_deadline", local(now + timedelta(days=10)))
    officer.fill("#f-opening_at", local(now + timedelta(days=20, hours=1)))
    officer.fill("#f-exclusion", "Er leverandøren dømt for korrupsjon eller bedrageri?")
    officer.fill("#f-qualification", "Leverandøren driver responssenter i dag.")
    submit(officer, officer.locator("#competition-save"))
    submit(officer, officer.locator("#announce"))
    assert officer.locator("#announce").count() == 0 and officer.locator("#tender-count").count() == 1

    trygg, omsorg = new_page(), new_page()
    for page, email in ((trygg, "post@trygg.demo"), (omsorg, "post@omsorg.demo")):
        accept_confirmations(page)
        watch_server_errors(page, failures)
        sign_in(page, email)
    trygg.goto("/supplier/competitions/")
    assert trygg.locator(f"#open-competitions a[href*='{pid}']").count() == 1
    first = submit_tender(trygg, pid)
    trygg.goto(f"/supplier/competitions/{pid}/")
    submit(trygg, trygg.locator("#withdraw"))
    assert trygg.locator("#submit-tender").count() == 1  # withdrawn: the form is back
    second = submit_tender(trygg, pid)
    assert len(first) == len(second) == 64
    submit_tender(omsorg, pid)

    officer.goto(f"{base}/tenders")
    sealed = officer.content()
    assert "2" in officer.locator("#tender-count").inner_text()
    assert officer.locator("#sealed-note").count() == 1
    assert "Trygg Teknologi" not in sealed and "Omsorgsdata" not in sealed

    late = new_page()
    accept_confirmations(late)
    watch_server_errors(late, failures)
    sign_up_supplier(late, demo_server, "Sen Leverandør AS", f"sen-{uuid.uuid4().hex[:8]}@example.no", "Sen")
    late.goto(f"/supplier/competitions/{pid}/")
    fill_tender(late)
    in_server(demo_server, deadlines_passed(pid))
    with late.expect_navigation():
        late.locator("#submit-tender").click()
    assert late.locator("#closed-note").count() == 1 and late.locator("#receipt-link").count() == 0
    late.goto(f"/supplier/competitions/{pid}/receipt")
    assert late.locator("#no-receipt").count() == 1

    officer.goto(f"{base}/")
    submit(officer, officer.locator("#open-tenders"))
    assert officer.url.endswith(f"{base}/opening")
    rows = officer.locator("#opening-table tr.opened-tender")
    assert rows.count() == 2
    table = officer.locator("#opening-table").inner_text()
    assert "Trygg Teknologi" in table and "Omsorgsdata" in table and second in table
    assert not failures, failures
