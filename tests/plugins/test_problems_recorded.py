"""Run-time problems of plugins are kept where every process sees them: a database table,
one row per problem with a count and the last time, read by `samspill plugins list`, the
admin's plugin page and the dashboard notice of another process; and `samspill plugins list`
on a database that was never migrated answers with one line, not a traceback."""

from __future__ import annotations

import json

from tests.conftest import sign_in
from tests.plugins.conftest import enable, factory

RAISES_IN_NAVIGATION = """
    from core.plugin_api import hookimpl

    @hookimpl
    def samspill_navigation_items(tenant):
        raise RuntimeError("navigation exploded")
"""


def test_a_hook_failing_in_one_process_is_seen_counted_by_another(plugin_dist, fresh_app):
    plugin_dist("exploding", RAISES_IN_NAVIGATION)
    serving = fresh_app()  # the process serving pages (a gunicorn worker)
    make = factory(serving)
    asker = make.tenant("asker")
    enable(serving, "asker", "exploding")
    admin = make.user(tenant=asker, role="admin")
    client = serving.test_client()
    sign_in(client, admin)
    for _ in range(3):
        assert client.get("/t/asker/").status_code == 200

    from core import create_app

    other = create_app({**serving.config})  # another process: its memory knows nothing
    assert not other.extensions["samspill.plugins"].plugins["exploding"].problems
    result = other.test_cli_runner().invoke(args=["plugins", "list", "--json"])
    assert result.exit_code == 0, result.output
    errors = {r["name"]: r for r in json.loads(result.output)}["exploding"]["errors"]
    navigation = [e for e in errors if e["hook"] == "samspill_navigation_items"]
    assert len(navigation) == 1, errors  # de-duplicated
    assert navigation[0]["count"] >= 3 and "navigation exploded" in navigation[0]["message"]
    assert navigation[0]["at"] >= navigation[0]["first_at"]
    text = other.test_cli_runner().invoke(args=["plugins", "list"]).output
    assert "navigation exploded" in text and "×" in text

    other_client = other.test_client()
    sign_in(other_client, admin)
    dashboard = other_client.get("/t/asker/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'data-plugin="exploding"' in dashboard  # the other process's notice
    page = other_client.get("/t/asker/admin/plugins/exploding").get_data(as_text=True)
    assert "navigation exploded" in page and 'class="problem-seen" data-count="' in page


def test_plugins_list_on_an_unmigrated_database_is_one_line(instance_on):
    app = instance_on()
    result = app.test_cli_runner().invoke(args=["plugins", "list"])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "samspill db upgrade" in lines[0], result.output
