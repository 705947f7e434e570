"""Issue 14 in a real browser, on the demo's finished "Digitalt tilsyn" (evaluated, awarded,
past its standstill, both contracts signed by the demo seed through the services).

Each demo supplier reads its own award letter in the supplier portal, with its own total and
the chosen tender's; a letter is nobody else's. Bærum's officer sees the evaluation report with
both tenderers ranked and both buyers' contracts signed; Asker's officer sees Asker's contract
only. Elements are found by id, class and URL, never by text.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.actions import watch_server_errors
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

TITLE = "Digitalt tilsyn"
ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TOTAL = re.compile(r"^\d+\.\d\d$")


def _pid(page, start: str) -> str:
    page.goto(start)
    href = page.locator("main a", has_text=TITLE).first.get_attribute("href")
    return ID.search(href).group(0)


def test_tenderers_read_their_own_letters_and_each_buyer_its_contract(new_page):
    failures: list[str] = []
    letters = {}
    for email in ("post@trygg.demo", "post@omsorg.demo"):
        page = new_page()
        watch_server_errors(page, failures)
        sign_in(page, email)
        pid = _pid(page, "/supplier/competitions/")
        page.goto(f"/supplier/award/{pid}/")
        own, winner = page.locator("#own-total-1").inner_text(), page.locator("#winner-total-1").inner_text()
        assert TOTAL.match(own) and TOTAL.match(winner)
        letters[email] = (own, winner)
        assert page.locator("#standstill-end").count() == 1
    (own_a, winner_a), (own_b, winner_b) = letters.values()
    assert winner_a == winner_b and {own_a, own_b} >= {winner_a}  # one of them is the chosen tender

    lead = new_page()
    watch_server_errors(lead, failures)
    sign_in(lead, "officer@baerum.demo")
    pid = _pid(lead, "/t/baerum/procurements/")
    lead.goto(f"/t/baerum/procurements/{pid}/award/")
    assert lead.locator("#evaluation-report tr.ranked").count() == 2
    assert lead.locator("#award-decision").count() == 1
    assert sorted(lead.locator("tr.contract").evaluate_all("rows => rows.map(r => r.dataset.buyer)")) == [
        "asker", "baerum"]

    asker = new_page()
    watch_server_errors(asker, failures)
    sign_in(asker, "officer@asker.demo")
    asker.goto(f"/t/asker/procurements/{pid}/award/")
    assert asker.locator("tr.contract").evaluate_all("rows => rows.map(r => r.dataset.buyer)") == ["asker"]
    assert not failures, failures
