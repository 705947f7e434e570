"""Plugin extension data on needs: `extension` is namespaced by plugin name, validated by the
plugin's `need` schema under the lead tenant's plugin choice, stored, audited and round-tripped
through /api/v1/procurements/{id}/needs and the HTML needs form; invalid or foreign data is
refused with field errors (next to the field on the page)."""

from __future__ import annotations

import pytest

from tests.conftest import bearer, sign_in
from tests.plugins.conftest import enable, joint_procurement


@pytest.fixture
def world(app, make):
    baerum, asker = make.tenant("baerum"), make.tenant("asker")
    enable(app, "baerum", "welfare_tech")  # the lead; smart_mat is not enabled by Bærum
    enable(app, "asker", "smart_mat")  # a participant's choice does not govern
    lead = make.user("officer@baerum.test", tenant=baerum, role="officer")
    participant = make.user("officer@asker.test", tenant=asker, role="officer")
    return {"lead": lead, "participant": participant,
            "procurement": joint_procurement(app, lead, baerum, asker)}


def _needs(world):
    return f"/api/v1/procurements/{world['procurement']}/needs"


NEED = {"statement": "Residents want to call for help from anywhere at home.",
        "user_group": "Home-care residents", "source": "interview", "priority": 1}


def test_welfare_tech_need_data_round_trips_and_is_audited(app, make, world):
    client, headers = app.test_client(), bearer(make.token(world["lead"]))
    created = client.post(_needs(world), headers=headers,
                          json={**NEED, "extension": {"welfare_tech": {"technology": "safety_alarm"}}})
    assert created.status_code == 201, created.get_data(as_text=True)
    assert created.json["extension"] == {"welfare_tech": {"technology": "safety_alarm"}}
    listed = client.get(_needs(world), headers=headers).json
    assert [n["extension"] for n in listed] == [{"welfare_tech": {"technology": "safety_alarm"}}]

    need_url = f"{_needs(world)}/{created.json['id']}"
    patched = client.patch(need_url, headers=headers,
                           json={"extension": {"welfare_tech": {"technology": "fall_detection"}}})
    assert patched.status_code == 200, patched.get_data(as_text=True)
    assert client.get(need_url, headers=headers).json["extension"] == {
        "welfare_tech": {"technology": "fall_detection"}}
    plain = client.post(_needs(world), headers=headers, json=NEED)
    assert plain.status_code == 201 and plain.json["extension"] == {}

    audit = client.get(f"/api/v1/procurements/{world['procurement']}/audit?limit=100",
                       headers=headers).json["items"]
    updates = [e["changes"] for e in audit if e["action"] == "need.updated"]
    assert updates == [{"before": {"extension": {"welfare_tech": {"technology": "safety_alarm"}}},
                        "after": {"extension": {"welfare_tech": {"technology": "fall_detection"}}}}]

def test_invalid_need_data_is_refused_with_the_field_error_and_nothing_stored(app, make, world):
    client, headers = app.test_client(), bearer(make.token(world["lead"]))
    bad = client.post(_needs(world), headers=headers,
                      json={**NEED, "extension": {"welfare_tech": {"technology": "teleporter"}}})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert "technology" in bad.json["errors"]["extension"]["welfare_tech"]
    assert client.get(_needs(world), headers=headers).json == []

    good = client.post(_needs(world), headers=headers,
                       json={**NEED, "extension": {"welfare_tech": {"technology": "location"}}})
    need_url = f"{_needs(world)}/{good.json['id']}"
    refused = client.patch(need_url, headers=headers, json={
        "statement": "Changed", "extension": {"welfare_tech": {"technology": "teleporter"}}})
    assert refused.status_code == 422
    after = client.get(need_url, headers=headers).json
    assert after["statement"] == NEED["statement"]
    assert after["extension"] == {"welfare_tech": {"technology": "location"}}


