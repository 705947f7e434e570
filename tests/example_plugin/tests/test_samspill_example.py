"""The example plugin's own tests, written only with Samspill's pytest fixtures
(`samspill_app`, `samspill_tenant`, `samspill_client`, `enable_plugin`, ...)."""

from __future__ import annotations

import json


def test_the_plugin_is_installed_through_its_entry_point(samspill_runner):
    rows = {r["name"]: r for r in json.loads(
        samspill_runner.invoke(args=["plugins", "list", "--json"]).output)}
    assert rows["samspill_example"]["version"] == "0.3.0"
    assert rows["samspill_example"]["distribution"] == "samspill-example-plugin"
    assert rows["samspill_example"]["status"] == "active"


def test_its_page_answers_only_where_enabled(samspill_client, samspill_tenant, enable_plugin):
    url = f"/t/{samspill_tenant.slug}/plugins/samspill_example/"
    assert samspill_client.get(url).status_code == 404
    enable_plugin("samspill_example", meals_per_day=2)
    page = samspill_client.get(url)
    assert page.status_code == 200 and 'data-value="2"' in page.get_data(as_text=True)
    dashboard = samspill_client.get(f"/t/{samspill_tenant.slug}/").get_data(as_text=True)
    assert f'href="{url}"' in dashboard


def test_settings_are_validated_by_its_schema(samspill_client, samspill_tenant, enable_plugin):
    enable_plugin("samspill_example")
    url = f"/t/{samspill_tenant.slug}/admin/plugins/samspill_example/settings"
    assert samspill_client.post(url, data={"meals_per_day": "4"}).status_code == 422
    assert samspill_client.post(url, data={"meals_per_day": "3",
                                           "menu_language": "nn"}).status_code == 302


def test_its_api_and_openapi_names(samspill_app, samspill_admin, samspill_tenant, enable_plugin):
    from core.db import db
    from core.identity import service as identity

    enable_plugin("samspill_example")
    with samspill_app.app_context():
        secret = identity.create_token(identity.find_user_by_email(samspill_admin.email), "t").secret
        db.session.commit()
    client = samspill_app.test_client()
    menu = client.get(f"/api/v1/tenants/{samspill_tenant.slug}/plugins/samspill_example/menu",
                      headers={"Authorization": f"Bearer {secret}"})
    assert menu.status_code == 200 and menu.json["meals_per_day"] == 1
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    assert {"samspill_example.Settings", "samspill_example.Menu", "welfare_tech.Settings"} <= set(schemas)
