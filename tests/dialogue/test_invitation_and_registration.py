"""Dialogue invitation, opening the dialogue, the market list and supplier registration."""

from __future__ import annotations

import json

from core.db import db


def test_invitation_draft_fills_placeholders_and_exports(world):
    r = world.api("get", f"/api/v1/procurements/{world.pid}/invitation", world.officer_token)
    assert r.status_code == 200
    assert r.json["is_draft"] is True
    assert "{{ title }}" in r.json["raw_text"] and "Tryggere hverdag" in r.json["text"]
    assert "Bærum kommune, Asker kommune" in r.json["text"]
    saved = world.api("put", f"/api/v1/procurements/{world.pid}/invitation", world.officer_token,
                      json={"text": "{{ lead }} inviterer til dialog om {{ title }}. {{ nope }}"})
    assert saved.status_code == 200
    assert saved.json["text"] == "Bærum kommune inviterer til dialog om Tryggere hverdag. {{ nope }}"
    assert saved.json["unknown_placeholders"] == ["nope"]
    exported = world.api("get", f"/api/v1/procurements/{world.pid}/invitation.json", world.officer_token)
    assert exported.json["format"] == "samspill.dialogue-invitation/1"
    assert exported.json["contracting_authorities"] == {"lead": "Bærum kommune",
                                                        "buyers": ["Bærum kommune", "Asker kommune"]}
    world.login(world.officer)
    text = world.client.get(f"/t/baerum/procurements/{world.pid}/dialogue/invitation.txt")
    assert text.status_code == 200 and "Bærum kommune inviterer" in text.get_data(as_text=True)
    as_json = world.client.get(f"/t/baerum/procurements/{world.pid}/dialogue/invitation.json")
    assert json.loads(as_json.get_data(as_text=True))["procurement"]["title"] == "Tryggere hverdag"


def test_invitation_edit_needs_write_and_outsiders_get_404(world):
    path = f"/api/v1/procurements/{world.pid}/invitation"
    assert world.api("put", path, world.asker_member_token, json={"text": "x"}).status_code == 403
    assert world.api("get", path, world.outsider_token).status_code == 404
    assert world.api("get", path, world.a).status_code == 404


def test_dialogue_hidden_until_opened_then_listed(world):
    listing = world.api("get", "/api/v1/market/dialogues", world.a)
    assert listing.status_code == 200 and listing.json["items"] == []
    assert world.api("post", f"/api/v1/procurements/{world.pid}/registrations", world.a).status_code == 404
    # Only the lead may open it, and only in the dialogue phase.
    path = f"/api/v1/procurements/{world.pid}/dialogue/open"
    assert world.api("post", path, world.asker_officer_token).status_code == 403
    world.set_phase("needs")
    assert world.api("post", path, world.officer_token).status_code == 409
    world.set_phase("dialogue")
    assert world.api("post", path, world.officer_token).status_code == 200
    listing = world.api("get", "/api/v1/market/dialogues", world.a).json["items"]
    assert [(d["title"], d["buyers"], d["registered"]) for d in listing] == [
        ("Tryggere hverdag", ["Bærum kommune", "Asker kommune"], False)]
    # Anyone signed in may list; a learning municipality too.
    listed = world.api("get", "/api/v1/market/dialogues", world.outsider_token).json["items"]
    assert listed[0]["title"] == "Tryggere hverdag"


def test_registration_once_per_supplier_and_listed_for_project_group(open_world):
    w = open_world
    again = w.api("post", f"/api/v1/procurements/{w.pid}/registrations", w.a)
    assert again.status_code == 200
    page = w.api("get", f"/api/v1/procurements/{w.pid}/registrations", w.asker_member_token)
    assert sorted(i["supplier"]["name"] for i in page.json["items"]) == ["Omsorgsdata AS", "Trygg Teknologi AS"]
    # Suppliers never see who else registered.
    assert w.api("get", f"/api/v1/procurements/{w.pid}/registrations", w.a).status_code == 404
    assert w.api("get", "/api/v1/market/dialogues", w.a).json["items"][0]["registered"] is True


def test_registration_needs_a_supplier(open_world):
    w = open_world
    assert w.api("post", f"/api/v1/procurements/{w.pid}/registrations", w.officer_token).status_code == 404


def test_supplier_portal_pages(open_world):
    w = open_world
    w.login(w.c_user)
    index = w.client.get("/supplier/").get_data(as_text=True)
    assert f'id="dialogue-{w.pid}"' in index
    page = w.client.get(f"/supplier/dialogues/{w.pid}/")
    assert page.status_code == 200 and 'id="register-form"' in page.get_data(as_text=True)
    assert w.client.get(f"/supplier/dialogues/{w.pid}/questions").status_code == 404  # not registered yet
    assert w.client.post(f"/supplier/dialogues/{w.pid}/register").status_code == 302
    assert w.client.get(f"/supplier/dialogues/{w.pid}/questions").status_code == 200


def test_project_group_overview_page_for_both_municipalities(open_world):
    w = open_world
    for user, slug in ((w.officer, "baerum"), (w.asker_member, "asker")):
        w.login(user)
        page = w.client.get(f"/t/{slug}/procurements/{w.pid}/dialogue/")
        assert page.status_code == 200
        assert 'id="registrations-table"' in page.get_data(as_text=True)
        w.client.post("/signout")
    w.login(w.outsider)
    assert w.client.get(f"/t/drammen/procurements/{w.pid}/dialogue/").status_code == 404


def test_template_material_has_nothing_a_supplier_wrote(open_world):
    from core.auth import principal_for
    from core.dialogue.templating import template_material
    from core.identity.models import User
    from tests.dialogue.helpers import questionnaire_with_secret_response

    w = open_world
    secret = questionnaire_with_secret_response(w)
    with w.app.test_request_context():
        from flask import g

        from core import isolation

        with isolation.system_scope():
            g.principal = principal_for(db.session.get(User, w.officer.id))
        isolation.set_scope(g.principal.tenant_ids)
        material = template_material(w.pid)
    dumped = json.dumps(material, ensure_ascii=False)
    assert material["questionnaires"][0]["questions"]
    assert secret not in dumped


def test_template_format_placeholders_are_filled(world):
    """Templates (platform and plugins) use the names of docs/template-format.md."""
    text = ("{{ procurement_title }} | {{ municipalities }} | {{ contact_email }} | "
            "{{ conference_date }} | {{ response_deadline }}")
    saved = world.api("put", f"/api/v1/procurements/{world.pid}/invitation", world.officer_token,
                      json={"text": text})
    assert saved.status_code == 200
    assert saved.json["unknown_placeholders"] == []
    assert "{{" not in saved.json["text"]
    assert saved.json["text"].startswith("Tryggere hverdag | Bærum kommune, Asker kommune | ")
