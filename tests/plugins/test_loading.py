"""Loading plugins through the `samspill.plugins` entry points: broken, misspelt, blocked,
failing and well-behaved plugins, the documented hook order, and one manager per app."""

from __future__ import annotations

import json
import sys

from tests.conftest import sign_in
from tests.plugins.conftest import enable, factory, host

BROKEN_IMPORT = """
    import this_module_does_not_exist_anywhere  # noqa
"""

RAISES_IN_NAVIGATION = """
    from core.plugin_api import hookimpl

    @hookimpl
    def samspill_navigation_items(tenant):
        raise RuntimeError("navigation exploded")

    @hookimpl
    def samspill_dashboard_panels(tenant):
        raise RuntimeError("panel exploded")
"""

MISSPELT = """
    from core.plugin_api import hookimpl

    @hookimpl
    def samspill_navigation_item(tenant):
        return []
"""

NAV = """
    from core.plugin_api import hookimpl

    @hookimpl{opts}
    def samspill_navigation_items(tenant):
        return [{{"id": "{name}", "label": "{name}", "url": "/{name}"}}]
"""


def test_first_party_plugins_load_through_the_entry_point_group(app):
    plugins = host(app).plugins
    for name in ("welfare_tech", "smart_mat"):
        info = plugins[name]
        assert info.status == "active"
        assert info.distribution == "samspill" and info.version
        assert info.module == f"plugins.{name}.plugin"
        assert "samspill_templates" in host(app).hooks_of(name)
    assert plugins["samspill"].internal  # the core's own hooks, never listed as installed


def test_a_plugin_that_fails_to_import_is_reported_and_the_platform_serves(plugin_dist, fresh_app):
    plugin_dist("broken", BROKEN_IMPORT)
    app = fresh_app()
    info = host(app).plugins["broken"]
    assert info.status == "failed"
    assert info.problems[0].kind == "import"
    assert "this_module_does_not_exist_anywhere" in info.problems[0].message
    assert host(app).plugins["welfare_tech"].status == "active"

    result = app.test_cli_runner().invoke(args=["plugins", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.output)}
    assert rows["broken"]["status"] == "failed" and rows["broken"]["version"] == "1.0.0"
    assert rows["broken"]["errors"][0]["kind"] == "import"
    assert rows["welfare_tech"]["status"] == "active"

    make = factory(app)
    tenant = make.tenant("asker")
    person = make.user(tenant=tenant, role="admin")
    client = app.test_client()
    sign_in(client, person)
    assert client.get("/t/asker/").status_code == 200
    assert client.get("/healthz").status_code == 200


def test_a_plugin_raising_in_a_hook_never_takes_pages_down(plugin_dist, fresh_app):
    plugin_dist("exploding", RAISES_IN_NAVIGATION)
    app = fresh_app()
    make = factory(app)
    asker, baerum = make.tenant("asker"), make.tenant("baerum")
    enable(app, "asker", "exploding", "welfare_tech")
    enable(app, "baerum", "welfare_tech")
    admin_a = make.user(tenant=asker, role="admin")
    admin_b = make.user(tenant=baerum, role="admin")

    client_a, client_b = app.test_client(), app.test_client()
    sign_in(client_a, admin_a)
    sign_in(client_b, admin_b)
    page_a = client_a.get("/t/asker/")
    assert page_a.status_code == 200
    html = page_a.get_data(as_text=True)
    assert 'id="plugin-problems"' in html and 'data-plugin="exploding"' in html  # admin notice
    assert "/t/asker/plugins/welfare_tech/requirements" in html  # the others still contribute
    page_b = client_b.get("/t/baerum/")
    assert page_b.status_code == 200 and 'id="plugin-problems"' not in page_b.get_data(as_text=True)

    problems = host(app).plugins["exploding"].problems
    assert {p.hook for p in problems} == {"samspill_navigation_items", "samspill_dashboard_panels"}
    admin_page = client_a.get("/t/asker/admin/plugins/exploding")
    assert "navigation exploded" in admin_page.get_data(as_text=True)
    listed = app.test_cli_runner().invoke(args=["plugins", "list"]).output
    assert "exploding" in listed and "navigation exploded" in listed


