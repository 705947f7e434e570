"""Per-tenant plugin settings: declared defaults, validated by the plugin's own schema in the
UI, the API and the command line, audited, and safe against lost updates."""

from __future__ import annotations

import json

import pytest

from tests.conftest import bearer, sign_in
from tests.plugins.conftest import enable


@pytest.fixture
def admin(app, make):
    tenant = make.tenant("asker")
    enable(app, "asker", "welfare_tech", "smart_mat")
    return make.user("admin@asker.test", tenant=tenant, role="admin")


def test_defaults_come_from_the_schema(app, runner, admin):
    result = runner.invoke(args=["plugins", "settings", "asker", "smart_mat"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"deliveries_per_week": 2, "max_delivery_temperature": 4.0,
                                         "show_on_dashboard": True}


def test_ui_saves_valid_settings_and_shows_errors_next_to_the_field(app, admin):
    client = app.test_client()
    sign_in(client, admin)
    page = client.get("/t/asker/admin/plugins/smart_mat")
    assert page.status_code == 200 and 'name="deliveries_per_week"' in page.get_data(as_text=True)
    bad = client.post("/t/asker/admin/plugins/smart_mat/settings",
                      data={"deliveries_per_week": "9", "max_delivery_temperature": "4",
                            "show_on_dashboard": ["false", "true"]})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'id="f-deliveries_per_week-error"' in html and 'aria-invalid="true"' in html
    good = client.post("/t/asker/admin/plugins/smart_mat/settings",
                       data={"deliveries_per_week": "5", "max_delivery_temperature": "3.5",
                             "show_on_dashboard": "false"})
    assert good.status_code == 302
    overview = client.get("/t/asker/plugins/smart_mat/").get_data(as_text=True)
    assert '<dd id="deliveries-per-week">5</dd>' in overview
    dashboard = client.get("/t/asker/").get_data(as_text=True)
    assert 'id="smart-mat-panel"' not in dashboard  # show_on_dashboard is off


def test_api_validates_settings_with_problem_details(app, make, admin):
    client, headers = app.test_client(), bearer(make.token(admin))
    url = "/api/v1/tenants/asker/plugins/welfare_tech"
    bad = client.patch(url, headers=headers, json={"settings": {"response_time_target_minutes": 0,
                                                                "colour": "red"}})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert set(bad.json["errors"]) == {"response_time_target_minutes", "colour"}
    ok = client.patch(url, headers=headers, json={"settings": {"response_time_target_minutes": 15}})
    assert ok.status_code == 200
    assert ok.json["settings"] == {"response_time_target_minutes": 15, "show_standards": True,
                                   "response_centre": ""}
    stale = client.patch(url, headers=headers, json={"settings": {"response_centre": "X"},
                                                     "version": ok.json["settings_version"] - 1})
    assert stale.status_code == 409


def test_cli_sets_settings_and_refuses_invalid_values_in_one_line(app, runner, admin):
    ok = runner.invoke(args=["plugins", "settings", "asker", "welfare_tech",
                             "--set", "show_standards=false", "--set", "response_centre=Vakt"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["show_standards"] is False
    bad = runner.invoke(args=["plugins", "settings", "asker", "welfare_tech",
                              "--set", "response_time_target_minutes=many"])
    assert bad.exit_code != 0
    assert "response_time_target_minutes" in bad.output and "Traceback" not in bad.output
    malformed = runner.invoke(args=["plugins", "settings", "asker", "welfare_tech", "--set", "x"])
    assert malformed.exit_code != 0 and "key=value" in malformed.output


def test_a_setting_changes_what_the_plugin_shows(app, runner, admin):
    client = app.test_client()
    sign_in(client, admin)
    assert 'class="standards"' in client.get(
        "/t/asker/plugins/welfare_tech/requirements").get_data(as_text=True)
    runner.invoke(args=["plugins", "settings", "asker", "welfare_tech", "--set", "show_standards=0"])
    assert 'class="standards"' not in client.get(
        "/t/asker/plugins/welfare_tech/requirements").get_data(as_text=True)


def test_settings_changes_are_audited(app, runner, admin):
    from sqlalchemy import select

    from core.audit import AuditEntry
    from core.db import db

    runner.invoke(args=["plugins", "settings", "asker", "smart_mat", "--set",
                        "deliveries_per_week=3"])
    with app.app_context():
        entry = db.session.execute(select(AuditEntry).where(
            AuditEntry.action == "plugin.settings_changed")).scalar_one()
    assert entry.changes["plugin"] == "smart_mat"
    assert entry.changes["after"] == {"deliveries_per_week": 3}
