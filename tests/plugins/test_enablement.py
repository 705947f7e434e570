"""Installed vs enabled: tenant admins switch plugins on and off (UI, API, CLI); a disabled
plugin contributes nothing and its pages and API answer 404 there while another tenant uses it."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from core.audit import AuditEntry
from core.db import db
from tests.conftest import bearer, sign_in
from tests.plugins.conftest import enable

PAGES = ["/plugins/welfare_tech/", "/plugins/welfare_tech/requirements"]


@pytest.fixture
def two_tenants(app, make):
    """Asker uses welfare_tech; Bærum has it installed but not enabled."""
    asker, baerum = make.tenant("asker"), make.tenant("baerum")
    enable(app, "asker", "welfare_tech")
    return {
        "asker": make.user("admin@asker.test", tenant=asker, role="admin"),
        "baerum": make.user("admin@baerum.test", tenant=baerum, role="admin"),
        "tenants": {"asker": asker, "baerum": baerum},
    }


def _client(app, person):
    client = app.test_client()
    sign_in(client, person)
    return client


def test_a_disabled_plugin_answers_404_while_another_tenant_uses_it(app, make, two_tenants):
    asker = _client(app, two_tenants["asker"])
    baerum = _client(app, two_tenants["baerum"])
    for page in PAGES:
        assert asker.get("/t/asker" + page).status_code == 200, page
        assert baerum.get("/t/baerum" + page).status_code == 404, page
    token_a = make.token(two_tenants["asker"])
    token_b = make.token(two_tenants["baerum"])
    api = "/api/v1/tenants/{}/plugins/welfare_tech/requirements"
    assert app.test_client().get(api.format("asker"), headers=bearer(token_a)).status_code == 200
    refused = app.test_client().get(api.format("baerum"), headers=bearer(token_b))
    assert refused.status_code == 404 and refused.mimetype == "application/problem+json"
    # ...and a non-member never reaches another tenant's plugin API
    assert app.test_client().get(api.format("asker"), headers=bearer(token_b)).status_code == 404


def test_a_disabled_plugin_contributes_nothing(app, two_tenants):
    from core.plugin_platform.host import call_for_tenant
    from core.plugin_platform.wiring import navigation_items, templates_for_tenant
    from tenants import service as tenants

    with app.test_request_context():
        asker, baerum = tenants.get_tenant("asker"), tenants.get_tenant("baerum")
        assert [t["key"] for t in templates_for_tenant(asker.id)] == ["tryggere-hverdag"]
        assert templates_for_tenant(baerum.id) == []
        assert call_for_tenant("samspill_domains", baerum.id) == []
        assert call_for_tenant("samspill_requirement_library", baerum.id, domain=None) == []
        assert len(call_for_tenant("samspill_requirement_library", asker.id, domain=None)[0]) >= 30
        assert navigation_items(baerum) == []
        assert [i["id"] for i in navigation_items(asker)] == ["welfare-tech-library"]
    page = _client(app, two_tenants["baerum"]).get("/t/baerum/").get_data(as_text=True)
    assert "plugins/welfare_tech" not in page


def test_admin_enables_and_disables_in_the_ui_with_an_audit_record(app, two_tenants):
    client = _client(app, two_tenants["baerum"])
    listing = client.get("/t/baerum/admin/plugins/")
    assert listing.status_code == 200
    assert 'id="plugin-welfare_tech"' in listing.get_data(as_text=True)
    assert client.post("/t/baerum/admin/plugins/welfare_tech/enable").status_code == 302
    assert client.get("/t/baerum/plugins/welfare_tech/requirements").status_code == 200
    assert 'data-enabled="yes"' in client.get("/t/baerum/admin/plugins/").get_data(as_text=True)
    assert client.post("/t/baerum/admin/plugins/welfare_tech/disable").status_code == 302
    assert client.get("/t/baerum/plugins/welfare_tech/requirements").status_code == 404
    with app.app_context():
        actions = list(db.session.execute(select(AuditEntry.action).where(
            AuditEntry.object_type == "tenant_plugin").order_by(AuditEntry.at)).scalars())
    assert actions == ["plugin.enabled", "plugin.enabled", "plugin.disabled"]  # asker, baerum x2


def test_only_admins_change_the_choice_and_outsiders_get_404(app, make, two_tenants):
    stranger = make.user(tenant=make.tenant("drammen"), role="admin")
    outsider = _client(app, stranger)
    assert outsider.get("/t/baerum/admin/plugins/").status_code == 404
    assert outsider.post("/t/baerum/admin/plugins/welfare_tech/enable").status_code == 404
    officer = make.user(tenant=two_tenants["tenants"]["baerum"], role="officer")
    client = _client(app, officer)
    assert client.post("/t/baerum/admin/plugins/welfare_tech/enable").status_code == 403
    assert client.get("/t/baerum/admin/plugins/").status_code == 403
    assert client.get("/t/baerum/plugins/welfare_tech/requirements").status_code == 404


def test_the_api_lists_and_changes_the_choice(app, make, two_tenants):
    token = make.token(two_tenants["baerum"])
    client = app.test_client()
    listed = client.get("/api/v1/tenants/baerum/plugins", headers=bearer(token)).json
    by_name = {p["name"]: p for p in listed}
    assert by_name["welfare_tech"]["enabled"] is False
    assert by_name["welfare_tech"]["status"] == "active"
    assert "samspill_templates" in by_name["welfare_tech"]["hooks"]
    changed = client.patch("/api/v1/tenants/baerum/plugins/welfare_tech", headers=bearer(token),
                           json={"enabled": True})
    assert changed.status_code == 200 and changed.json["enabled"] is True
    reached = client.get("/api/v1/tenants/baerum/plugins/welfare_tech/requirements",
                         headers=bearer(token))
    assert reached.status_code == 200
    assert client.patch("/api/v1/tenants/baerum/plugins/no_such_plugin", headers=bearer(token),
                        json={"enabled": True}).status_code == 404
    viewer = make.user(tenant=two_tenants["tenants"]["baerum"], role="viewer")
    refused = client.patch("/api/v1/tenants/baerum/plugins/welfare_tech",
                           headers=bearer(make.token(viewer)), json={"enabled": False})
    assert refused.status_code == 403
    seen = client.get("/api/v1/tenants/baerum/plugins/welfare_tech",
                      headers=bearer(make.token(viewer))).json
    assert seen["enabled"] is True and seen["settings"] is None  # settings are for admins


def test_the_cli_enables_disables_and_lists_where_enabled(app, runner, two_tenants):
    assert runner.invoke(args=["plugins", "enable", "baerum", "smart_mat"]).exit_code == 0
    rows = {r["name"]: r for r in json.loads(
        runner.invoke(args=["plugins", "list", "--json"]).output)}
    assert rows["welfare_tech"]["enabled_in"] == ["asker"]
    assert rows["smart_mat"]["enabled_in"] == ["baerum"]
    assert rows["smart_mat"]["version"] and "samspill_blueprints" in rows["smart_mat"]["hooks"]
    assert runner.invoke(args=["plugins", "disable", "baerum", "smart_mat"]).exit_code == 0
    text = runner.invoke(args=["plugins", "list"]).output
    assert "smart_mat" in text and "welfare_tech" in text and "enabled in: asker" in text
    unknown = runner.invoke(args=["plugins", "enable", "baerum", "nope"])
    assert unknown.exit_code != 0 and "No such plugin" in unknown.output
    no_tenant = runner.invoke(args=["plugins", "enable", "nowhere", "smart_mat"])
    assert no_tenant.exit_code != 0 and "Traceback" not in no_tenant.output
