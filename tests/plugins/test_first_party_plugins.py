"""The welfare-technology and Smart Mat plugins: their content, pages, API, bookmarks (the
welfare plugin's own table), gate items, navigation, dashboard panel and command."""

from __future__ import annotations

import json
import re

import pytest

from core.db import db
from tests.conftest import bearer, sign_in
from tests.plugins.conftest import acting, enable, joint_procurement


@pytest.fixture
def asker(app, make):
    tenant = make.tenant("asker")
    enable(app, "asker", "welfare_tech", "smart_mat")
    member = make.user("member@asker.test", tenant=tenant, role="member")
    client = app.test_client()
    sign_in(client, member)
    return {"tenant": tenant, "member": member, "client": client}


def test_the_welfare_library_covers_the_required_ground():
    from plugins.welfare_tech import content

    assert len(content.REQUIREMENTS) >= 30
    assert len({r["ref"] for r in content.REQUIREMENTS}) == len(content.REQUIREMENTS)
    assert {r["category"] for r in content.REQUIREMENTS} == set(content.REQUIREMENT_CATEGORIES) >= {
        "function", "interoperability", "alarm_protocol", "security_privacy", "operations",
        "usability", "training", "exit"}
    standards = " ".join(s for r in content.REQUIREMENTS for s in r["standards"])
    for named in ("SCAIP", "CLC/TS 50134-9", "Normen"):
        assert named in standards
    assert any("DPIA" in r["text"] or "personvernkonsekvens" in r["text"].lower()
               for r in content.REQUIREMENTS)
    assert {"avoided_home_visits", "alarm_response_time"} <= {k["key"] for k in content.KPIS}
    assert any("false" in k["key"] for k in content.KPIS)
    gate_keys = {g["key"] for g in content.GATE_ITEMS}
    assert {"wt-users-involved", "wt-dpia-planned"} <= gate_keys


def test_the_library_browser_filters_and_bookmarks(app, asker):
    client = asker["client"]
    page = client.get("/t/asker/plugins/welfare_tech/requirements?category=alarm_protocol")
    assert page.status_code == 200
    refs = re.findall(r'<tr id="req-([A-Z0-9-]+)"', page.get_data(as_text=True))
    assert refs and all(ref.startswith("WT-") for ref in refs)
    from plugins.welfare_tech import content

    expected = [r["ref"] for r in content.REQUIREMENTS if r["category"] == "alarm_protocol"]
    assert refs == expected
    searched = client.get("/t/asker/plugins/welfare_tech/requirements?q=scaip").get_data(as_text=True)
    assert 0 < len(re.findall(r'<tr id="req-', searched)) < len(content.REQUIREMENTS)

    first = expected[0]
    done = client.post(f"/t/asker/plugins/welfare_tech/requirements/{first}/bookmark",
                       data={"bookmarked": "1"})
    assert done.status_code == 302
    only = client.get("/t/asker/plugins/welfare_tech/requirements?bookmarked=1").get_data(as_text=True)
    assert re.findall(r'<tr id="req-([A-Z0-9-]+)" data-bookmarked="yes"', only) == [first]
    assert client.post("/t/asker/plugins/welfare_tech/requirements/NOPE-1/bookmark").status_code == 404


def test_bookmarks_through_the_api_stay_in_their_tenant(app, make, asker):
    token = make.token(asker["member"])
    client = app.test_client()
    url = "/api/v1/tenants/asker/plugins/welfare_tech/requirements"
    put = client.put(url + "/WT-SEC-01/bookmark", headers=bearer(token), json={"bookmarked": True})
    assert put.status_code == 200 and put.json["bookmarked"] is True
    listed = client.get(url + "?bookmarked=true", headers=bearer(token)).json
    assert [r["ref"] for r in listed] == ["WT-SEC-01"]
    assert client.get(url + "?category=nonsense", headers=bearer(token)).status_code == 422

    other = make.tenant("baerum")
    enable(app, "baerum", "welfare_tech")
    neighbour = make.user(tenant=other, role="admin")
    theirs = app.test_client().get("/api/v1/tenants/baerum/plugins/welfare_tech/requirements"
                                   "?bookmarked=true", headers=bearer(make.token(neighbour)))
    assert theirs.status_code == 200 and theirs.json == []


def test_gate_items_come_from_the_leads_domain_plugin(app, make):
    from core.procurement.models import Procurement

    baerum = make.tenant("baerum")
    officer = make.user(tenant=baerum, role="officer")
    welfare = joint_procurement(app, officer, baerum, None, domain="welfare_tech")
    food = joint_procurement(app, officer, baerum, None, domain="smart_mat", title="Smart Mat")
    from core.plugin_platform.wiring import gate_items_for

    providers = [gate_items_for]

    def keys(procurement_id):
        with acting(app, officer, baerum):
            procurement = db.session.get(Procurement, procurement_id)
            return {item["key"] for provide in providers for item in provide(procurement)}

    assert not {"wt-users-involved", "sm-nutrition-expertise"} & keys(welfare)  # not enabled yet
    enable(app, "baerum", "welfare_tech", "smart_mat")
    assert {"wt-users-involved", "wt-dpia-planned"} <= keys(welfare)
    assert "sm-nutrition-expertise" not in keys(welfare)
    assert "sm-nutrition-expertise" in keys(food) and "wt-dpia-planned" not in keys(food)


def test_navigation_panel_and_smart_mat_page(app, asker):
    client = asker["client"]
    dashboard = client.get("/t/asker/").get_data(as_text=True)
    assert 'href="/t/asker/plugins/welfare_tech/requirements"' in dashboard
    assert 'href="/t/asker/plugins/smart_mat/"' in dashboard
    assert 'id="smart-mat-panel"' in dashboard
    assert dashboard.index("/plugins/welfare_tech/requirements") < dashboard.index(
        "/plugins/smart_mat/")  # navigation priority 50 before 60
    page = client.get("/t/asker/plugins/smart_mat/")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count("<li>") >= 14
    assert client.get("/t/asker/plugins/welfare_tech/").status_code == 200


def test_the_welfare_command_exports_the_library(app, runner):
    result = runner.invoke(args=["welfare-tech", "export-library", "--category", "exit"])
    assert result.exit_code == 0, result.output
    exported = json.loads(result.output)
    assert exported["requirements"] and {r["category"] for r in exported["requirements"]} == {"exit"}
