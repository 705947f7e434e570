"""The pytest plugin's fixtures for plugin authors (core/testing/pytest_plugin.py): an API
token, procurements, firing `artefact_published` / `deadline_passed` to the plugins the lead
enabled, and the same fixtures on PostgreSQL when `SAMSPILL_TEST_DATABASE_URL` is set."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

LISTENER = """
    from core.plugin_api import hookimpl

    HEARD = []

    @hookimpl
    def samspill_artefact_published(procurement, artefact_type, artefact):
        HEARD.append(("published", procurement.title, artefact_type, artefact.name))

    @hookimpl
    def samspill_deadline_passed(procurement, deadline, artefact_type, artefact):
        HEARD.append(("deadline", procurement.title, artefact_type, deadline.tzinfo is not None))
"""


def test_token_procurement_and_events_reach_the_plugin(plugin_dist, request):
    import sys

    module = plugin_dist("listener", LISTENER)
    # the app is built after the plugin exists, as in a plugin's own test session
    client = request.getfixturevalue("samspill_client")
    token = request.getfixturevalue("samspill_token")
    procurement = request.getfixturevalue("samspill_procurement")
    make_procurement = request.getfixturevalue("make_samspill_procurement")
    enable_plugin = request.getfixturevalue("enable_plugin")
    fire_event = request.getfixturevalue("fire_event")
    tenant = request.getfixturevalue("samspill_tenant")

    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.get_json()["memberships"][0]["tenant"] == tenant.slug
    shown = client.get(f"/api/v1/procurements/{procurement.id}", headers={"Authorization": f"Bearer {token}"})
    assert shown.status_code == 200 and shown.get_json()["title"] == procurement.title

    heard = sys.modules[module].HEARD
    fire_event("artefact_published", procurement, artefact_type="minutes", artefact=SimpleNamespace(name="m1"))
    assert heard == []  # the lead has not enabled the plugin
    enable_plugin("listener")
    fire_event("artefact_published", procurement, artefact_type="minutes", artefact=SimpleNamespace(name="m1"))
    fire_event("deadline_passed", procurement, artefact_type="questionnaire", artefact=SimpleNamespace(name="q"))
    assert heard == [("published", procurement.title, "minutes", "m1"),
                     ("deadline", procurement.title, "questionnaire", True)]
    with pytest.raises(TypeError):
        fire_event("artefact_published", procurement, artefact_type="minutes")

    enable_plugin("welfare_tech")
    domain = make_procurement(title="Trygghet", domain="welfare_tech")  # procurement_created ran
    details = client.get(f"/api/v1/procurements/{domain.id}/extensions",
                         headers={"Authorization": f"Bearer {token}"}).get_json()
    assert "welfare_tech" in str(details)


def test_the_fixtures_run_on_the_database_the_suite_names(samspill_app):
    from core.db import db

    with samspill_app.app_context():
        dialect = db.engine.dialect.name
        user = db.engine.url.username
    if os.environ.get("SAMSPILL_TEST_DATABASE_URL"):
        assert dialect == "postgresql" and user == "samspill_app"  # row-level security applies
    else:
        assert dialect == "sqlite"
