"""Issue 3 in a real browser: a joint procurement across municipalities, started from a template.

A Bærum officer starts a new "Tryggere hverdag" from Bærum's published template in the learning
arena and invites Asker as a buyer; an Asker admin accepts in another browser; an Asker officer
adds a need; the Bærum officer passes the gates (waiving one item with a written reason) into
the market dialogue; a Drammen officer can see none of it but starts its own procurement from the
same published template. Everything goes through the pages, located by id, name and URL.
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.e2e.actions import accept_buyer_invitation, accept_confirmations, submit, watch_server_errors
from tests.e2e.conftest import sign_in

pytestmark = pytest.mark.e2e

PROCUREMENT_URL = re.compile(r"/t/(?P<slug>[a-z0-9-]+)/procurements/(?P<pid>[0-9a-f-]{36})/$")
WAIVED_ITEM = "core-benefits-baseline"
WAIVER_REASON = "The benefit baseline is set with the finance departments during the dialogue."


def open_published_template(page, publisher: str) -> None:
    """In the learning arena, open the "Tryggere hverdag" template that `publisher` published."""
    page.goto("/arena/?q=Tryggere+hverdag")
    row = page.locator("#arena-templates tbody tr").filter(
        has=page.locator("td:nth-child(2)", has_text=re.compile(rf"^\s*{re.escape(publisher)}\s*$")))
    assert row.count() == 1, "exactly one Tryggere hverdag template published by " + publisher
    row.locator("td:first-child a").click()
    page.wait_for_url("**/arena/templates/*")


def start_from_template(page, slug: str, title: str, value: str) -> str:
    """Click "start in <slug>" on the open template page, fill the form, return the new id."""
    page.locator(f"#start-{slug}").click()
    page.wait_for_url(f"**/t/{slug}/procurements/new?version_id=*")
    assert page.locator("#from-template").count() == 1
    assert page.locator("#new-procurement-form input[name=version_id]").count() == 1
    page.fill("#f-title", title)
    page.fill("#f-estimated_value", value)
    if not page.locator("#f-procedure").input_value():
        page.select_option("#f-procedure", "competitive_dialogue")
    page.locator("#new-procurement-form button[type=submit]").click()
    page.wait_for_url(PROCUREMENT_URL)
    match = PROCUREMENT_URL.search(page.url)
    assert match["slug"] == slug
    assert page.locator("#procurement-title").inner_text().strip() == title
    assert page.locator("#origin-heading").count() == 1  # the lineage to the template is shown
    return match["pid"]


def open_items(page, phase: str) -> list[str]:
    return page.locator(f"#gate-{phase} tbody tr[data-state=open]").evaluate_all(
        "rows => rows.map(r => r.id.slice('item-'.length))")


def pass_gate(page, phase: str, waive: str | None = None) -> None:
    """Mark every open item of `phase` done (waive `waive` with a reason) and move on."""
    if waive is not None:
        assert waive in open_items(page, phase)
        page.locator(f"#item-{waive} details summary").click()
        page.fill(f"#reason-{waive}", WAIVER_REASON)
        submit(page, page.locator(f"#waive-{waive}"))
        assert page.locator(f"#item-{waive}").get_attribute("data-state") == "waived"
    for key in open_items(page, phase):
        button = page.locator(f"#done-{key}")
        assert button.count() == 1, f"gate item {key} can neither be marked done nor is met automatically"
        submit(page, button)
        assert page.locator(f"#item-{key}").get_attribute("data-state") == "done"
    assert open_items(page, phase) == []
    submit(page, page.locator("#transition-button"))
    assert page.locator("#transition-errors").count() == 0


def test_joint_procurement_from_a_template_through_the_gates_and_invisible_to_others(new_page, demo_server):
    title = f"Tryggere hverdag e2e {uuid.uuid4().hex[:8]}"
    server_errors: list[str] = []

    # A Bærum officer starts a new "Tryggere hverdag" from Bærum's published template.
    baerum = new_page()
    watch_server_errors(baerum, server_errors)
    accept_confirmations(baerum)
    sign_in(baerum, "officer@baerum.demo")
    baerum.locator("#procurements-panel a[href='/arena/']").click()
    baerum.wait_for_url("**/arena/")
    open_published_template(baerum, "Bærum kommune")
    template_url = baerum.url
    reuse_before = int(baerum.locator("#reuse").get_attribute("data-count"))
    pid = start_from_template(baerum, "baerum", title, "4 800 000")
    base = f"/t/baerum/procurements/{pid}"

    # ... and invites Asker as a buyer.
    baerum.locator("#tab-participants").click()
    baerum.wait_for_url(f"**{base}/participants*")
    baerum.select_option("#invite-form select[name=tenant]", "asker")
    baerum.select_option("#invite-form select[name=role]", "buyer")
    submit(baerum, baerum.locator("#invite-form button[type=submit]"))
    asker_row = baerum.locator("#participants tr[data-tenant=asker]")
    assert asker_row.get_attribute("data-status") == "invited"

    # An Asker officer cannot see the procurement before Asker accepts.
    asker_officer = new_page()
    watch_server_errors(asker_officer, server_errors)
    sign_in(asker_officer, "officer@asker.demo")
    assert asker_officer.goto(f"/t/asker/procurements/{pid}/").status == 404

    # An Asker admin accepts on Asker's dashboard, in a browser of their own.
    asker_admin = new_page()
    watch_server_errors(asker_admin, server_errors)
    sign_in(asker_admin, "admin@asker.demo")
    asker_admin.goto("/t/asker/")
    accept_buyer_invitation(asker_admin, pid)
    assert asker_admin.url.endswith(f"/t/asker/procurements/{pid}/")  # accepted: it opens
    asker_admin.goto("/t/asker/")
    assert asker_admin.locator(f"#accept-{pid}").count() == 0
    assert asker_admin.locator(f"#procurement-list tr[data-procurement-id='{pid}']").count() == 1

    baerum.goto(f"{base}/participants")
    assert baerum.locator("#participants tr[data-tenant=asker]").get_attribute("data-status") == "active"

    # The Asker officer now finds it in Asker's list and adds a need.
    asker_officer.goto("/t/asker/procurements/")
    asker_officer.locator(f"#procurement-list tr[data-procurement-id='{pid}'] a").click()
    asker_officer.wait_for_url(f"**/t/asker/procurements/{pid}/")
    asker_officer.locator("#tab-needs").click()
    asker_officer.wait_for_url(f"**/t/asker/procurements/{pid}/needs*")
    needs_before = asker_officer.locator("#needs-list > li").count()
    statement = f"Jeg vil føle meg trygg om natten uten at noen må komme inn ({pid[:8]})."
    asker_officer.fill("#add-need-form #f-statement", statement)
    asker_officer.fill("#add-need-form #f-user_group", "Hjemmeboende eldre i Asker")
    asker_officer.select_option("#add-need-form #f-source", "interview")
    asker_officer.select_option("#add-need-form #f-priority", "1")
    submit(asker_officer, asker_officer.locator("#add-need-form button[type=submit]"))
    assert asker_officer.locator("#needs-list > li").count() == needs_before + 1
    assert asker_officer.locator("#needs-list", has_text=statement).count() == 1

    # The Bærum officer sees Asker's need and takes the procurement to the market dialogue,
    # through anchoring and needs, waiving one item with a written reason.
    baerum.goto(f"{base}/needs")
    assert baerum.locator("#needs-list", has_text=statement).count() == 1
    baerum.locator("#tab-gates").click()
    baerum.wait_for_url(f"**{base}/gates*")
    pass_gate(baerum, "anchoring")
    assert baerum.locator("#gate-needs.current").count() == 1
    assert baerum.locator("#item-core-needs-recorded").get_attribute("data-state") == "auto"  # met by the needs
    pass_gate(baerum, "needs", waive=WAIVED_ITEM)
    assert baerum.locator("#gate-dialogue.current").count() == 1
    history = baerum.locator("#transition-history tbody tr")
    assert history.count() == 2
    assert WAIVER_REASON in history.nth(1).inner_text()
    assert WAIVER_REASON not in history.nth(0).inner_text()

    # A Drammen officer can see none of it: not by URL, not in any list.
    drammen = new_page()
    watch_server_errors(drammen, server_errors)
    sign_in(drammen, "officer@drammen.demo")
    for path in (f"/t/drammen/procurements/{pid}/", f"/t/drammen/procurements/{pid}/needs",
                 f"/t/drammen/procurements/{pid}/gates", f"/t/drammen/procurements/{pid}/participants",
                 f"/t/drammen/procurements/{pid}/protocol", f"/t/drammen/procurements/{pid}/dialogue/",
                 f"{base}/"):
        assert drammen.goto(path).status == 404, path
    for path in ("/t/drammen/", "/t/drammen/procurements/"):
        drammen.goto(path)
        assert drammen.locator(f"[data-procurement-id='{pid}']").count() == 0
        assert drammen.locator(f"a[href*='{pid}']").count() == 0
        assert title not in drammen.content()

    # ... but starts a procurement of its own from the published template.
    open_published_template(drammen, "Bærum kommune")
    assert drammen.locator("#start-baerum").count() == 0  # Drammen can only start in Drammen
    own_title = f"Tryggere hverdag i Drammen {uuid.uuid4().hex[:8]}"
    own_pid = start_from_template(drammen, "drammen", own_title, "1 200 000")
    assert own_pid != pid
    assert "Drammen kommune" in drammen.locator("main").inner_text()
    drammen.goto("/t/drammen/procurements/")
    assert drammen.locator(f"#procurement-list tr[data-procurement-id='{own_pid}']").count() == 1
    assert drammen.locator(f"#procurement-list tr[data-procurement-id='{pid}']").count() == 0

    # The arena counts both new procurements as reuses of the template.
    drammen.goto(template_url)
    assert int(drammen.locator("#reuse").get_attribute("data-count")) == reuse_before + 2

    # Bærum does not see Drammen's procurement either.
    assert baerum.goto(f"/t/baerum/procurements/{own_pid}/").status == 404
    assert server_errors == []