def test_a_namespace_the_lead_has_not_enabled_is_refused(app, make, world):
    client, headers = app.test_client(), bearer(make.token(world["lead"]))
    for namespace in ("smart_mat", "no_such_plugin"):
        refused = client.post(_needs(world), headers=headers,
                              json={**NEED, "extension": {namespace: {}}})
        assert refused.status_code == 422 and refused.mimetype == "application/problem+json"
        assert namespace in refused.json["errors"]["extension"]
    participant = app.test_client().post(
        _needs(world), headers=bearer(make.token(world["participant"])),
        json={**NEED, "extension": {"smart_mat": {}}})
    assert participant.status_code == 422  # the participant enabled smart_mat; the lead governs
    not_an_object = client.post(_needs(world), headers=headers, json={**NEED, "extension": ["x"]})
    assert not_an_object.status_code == 422
    assert client.get(_needs(world), headers=headers).json == []


FIELD = "extension--welfare_tech--technology"


def _page_url(world, **query):
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return f"/t/baerum/procurements/{world['procurement']}/needs{suffix}"


def _stored(app, make, world):
    return app.test_client().get(_needs(world), headers=bearer(make.token(world["lead"]))).json


def test_the_html_need_form_shows_and_saves_the_leads_plugin_fields(app, make, world):
    client = app.test_client()
    sign_in(client, world["lead"])
    page = client.get(_page_url(world)).get_data(as_text=True)
    assert f'name="{FIELD}"' in page and 'value="fall_detection"' in page
    assert "extension--smart_mat--" not in page  # enabled by the participant only: the lead governs

    added = client.post(_page_url(world), data={**NEED, FIELD: "fall_detection"})
    assert added.status_code == 303, added.get_data(as_text=True)
    plain = client.post(_page_url(world), data={**NEED, "statement": "Nothing chosen", FIELD: ""})
    assert plain.status_code == 303
    [with_data, without] = _stored(app, make, world)
    assert with_data["extension"] == {"welfare_tech": {"technology": "fall_detection"}}
    assert without["extension"] == {}  # an untouched plugin section adds no data
    listing = client.get(_page_url(world)).get_data(as_text=True)
    assert f'id="need-{with_data["id"]}-welfare_tech"' in listing
    assert f'id="need-{without["id"]}-welfare_tech"' not in listing

    editing = client.get(_page_url(world, edit=with_data["id"])).get_data(as_text=True)
    form = editing[editing.index(f'id="edit-need-{with_data["id"]}"'):]
    assert '<option value="fall_detection" selected>' in form[:form.index("</form>")]
    saved = client.post(f"{_page_url(world)}/{with_data['id']}", data={**NEED, FIELD: "location"})
    assert saved.status_code == 303
    assert _stored(app, make, world)[0]["extension"] == {"welfare_tech": {"technology": "location"}}
    cleared = client.post(f"{_page_url(world)}/{with_data['id']}", data={**NEED, FIELD: ""})
    assert cleared.status_code == 303
    assert _stored(app, make, world)[0]["extension"] == {"welfare_tech": {"technology": None}}


def test_invalid_plugin_fields_on_the_html_form_show_next_to_the_field(app, make, world):
    client = app.test_client()
    sign_in(client, world["lead"])
    refused = client.post(_page_url(world), data={**NEED, "statement": "Kept on the form", FIELD: "teleporter"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert f'href="#f-{FIELD}"' in page  # the error summary links to the field
    assert f'id="f-{FIELD}-error"' in page and f'aria-describedby="f-{FIELD}-error"' in page
    assert "Kept on the form" in page
    assert _stored(app, make, world) == []

    need = client.post(_page_url(world), data={**NEED, FIELD: "location"})
    assert need.status_code == 303
    need_id = _stored(app, make, world)[0]["id"]
    refused = client.post(f"{_page_url(world)}/{need_id}", data={**NEED, "statement": "Changed", FIELD: "x"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    form = page[page.index(f'id="edit-need-{need_id}"'):]
    assert f'id="f-{FIELD}-error"' in form[:form.index("</form>")]  # in the edit form, not the add form
    stored = _stored(app, make, world)[0]
    assert stored["statement"] == NEED["statement"]
    assert stored["extension"] == {"welfare_tech": {"technology": "location"}}
