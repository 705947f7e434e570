"""One form creates a procurement with everything the package holds, whatever plugins the
municipality has enabled; the texts fit a municipality buying alone."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select

from core import isolation
from core.db import db
from core.dialogue.models import DialogueConference, MeetingRound, MeetingSlot, Questionnaire
from core.plugin_platform.models import TenantPlugin
from core.procurement.models import Need, Procurement
from plugins.welfare_tech.content import TEMPLATE
from tests.procurement.conftest import MANDATE


def _only_procurement(app, title):
    with app.app_context(), isolation.system_scope():
        return db.session.execute(select(Procurement).where(Procurement.title == title)).scalar_one_or_none()


def _location_id(response) -> str:
    match = re.search(r"/procurements/([0-9a-f-]{36})/ready$", response.headers["Location"])
    assert match, response.headers.get("Location")
    return match.group(1)


def test_the_arena_page_offers_the_one_form_and_says_the_plugin_is_not_enabled(world, package):
    page = world.browser("drammen").get(f"/arena/templates/{package.template_id}").get_data(as_text=True)
    assert 'id="package-start-form"' in page
    assert f'action="/t/drammen/procurements/from-package/{package.version_id}"' in page
    assert 'id="package-plugin" data-enabled="0"' in page
    assert 'id="f-enable_plugin"' not in page  # an officer is told; only an admin can enable it
    admin_page = world.browser("drammen", "admin").get(f"/arena/templates/{package.template_id}")
    assert 'id="f-enable_plugin"' in admin_page.get_data(as_text=True)


def test_one_form_brings_needs_questionnaire_conference_and_one_to_one_without_plugins(app, world, package):
    response = package.start(world.browser("drammen"))
    assert response.status_code == 303, response.get_data(as_text=True)
    pid = _location_id(response)
    with app.app_context(), isolation.system_scope():
        procurement = db.session.get(Procurement, uuid.UUID(pid))
        assert procurement.title == "Tryggere hverdag i Drammen"
        assert procurement.estimated_value_ore == 250_000_000
        assert procurement.template_version_id is not None  # lineage
        assert {i["key"] for i in procurement.custom_gate_items} == {i["key"] for i in TEMPLATE["gate_items"]}
        needs = db.session.execute(select(Need).where(Need.procurement_id == procurement.id)).scalars().all()
        assert len(needs) == len(TEMPLATE["needs"])
        questionnaire = db.session.execute(select(Questionnaire).where(
            Questionnaire.procurement_id == procurement.id)).scalar_one()
        assert [q.text for q in questionnaire.questions] == [q["text"] for q in TEMPLATE["questionnaire"]]
        options = [q.get("choices", []) for q in TEMPLATE["questionnaire"]]
        assert [q.options for q in questionnaire.questions] == options
        assert questionnaire.opened_at is None  # opened when the dialogue is published
        conference = db.session.execute(select(DialogueConference).where(
            DialogueConference.procurement_id == procurement.id)).scalar_one()
        assert conference.place == "Drammen rådhus"
        assert "Dialogkonferanse – Tryggere hverdag i Drammen" in conference.agenda
        assert "Drammen kommune" in conference.agenda and "{{" not in conference.agenda
        meeting_round = db.session.execute(select(MeetingRound).where(
            MeetingRound.procurement_id == procurement.id)).scalar_one()
        assert "En-til-en-møte – Tryggere hverdag i Drammen" in meeting_round.agenda
        assert "Kommunens spørsmål" in meeting_round.agenda and "Kommunenes" not in meeting_round.agenda
        slots = db.session.execute(select(MeetingSlot).where(MeetingSlot.round_id == meeting_round.id)).all()
        assert len(slots) == 6 and meeting_round.opened_at is None
        assert not db.session.execute(select(TenantPlugin).where(TenantPlugin.enabled.is_(True))).first()


def test_the_invitation_speaks_of_one_buyer_until_another_municipality_buys_too(world, package):
    drammen = world.browser("drammen")
    pid = _location_id(package.start(drammen))
    invitation = world.api("drammen").get(f"/api/v1/procurements/{pid}/invitation").json["text"]
    assert "Drammen kommune forbereder en anskaffelse" in invitation
    assert "felles anskaffelse" not in invitation and "Kommunene presenterer" not in invitation
    lead = world.api("drammen")
    assert lead.post(f"/api/v1/procurements/{pid}/participants",
                     json={"tenant": "asker", "role": "buyer"}).status_code == 201
    assert world.api("asker", "admin").post(f"/api/v1/procurements/{pid}/participants/asker/accept",
                                            json=MANDATE).status_code == 200
    joint = lead.get(f"/api/v1/procurements/{pid}/invitation").json["text"]
    assert "forbereder en felles anskaffelse" in joint and "Kommunene presenterer" in joint


def test_every_mistake_is_reported_at_once_and_nothing_is_created(app, world, package):
    response = package.start(world.browser("drammen"), title="", estimated_value="lots", conference_place="",
                             conference_starts_at="2001-01-01T10:00", response_deadline="")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    for name in ("title", "estimated_value", "conference_starts_at", "conference_place", "response_deadline"):
        assert f'id="f-{name}-error"' in page and f'href="#f-{name}"' in page, name
    assert _only_procurement(app, "") is None
    later = package.start(world.browser("drammen"), title="Late", conference_starts_at="2030-01-10T10:00",
                          response_deadline="2030-01-09T10:00")
    assert later.status_code == 422 and 'id="f-response_deadline-error"' in later.get_data(as_text=True)
    assert _only_procurement(app, "Late") is None


def test_an_admin_enables_the_plugin_in_the_same_form_an_officer_cannot(app, world, package):
    refused = package.start(world.browser("drammen"), title="Not allowed", enable_plugin="1")
    assert refused.status_code == 403
    assert _only_procurement(app, "Not allowed") is None
    done = package.start(world.browser("drammen", "admin"), title="With plugin", enable_plugin="1")
    assert done.status_code == 303
    with app.app_context(), isolation.system_scope():
        row = db.session.execute(select(TenantPlugin).where(
            TenantPlugin.tenant_id == world.tenant("drammen").id)).scalar_one()
        assert row.plugin == "welfare_tech" and row.enabled


def test_only_officers_of_the_municipality_start_and_others_see_no_package(world, package):
    assert package.start(world.browser("drammen", "member")).status_code == 403
    assert package.start(world.browser("drammen"), slug="asker").status_code in (302, 404)
    private = world.api("asker").post("/api/v1/tenants/asker/templates",
                                      json={"content": {**TEMPLATE, "key": "hidden"}, "visibility": "private"}).json
    response = world.browser("drammen").post(f"/t/drammen/procurements/from-package/{private['id']}",
                                             data={"title": "x"})
    assert response.status_code == 404
