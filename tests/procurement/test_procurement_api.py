"""Procurement API: create, list (keyset), read, update with optimistic concurrency, field rules."""

from __future__ import annotations

import pytest


def test_create_read_and_list(world):
    created = world.procurement(estimated_value_ore=250_000_000, procedure="competitive_dialogue",
                                cpv_codes=["85311100-3", "79711000-1"], key_dates={"dialogue_conference": "2027-01-20"})
    assert created["phase"] == "anchoring" and created["lead_tenant"]["slug"] == "baerum"
    assert created["estimated_value_ore"] == 250_000_000
    assert created["notice"]["band"] == "eea"
    assert [v["key"] for v in created["notice"]["publish"]] == ["doffin", "ted"]
    listing = world.api("baerum", "viewer").get("/api/v1/tenants/baerum/procurements")
    assert listing.status_code == 200
    assert [(i["id"], i["part"]) for i in listing.json["items"]] == [(created["id"], "lead")]
    single = world.api("baerum", "viewer").get(f"/api/v1/procurements/{created['id']}")
    assert single.status_code == 200 and single.headers["ETag"] == f'"p-{created["version"]}"'
    assert single.json["permissions"] == {"read": True, "write": False, "manage": False, "evaluate": False}


def test_keyset_pagination_walks_every_row_once(world):
    ids = {world.procurement(title=f"P{i}")["id"] for i in range(5)}
    api, seen, cursor = world.api("baerum"), [], None
    while True:
        query = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get("/api/v1/tenants/baerum/procurements", query_string=query).json
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 5 and set(seen) == ids


@pytest.mark.parametrize("body,field", [
    ({"title": ""}, "title"),
    ({"title": "x", "estimated_value_ore": 12.5}, "estimated_value_ore"),
    ({"title": "x", "estimated_value_ore": "100"}, "estimated_value_ore"),
    ({"title": "x", "cpv_codes": ["85311100-4"]}, "cpv_codes"),
    ({"title": "x", "cpv_codes": ["8531110"]}, "cpv_codes"),
    ({"title": "x", "key_dates": {"party": "2027-01-01"}}, "key_dates"),
    ({"title": "x", "key_dates": {"tender_deadline": "01.02.2027"}}, "key_dates"),
    ({"title": "x", "extension": {"welfare_tech": {"a": 1}}}, "extension"),
    ({"title": "x", "colour": "red"}, "colour"),
])
def test_invalid_fields_are_refused_with_the_field_named(world, body, field):
    response = world.api("baerum").post("/api/v1/tenants/baerum/procurements", json=body)
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"]
    assert world.api("baerum").get("/api/v1/tenants/baerum/procurements").json["items"] == []


def test_members_and_viewers_cannot_create(world):
    for role in ("member", "viewer"):
        response = world.api("baerum", role).post("/api/v1/tenants/baerum/procurements", json={"title": "x"})
        assert response.status_code == 403


def test_other_tenants_list_is_404(world):
    world.procurement()
    assert world.api("drammen").get("/api/v1/tenants/baerum/procurements").status_code == 404
    assert world.api("drammen").post("/api/v1/tenants/baerum/procurements", json={"title": "x"}).status_code == 404


def test_patch_needs_a_precondition(world):
    pid = world.procurement()["id"]
    response = world.api("baerum").patch(f"/api/v1/procurements/{pid}", json={"title": "New"})
    assert response.status_code == 428


