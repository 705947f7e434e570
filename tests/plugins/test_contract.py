"""The plugin contract's version: a plugin declares the contract it was built for
(`SAMSPILL_CONTRACT`); a mismatch is refused by name, the plugin is not loaded, and the
platform keeps serving. Older minors of the same major load; undeclared means "1.0"."""

from __future__ import annotations

import json

import pytest

from core.plugin_api import CONTRACT_VERSION
from tests.conftest import sign_in
from tests.plugins.conftest import factory, host

DECLARES = """
    from core.plugin_api import hookimpl
    {declaration}

    @hookimpl
    def samspill_domains():
        return [{{"key": "ferries", "name": "Ferjer", "name_en": "Ferries", "description": ""}}]
"""


def _plugin(plugin_dist, fresh_app, declaration: str):
    plugin_dist("ferries", DECLARES.format(declaration=declaration))
    app = fresh_app()
    return app, host(app).plugins["ferries"]


@pytest.mark.parametrize("declared", ["2.0", "0.9", "1.99", "banana"])
def test_a_plugin_built_for_another_contract_is_refused_by_name(plugin_dist, fresh_app, declared):
    app, info = _plugin(plugin_dist, fresh_app, f"SAMSPILL_CONTRACT = {declared!r}")
    assert info.status == "failed" and info.contract == declared
    assert info.problems[-1].kind == "contract" and declared in info.problems[-1].message
    assert CONTRACT_VERSION in info.problems[-1].message
    assert host(app).pm.get_plugin("ferries") is None  # not loaded

    rows = {r["name"]: r for r in json.loads(app.test_cli_runner().invoke(args=["plugins", "list", "--json"]).output)}
    assert rows["ferries"]["status"] == "failed" and rows["ferries"]["contract"] == declared
    assert rows["ferries"]["errors"][0]["kind"] == "contract"
    refused = app.test_cli_runner().invoke(args=["plugins", "enable", "asker", "ferries"])
    assert refused.exit_code != 0

    make = factory(app)
    tenant = make.tenant("asker")
    admin = make.user(tenant=tenant, role="admin")
    client = app.test_client()
    sign_in(client, admin)
    assert client.get("/t/asker/").status_code == 200  # the platform keeps serving
    assert host(app).plugins["welfare_tech"].status == "active"


@pytest.mark.parametrize("declaration, expected", [
    ("SAMSPILL_CONTRACT = '1.0'", "1.0"), (f"SAMSPILL_CONTRACT = {CONTRACT_VERSION!r}", CONTRACT_VERSION),
    ("", "1.0")])
def test_a_plugin_built_for_this_or_an_older_minor_loads(plugin_dist, fresh_app, declaration, expected):
    app, info = _plugin(plugin_dist, fresh_app, declaration)
    assert info.status == "active" and info.contract == expected and not info.problems


def test_first_party_plugins_declare_the_current_contract(app):
    assert host(app).plugins["welfare_tech"].contract == CONTRACT_VERSION
    assert host(app).plugins["smart_mat"].contract == CONTRACT_VERSION
