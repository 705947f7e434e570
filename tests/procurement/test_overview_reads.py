"""The procurement page's cheaper reads give what the full ones give: the gate's progress as
the checklist counts it, and each page link as `url_for` builds it (also under a sub-path)."""

from __future__ import annotations

import re

from flask import g, url_for

from core.procurement.urls import ProcurementUrls


def _gate(api, pid, item, action, reason=""):
    return api.post(f"/api/v1/procurements/{pid}/gates", json={"item": item, "action": action, "reason": reason})


def _progress(html):
    return re.search(r'id="gate-progress">\D*(\d+)\D+(\d+)', html).groups()


def test_gate_progress_counts_done_waived_and_automatic_items_like_the_checklist(world):
    pid = world.procurement(estimated_value_ore=100_000_00)["id"]
    api, browser = world.api("baerum"), world.browser("baerum")
    page = f"/t/baerum/procurements/{pid}/"

    def checklist_counts():
        items = [i for i in api.get(f"/api/v1/procurements/{pid}/gates").json if i["phase"] == "anchoring"]
        return str(sum(i["state"] != "open" for i in items)), str(len(items))

    assert _progress(browser.get(page).get_data(as_text=True)) == checklist_counts() == ("1", "4")  # budget: auto
    assert _gate(api, pid, "core-mandate", "done").status_code == 200
    assert _gate(api, pid, "core-procedure", "waive", "Decided after the dialogue.").status_code == 200
    assert _progress(browser.get(page).get_data(as_text=True)) == checklist_counts() == ("3", "4")
    assert _gate(api, pid, "core-mandate", "reopen").status_code == 200
    assert _progress(browser.get(page).get_data(as_text=True)) == checklist_counts() == ("2", "4")


def test_page_links_are_those_url_for_builds_also_under_a_sub_path(world):
    pid = world.procurement()["id"]
    browser = world.browser("baerum")
    for root in ("", "/samspill"):
        html = browser.get(f"/t/baerum/procurements/{pid}/", base_url=f"http://samspill.test{root}").get_data(as_text=True)
        base = f"{root}/t/baerum/procurements/{pid}/"
        for tail in ("", "needs", "gates", "participants", "protocol", "edit", "publish-template", "lessons"):
            assert f'"{base}{tail}"' in html, (root, tail)
    endpoints = [rule.endpoint for rule in world.app.url_map.iter_rules()
                 if rule.rule.startswith("/t/<slug>/") and rule.arguments == {"slug", "procurement_id"}]
    assert len(endpoints) > 10
    with world.app.test_request_context("/t/baerum/procurements/", base_url="http://samspill.test/sub"):
        g.tenant_slug = "baerum"
        urls = ProcurementUrls(pid)
        for endpoint in endpoints:
            assert urls[endpoint] == url_for(endpoint, procurement_id=pid), endpoint


def test_the_packages_tab_urls_are_those_url_for_builds_in_each_request(world):
    """`page_url` (the packages' tabs) keeps the overview's URL per request, never across two
    requests that share an app context (a test holding one), nor across tenants or sub-paths."""
    from core.procurement.urls import page_url

    pid = world.procurement()["id"]
    tabs = ["specification.requirements_page", "specification.criteria_page", "award.overview",
            "benefits.follow_up", "competition.overview", "dialogue.overview", "publication.overview"]
    with world.app.app_context():
        for slug, root in (("baerum", ""), ("asker", "/sub"), ("baerum", "/sub")):
            with world.app.test_request_context(f"/t/{slug}/procurements/", base_url=f"http://samspill.test{root}"):
                g.tenant_slug = slug
                for endpoint in tabs:
                    expected = url_for(endpoint, procurement_id=pid)
                    assert expected.startswith(f"{root}/t/{slug}/procurements/{pid}/")
                    assert page_url(endpoint, pid) == expected, (slug, root, endpoint)
                    assert page_url(endpoint, pid) == expected  # and again, from the kept base
