"""What the plugins feed into the procurement and dialogue pages: suggested questionnaire
questions, the dialogue-invitation draft and the "domain details" tab — from the plugins the
lead tenant enabled, for the procurement's domain."""

from __future__ import annotations

import pytest

from core.db import db
from plugins.welfare_tech import content
from tests.conftest import sign_in
from tests.plugins.conftest import acting, enable, joint_procurement


@pytest.fixture
def lead(app, make):
    tenant = make.tenant("baerum")
    officer = make.user(tenant=tenant, role="officer")
    procurement_id = joint_procurement(app, officer, tenant, None)  # domain welfare_tech
    return tenant, officer, procurement_id


def test_suggested_questions_come_from_the_leads_domain_plugin(app, lead):
    from core.dialogue.questionnaires import suggested_questions
    from core.procurement.models import Procurement

    tenant, officer, procurement_id = lead
    with acting(app, officer, tenant):
        assert suggested_questions(db.session.get(Procurement, procurement_id)) == []
    enable(app, "baerum", "welfare_tech", "smart_mat")
    with acting(app, officer, tenant):
        suggested = suggested_questions(db.session.get(Procurement, procurement_id))
    ours = [q for q in suggested if q["source"] == "welfare_tech"]
    assert [q["text"] for q in ours] == [q["text"] for q in content.QUESTIONNAIRE]
    assert not [q for q in suggested if q["source"] == "smart_mat"]  # another domain
    protocols = next(q for q in ours if q["key"] == "wt-q-04")
    assert protocols["kind"] == "multichoice" and "SCAIP (SS 91100)" in protocols["options"]


def test_the_invitation_draft_comes_from_the_domain_plugin(app, lead):
    from core.dialogue.invitation import get_invitation

    tenant, officer, procurement_id = lead
    enable(app, "baerum", "welfare_tech")
    with acting(app, officer, tenant):
        view = get_invitation(procurement_id)
    assert view.is_draft
    # Bærum buys alone here: the package's text for a single buyer (no "felles anskaffelse").
    assert view.raw_text == content.TEXTS["dialogue_invitation_solo"]
    assert "felles anskaffelse" not in view.raw_text


def test_the_domain_details_tab_appears_when_the_lead_uses_a_plugin(app, lead):
    tenant, officer, procurement_id = lead
    client = app.test_client()
    sign_in(client, officer)
    page = f"/t/baerum/procurements/{procurement_id}/"
    tab = f'href="/t/baerum/procurements/{procurement_id}/extensions"'
    assert tab not in client.get(page).get_data(as_text=True)
    enable(app, "baerum", "welfare_tech")
    assert tab in client.get(page).get_data(as_text=True)