def test_a_misspelt_hook_is_caught_by_check_pending(plugin_dist, fresh_app):
    plugin_dist("misspelt", MISSPELT)
    app = fresh_app()
    info = host(app).plugins["misspelt"]
    assert info.status == "failed"
    assert "samspill_navigation_item" in info.problems[0].message
    assert host(app).pm.get_plugin("misspelt") is None
    assert host(app).plugins["welfare_tech"].status == "active"


def test_the_operator_blocks_a_plugin_without_importing_it(plugin_dist, fresh_app):
    module = plugin_dist("blockme", NAV.format(opts="", name="blockme"))
    app = fresh_app(SAMSPILL_BLOCKED_PLUGINS=("blockme", "smart_mat"))
    assert host(app).plugins["blockme"].status == "blocked"
    assert module not in sys.modules
    assert host(app).plugins["smart_mat"].status == "blocked"
    assert "smart_mat" not in host(app).active
    make = factory(app)
    tenant = make.tenant("asker")
    admin = make.user(tenant=tenant, role="admin")
    client = app.test_client()
    sign_in(client, admin)
    refused = client.post("/t/asker/admin/plugins/smart_mat/enable")
    assert refused.status_code == 409
    result = app.test_cli_runner().invoke(args=["plugins", "enable", "asker", "smart_mat"])
    assert result.exit_code != 0 and "blocked" in result.output
    assert "Traceback" not in result.output


def test_each_app_has_its_own_plugin_manager(fresh_app):
    one = fresh_app()
    two = fresh_app(SAMSPILL_BLOCKED_PLUGINS=("welfare_tech",))
    assert host(one) is not host(two) and host(one).pm is not host(two).pm
    assert host(one).plugins["welfare_tech"].status == "active"
    assert host(two).plugins["welfare_tech"].status == "blocked"


def _nav_ids(app, slug):
    from core.plugin_platform.wiring import navigation_items
    from tenants import service as tenants

    with app.test_request_context():
        return [i["id"] for i in navigation_items(tenants.get_tenant(slug))
                if i["id"] in ("aaa", "mmm", "zzz")]


def test_hooks_run_in_alphabetical_plugin_order_unless_tryfirst_or_trylast(plugin_dist, fresh_app):
    plugin_dist("zzz", NAV.format(opts="", name="zzz"))
    plugin_dist("aaa", NAV.format(opts="", name="aaa"))
    plugin_dist("mmm", NAV.format(opts="", name="mmm"))
    app = fresh_app()
    factory(app).tenant("asker")
    enable(app, "asker", "aaa", "mmm", "zzz")
    assert _nav_ids(app, "asker") == ["aaa", "mmm", "zzz"]


def test_tryfirst_and_trylast_move_a_plugin(plugin_dist, fresh_app):
    plugin_dist("zzz", NAV.format(opts="(tryfirst=True)", name="zzz"))
    plugin_dist("aaa", NAV.format(opts="(trylast=True)", name="aaa"))
    plugin_dist("mmm", NAV.format(opts="", name="mmm"))
    app = fresh_app()
    factory(app).tenant("asker")
    enable(app, "asker", "aaa", "mmm", "zzz")
    assert _nav_ids(app, "asker") == ["zzz", "mmm", "aaa"]


def test_a_plugin_wrapper_that_raises_keeps_the_result(plugin_dist, fresh_app):
    plugin_dist("wrapper", """
        from core.plugin_api import hookimpl

        @hookimpl(wrapper=True)
        def samspill_navigation_items(tenant):
            result = yield
            raise ValueError("wrapper broke after the call")
    """)
    app = fresh_app()
    factory(app).tenant("asker")
    enable(app, "asker", "wrapper", "welfare_tech")
    from core.plugin_platform.wiring import navigation_items
    from tenants import service as tenants

    with app.test_request_context():
        items = navigation_items(tenants.get_tenant("asker"))
    assert [i["id"] for i in items] == ["welfare-tech-library"]
    assert host(app).plugins["wrapper"].problems[0].hook == "samspill_navigation_items"
