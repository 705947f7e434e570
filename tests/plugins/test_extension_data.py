"""Plugin extension data on procurements: namespaced, validated by the plugin's schema,
round-tripping through the API and the page; in a joint procurement the lead decides which
plugins apply, and participants see that data without enabling the plugin themselves."""

from __future__ import annotations

import pytest

from core.db import db
from tests.conftest import bearer, sign_in
from tests.plugins.conftest import enable, host, joint_procurement

DETAILS = {"alarm_users": 1200, "response_centre_model": "intermunicipal",
           "scaip_required": True, "dpia_planned_on": "2027-02-01"}


@pytest.fixture
def world(app, make):
    baerum, asker, drammen = make.tenant("baerum"), make.tenant("asker"), make.tenant("drammen")
    enable(app, "baerum", "welfare_tech")  # the lead; Asker has not enabled welfare_tech
    people = {
        "lead": make.user("officer@baerum.test", tenant=baerum, role="officer"),
        "participant": make.user("officer@asker.test", tenant=asker, role="officer"),
        "outsider": make.user("officer@drammen.test", tenant=drammen, role="officer"),
    }
    people["procurement"] = joint_procurement(app, people["lead"], baerum, asker)
    return people


def _url(world, suffix=""):
    return f"/api/v1/procurements/{world['procurement']}/extensions{suffix}"


def test_extension_data_round_trips_through_the_api(app, make, world):
    client, headers = app.test_client(), bearer(make.token(world["lead"]))
    put = client.put(_url(world, "/welfare_tech"), headers=headers, json=DETAILS)
    assert put.status_code == 200, put.get_data(as_text=True)
    got = client.get(_url(world), headers=headers)
    assert got.json["data"]["welfare_tech"] == DETAILS
    assert got.json["schemas"] == {"welfare_tech": "welfare_tech.ProcurementDetails"}
    assert got.headers["ETag"] == f'"{got.json["version"]}"'


def test_invalid_or_foreign_extension_data_is_refused_with_every_message(app, make, world):
    client, headers = app.test_client(), bearer(make.token(world["lead"]))
    before = client.get(_url(world), headers=headers).json
    bad = client.put(_url(world, "/welfare_tech"), headers=headers,
                     json={"alarm_users": -1, "response_centre_model": "somewhere", "x": 1})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert set(bad.json["errors"]["extension"]["welfare_tech"]) == {
        "alarm_users", "response_centre_model", "x"}
    not_enabled = client.put(_url(world, "/smart_mat"), headers=headers, json={})
    assert not_enabled.status_code == 422
    assert "smart_mat" in not_enabled.json["errors"]["extension"]
    assert client.get(_url(world), headers=headers).json == before  # nothing half-written


def test_stale_if_match_is_refused(app, make, world):
    client, headers = app.test_client(), bearer(make.token(world["lead"]))
    etag = client.get(_url(world), headers=headers).headers["ETag"]
    assert client.put(_url(world, "/welfare_tech"), headers={**headers, "If-Match": etag},
                      json=DETAILS).status_code == 200
    stale = client.put(_url(world, "/welfare_tech"), headers={**headers, "If-Match": etag},
                       json={"alarm_users": 1})
    assert stale.status_code == 412


def test_the_lead_governs_and_participants_see_the_data(app, make, world):
    lead = app.test_client()
    assert lead.put(_url(world, "/welfare_tech"), headers=bearer(make.token(world["lead"])),
                    json=DETAILS).status_code == 200
    seen = app.test_client().get(_url(world), headers=bearer(make.token(world["participant"])))
    assert seen.status_code == 200 and seen.json["data"]["welfare_tech"]["alarm_users"] == 1200
    page = app.test_client()
    sign_in(page, world["participant"])
    html = page.get(f"/t/asker/procurements/{world['procurement']}/extensions")
    assert html.status_code == 200
    assert 'value="1200"' in html.get_data(as_text=True)
    outsider = app.test_client().get(_url(world), headers=bearer(make.token(world["outsider"])))
    assert outsider.status_code == 404