def test_concurrent_edits_second_writer_conflicts_and_nothing_is_lost(world):
    pid = world.procurement()["id"]
    first, second = world.api("baerum"), world.api("baerum", "admin")
    etag = first.get(f"/api/v1/procurements/{pid}").headers["ETag"]
    version = second.get(f"/api/v1/procurements/{pid}").json["version"]
    ok = first.patch(f"/api/v1/procurements/{pid}", json={"title": "First writer"}, headers={"If-Match": etag})
    assert ok.status_code == 200 and ok.json["title"] == "First writer"
    stale = second.patch(f"/api/v1/procurements/{pid}", json={"description": "Second", "version": version})
    assert stale.status_code == 409 and stale.json["current_version"] == ok.json["version"]
    stale_etag = second.patch(f"/api/v1/procurements/{pid}", json={"description": "Second"}, headers={"If-Match": etag})
    assert stale_etag.status_code == 412
    now = first.get(f"/api/v1/procurements/{pid}").json
    assert now["title"] == "First writer" and now["description"] == ""
    retry = second.patch(f"/api/v1/procurements/{pid}", json={"description": "Second", "version": now["version"]})
    assert retry.status_code == 200
    final = first.get(f"/api/v1/procurements/{pid}").json
    assert (final["title"], final["description"]) == ("First writer", "Second")


def test_patch_updates_fields_and_audits(world):
    pid = world.procurement()["id"]
    api = world.api("baerum")
    version = api.get(f"/api/v1/procurements/{pid}").json["version"]
    response = api.patch(f"/api/v1/procurements/{pid}", json={
        "version": version, "estimated_value_ore": 150_000_000, "procedure": "open", "contract_kind": "goods_services",
        "milestones": [{"title": "Mandate", "date": "2027-01-01", "done": True}]})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["notice"]["band"] == "national"
    assert response.json["milestones"] == [{"title": "Mandate", "date": "2027-01-01", "done": True}]
    audit = api.get(f"/api/v1/procurements/{pid}/audit").json["items"]
    updated = [e for e in audit if e["action"] == "procurement.updated"]
    assert updated and updated[0]["changes"]["after"]["estimated_value_ore"] == 150_000_000


def test_extension_data_passes_through_registered_validators_only(app, world):
    from core.errors import ValidationError

    def validate(data):
        if not isinstance(data, dict) or set(data) - {"alarms"}:
            raise ValidationError("bad", errors={"alarms": ["Only alarms."]})
        return data

    from tests.conftest import add_internal_plugin

    add_internal_plugin(app, "testplugin", samspill_extension_validators=lambda: {"testplugin": validate})
    pid = world.procurement(extension={"testplugin": {"alarms": 3}})["id"]
    api = world.api("baerum")
    got = api.get(f"/api/v1/procurements/{pid}").json
    assert got["extension"] == {"testplugin": {"alarms": 3}}
    bad = api.patch(f"/api/v1/procurements/{pid}",
                    json={"version": got["version"], "extension": {"testplugin": {"x": 1}}})
    assert bad.status_code == 422 and "extension" in bad.json["errors"]
    removed = api.patch(f"/api/v1/procurements/{pid}",
                        json={"version": got["version"], "extension": {"testplugin": None}})
    assert removed.status_code == 200 and removed.json["extension"] == {}


def test_observer_and_buyer_permissions(world):
    observed = world.joint(role="observer")
    asker_officer = world.api("asker")
    pid = observed["id"]
    got = asker_officer.get(f"/api/v1/procurements/{pid}")
    assert got.status_code == 200 and got.json["permissions"]["write"] is False
    patched = asker_officer.patch(f"/api/v1/procurements/{pid}", json={"title": "x", "version": got.json["version"]})
    assert patched.status_code == 403
    need = asker_officer.post(f"/api/v1/procurements/{pid}/needs", json={"statement": "x", "source": "survey"})
    assert need.status_code == 403
    bought = world.joint(role="buyer", title="Second")
    got = asker_officer.get(f"/api/v1/procurements/{bought['id']}").json
    assert got["permissions"]["write"] is True and got["permissions"]["manage"] is False


def test_if_match_star_is_an_explicit_overwrite(world):
    pid = world.procurement()["id"]
    response = world.api("baerum").patch(f"/api/v1/procurements/{pid}", json={"title": "Mine"},
                                         headers={"If-Match": "*"})
    assert response.status_code == 200 and response.json["title"] == "Mine"
    garbage = world.api("baerum").patch(f"/api/v1/procurements/{pid}", json={"title": "x"},
                                        headers={"If-Match": '"nonsense"'})
    assert garbage.status_code == 412
