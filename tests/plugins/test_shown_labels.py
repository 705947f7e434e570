"""People read labels, not stored codes: a plugin form's select options and read-only facts,
the plugin's name on its sections, in the page language."""

from __future__ import annotations

import re

import pytest

from tests.conftest import bearer, sign_in
from tests.plugins.conftest import enable, joint_procurement

DETAILS = {"alarm_users": 1200, "response_centre_model": "intermunicipal",
           "scaip_required": True, "dpia_planned_on": None}


@pytest.fixture
def world(app, make):
    baerum, asker = make.tenant("baerum"), make.tenant("asker")
    enable(app, "baerum", "welfare_tech")
    lead = make.user("officer@baerum.test", tenant=baerum, role="officer")
    viewer = make.user("viewer@asker.test", tenant=asker, role="viewer")
    pid = joint_procurement(app, lead, baerum, asker)
    saved = app.test_client().put(f"/api/v1/procurements/{pid}/extensions/welfare_tech",
                                  headers=bearer(make.token(lead)), json=DETAILS)
    assert saved.status_code == 200, saved.get_data(as_text=True)
    return {"lead": lead, "viewer": viewer, "pid": pid}


def _page(app, person, path, lang="nb"):
    client = app.test_client()
    sign_in(client, person)
    client.post("/lang", data={"lang": lang})
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("lang", "option", "heading"), [
    ("nb", "Interkommunalt responssenter", "Velferdsteknologi"),
    ("en", "Intermunicipal response centre", "Welfare technology"),
])
def test_plugin_form_options_show_labels_in_the_page_language(app, world, lang, option, heading):
    html = _page(app, world["lead"], f"/t/baerum/procurements/{world['pid']}/extensions", lang)
    assert re.search(r'<option value="intermunicipal" selected>\s*' + re.escape(option) + r"\s*</option>", html)
    assert '<option value="external">' in html and ">external<" not in html  # the value stays the code
    assert re.search(r'id="ext-welfare_tech-heading">\s*' + re.escape(heading), html)


@pytest.mark.parametrize(("lang", "model", "yes"), [("nb", "Interkommunalt responssenter", "Ja"),
                                                    ("en", "Intermunicipal response centre", "Yes")])
def test_read_only_facts_show_labels_yes_and_no(app, world, lang, model, yes):
    html = _page(app, world["viewer"], f"/t/asker/procurements/{world['pid']}/extensions", lang)
    assert f'<dd id="v-welfare_tech--response_centre_model">{model}</dd>' in html
    assert f'<dd id="v-welfare_tech--scaip_required">{yes}</dd>' in html
    assert '<dd id="v-welfare_tech--dpia_planned_on">–</dd>' in html


def test_need_details_show_the_technology_label(app, make, world):
    client = app.test_client()
    created = client.post(f"/api/v1/procurements/{world['pid']}/needs", headers=bearer(make.token(world["lead"])),
                          json={"statement": "Varsling ved fall", "source": "interview",
                                "extension": {"welfare_tech": {"technology": "fall_detection"}}})
    assert created.status_code == 201, created.get_data(as_text=True)
    html = _page(app, world["lead"], f"/t/baerum/procurements/{world['pid']}/needs")
    need = created.json["id"]
    facts = re.search(rf'<dl class="facts extension" id="need-{need}-welfare_tech">(.*?)</dl>', html, re.S)
    assert facts and "<dd>Fallsensor</dd>" in facts.group(1) and "fall_detection" not in facts.group(1)
    assert "Velferdsteknologi" in html  # the plugin's section is named, not keyed


def test_plugin_list_names_the_plugin(app, make):
    tenant = make.tenant("baerum")
    enable(app, "baerum", "welfare_tech", "smart_mat")
    admin = make.user("admin@baerum.test", tenant=tenant, role="admin")
    for lang, name in (("nb", "Velferdsteknologi"), ("en", "Welfare technology")):
        html = _page(app, admin, "/t/baerum/admin/plugins/", lang)
        row = re.search(r'<tr id="plugin-welfare_tech">(.*?)</tr>', html, re.S).group(1)
        assert re.search(r'<a href="[^"]+">' + name + "</a>", row), row


def test_plugin_gate_items_name_the_plugin(app, world):
    html = _page(app, world["lead"], f"/t/baerum/procurements/{world['pid']}/gates")
    assert "<small>(Velferdsteknologi)</small>" in html and "(welfare_tech)" not in html