def test_the_page_form_saves_and_shows_errors_next_to_fields(app, world):
    client = app.test_client()
    sign_in(client, world["lead"])
    page = f"/t/baerum/procurements/{world['procurement']}/extensions"
    form = client.get(page).get_data(as_text=True)
    assert 'name="welfare_tech--alarm_users"' in form
    assert '<option value="intermunicipal"' in form
    bad = client.post(page + "/welfare_tech", data={"welfare_tech--alarm_users": "many"})
    assert bad.status_code == 422
    assert 'id="f-welfare_tech--alarm_users-error"' in bad.get_data(as_text=True)
    ok = client.post(page + "/welfare_tech", data={
        "welfare_tech--alarm_users": "800", "welfare_tech--response_centre_model": "external",
        "welfare_tech--scaip_required": ["false"], "welfare_tech--dpia_planned_on": ""})
    assert ok.status_code == 302
    with app.app_context():
        from core.procurement.models import Procurement

        stored = db.session.get(Procurement, world["procurement"]).extension["welfare_tech"]
    assert stored == {"alarm_users": 800, "response_centre_model": "external",
                      "scaip_required": False, "dpia_planned_on": None}


def test_the_validators_fed_to_the_procurement_domain(app, world):
    from core.errors import ValidationError
    from core.procurement.models import Procurement

    with app.app_context():
        validators = {namespace: validator for found in host(app).call("samspill_extension_validators")
                      for namespace, validator in found.items()}
    assert set(validators) >= {"welfare_tech", "smart_mat"}
    with app.test_request_context():
        procurement = db.session.get(Procurement, world["procurement"])
        assert validators["welfare_tech"](procurement, {"alarm_users": "7"})["alarm_users"] == 7
        with pytest.raises(ValidationError) as refused:
            validators["welfare_tech"](procurement, {"alarm_users": "x"})
        assert set(refused.value.errors) == {"alarm_users"}  # the caller nests it by namespace
        with pytest.raises(ValidationError):  # Bærum, the lead, has not enabled smart_mat
            validators["smart_mat"](procurement, {})


def test_artefact_extension_data_is_validated_by_target(app, world):
    from core.errors import ValidationError
    from core.plugin_platform.extension_data import validate_extension_data
    from core.procurement.models import Procurement

    with app.test_request_context():
        procurement = db.session.get(Procurement, world["procurement"])
        assert validate_extension_data(procurement, "need", {"welfare_tech": {
            "technology": "fall_detection"}}) == {"welfare_tech": {"technology": "fall_detection"}}
        with pytest.raises(ValidationError):
            validate_extension_data(procurement, "need", {"welfare_tech": {"technology": "robot"}})


def test_the_procurement_api_validates_extension_data_with_the_plugin_schema(app, make, world):
    """The procurement's own PATCH goes through core.procurement.service.validate_extension,
    which consults the validators the plugin manager registered."""
    client, headers = app.test_client(), bearer(make.token(world["lead"]))
    url = f"/api/v1/procurements/{world['procurement']}"
    etag = client.get(url, headers=headers).headers["ETag"]
    bad = client.patch(url, headers={**headers, "If-Match": etag},
                       json={"extension": {"welfare_tech": {"alarm_users": "lots"}}})
    assert bad.status_code == 422
    assert "alarm_users" in bad.json["errors"]["extension"]["welfare_tech"]
    ok = client.patch(url, headers={**headers, "If-Match": etag},
                      json={"extension": {"welfare_tech": {"alarm_users": 40}}})
    assert ok.status_code == 200, ok.get_data(as_text=True)
    assert ok.json["extension"]["welfare_tech"]["alarm_users"] == 40
    assert ok.json["extension"]["welfare_tech"]["scaip_required"] is True  # schema default
