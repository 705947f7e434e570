"""Joint procurements: every participant tenant's project group works on the same dialogue by
its procurement role; suggested questions come from the domain plugin the lead enabled."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.db import db, utcnow
from core.dialogue.forms import local_input
from tests.dialogue.conftest import future
from tests.dialogue.helpers import builder_fields


def test_partner_municipality_works_on_the_same_dialogue(open_world):
    w = open_world
    # Asker's officer (a buyer) writes; Asker's member reads; Drammen sees nothing.
    r = w.api("post", f"/api/v1/procurements/{w.pid}/questionnaires", w.asker_officer_token, json={
        "title": "Fra Asker", "deadline": future(days=2), "questions": [{"kind": "text", "text": "Hva?"}]})
    assert r.status_code == 201
    titles = [q["title"] for q in w.api("get", f"/api/v1/procurements/{w.pid}/questionnaires", w.officer_token).json]
    assert titles == ["Fra Asker"]
    assert w.api("get", f"/api/v1/procurements/{w.pid}/questionnaires", w.asker_member_token).status_code == 200
    assert w.api("post", f"/api/v1/procurements/{w.pid}/questionnaires", w.asker_member_token, json={
        "title": "x", "deadline": future(days=2), "questions": [{"kind": "text", "text": "Hva?"}]}).status_code == 403
    assert w.api("get", f"/api/v1/procurements/{w.pid}/questionnaires", w.outsider_token).status_code == 404
    # The same pages, from each municipality's own space.
    for user, slug in ((w.asker_officer, "asker"), (w.officer, "baerum")):
        w.login(user)
        page = w.client.get(f"/t/{slug}/procurements/{w.pid}/dialogue/questionnaires")
        assert page.status_code == 200 and "Fra Asker" in page.get_data(as_text=True)
    # Asker's URL only works for Asker's people.
    w.login(w.officer)
    assert w.client.get(f"/t/asker/procurements/{w.pid}/dialogue/questionnaires").status_code == 404


def test_dialogue_tab_on_the_procurement_page(open_world):
    w = open_world
    w.login(w.officer)
    page = w.client.get(f"/t/baerum/procurements/{w.pid}")
    if page.status_code == 308:
        page = w.client.get(f"/t/baerum/procurements/{w.pid}/")
    assert page.status_code == 200
    assert f'/t/baerum/procurements/{w.pid}/dialogue/' in page.get_data(as_text=True)


def test_plugin_questions_are_offered(open_world):
    from core.plugin_platform import host as plugin_manager
    from core.plugin_platform import state as plugins

    if not hasattr(plugin_manager, "questionnaire_questions"):
        pytest.skip("this build's plugin contract offers no questionnaire questions yet")
    from core.procurement.models import Procurement
    from tenants import service as tenants

    w = open_world

    def welfare():
        db.session.get(Procurement, w.pid).domain = "welfare_tech"
        plugins.set_enabled(tenants.get_tenant("baerum"), "welfare_tech", True, check_access=False)

    w.in_system(welfare)
    w.login(w.officer)
    page = w.client.get(f"/t/baerum/procurements/{w.pid}/dialogue/questionnaires").get_data(as_text=True)
    assert 'id="suggested-0"' in page
    r = w.client.post(f"/t/baerum/procurements/{w.pid}/dialogue/questionnaires", data={
        "title": "Med forslag", "deadline": local_input(utcnow() + timedelta(days=3)),
        "suggested": ["0"],
        **builder_fields({"kind": "choice", "text": "Egen?", "options": ["Ja", "Nei"], "required": True})})
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    [q] = w.api("get", f"/api/v1/procurements/{w.pid}/questionnaires", w.officer_token).json
    assert [x["source"] for x in q["questions"]] == ["welfare_tech", "custom"]
    own = q["questions"][1]
    assert (own["kind"], own["text"], own["required"], own["options"]) == ("choice", "Egen?", True, ["Ja", "Nei"])
