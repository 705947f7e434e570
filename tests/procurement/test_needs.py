"""Needs mapping: add, validate, edit, reorder, delete, import from a template's catalogue."""

from __future__ import annotations

from plugins.welfare_tech.content import TEMPLATE


def _needs(api, pid):
    return api.get(f"/api/v1/procurements/{pid}/needs").json


def test_add_edit_reorder_delete(world):
    pid = world.procurement()["id"]
    api = world.api("baerum")
    base = f"/api/v1/procurements/{pid}/needs"
    ids = []
    for i, source in enumerate(("interview", "workshop", "survey")):
        response = api.post(base, json={"statement": f"Need {i}", "user_group": "Elderly", "source": source,
                                        "priority": 1 + i % 3})
        assert response.status_code == 201, response.get_data(as_text=True)
        ids.append(response.json["id"])
    assert [n["statement"] for n in _needs(api, pid)] == ["Need 0", "Need 1", "Need 2"]
    assert api.put(f"{base}/order", json={"order": [ids[2], ids[0], ids[1]]}).status_code == 200
    assert [n["id"] for n in _needs(api, pid)] == [ids[2], ids[0], ids[1]]
    assert api.put(f"{base}/order", json={"order": [ids[0], ids[1]]}).status_code == 422
    assert api.put(f"{base}/order", json={"order": [ids[0], ids[0], ids[1]]}).status_code == 422
    edited = api.patch(f"{base}/{ids[0]}", json={"priority": 3, "statement": "Changed"})
    assert edited.status_code == 200 and (edited.json["priority"], edited.json["statement"]) == (3, "Changed")
    assert api.delete(f"{base}/{ids[1]}").status_code == 204
    assert [n["id"] for n in _needs(api, pid)] == [ids[2], ids[0]]
    audit = api.get(f"/api/v1/procurements/{pid}/audit", query_string={"limit": 100}).json["items"]
    actions = [e["action"] for e in audit]
    assert {"need.added", "need.reordered", "need.updated", "need.deleted"} <= set(actions)


def test_need_validation(world):
    pid = world.procurement()["id"]
    api = world.api("baerum")
    for body, field in (({"statement": "", "source": "survey"}, "statement"),
                        ({"statement": "x", "source": "gossip"}, "source"),
                        ({"statement": "x", "source": "survey", "priority": 7}, "priority")):
        response = api.post(f"/api/v1/procurements/{pid}/needs", json=body)
        assert response.status_code == 422 and field in response.json["errors"], response.json
    assert _needs(api, pid) == []


def test_need_of_another_procurement_is_404(world):
    first = world.procurement()["id"]
    second = world.procurement(title="Other")["id"]
    api = world.api("baerum")
    need = api.post(f"/api/v1/procurements/{first}/needs", json={"statement": "x", "source": "survey"}).json
    assert api.get(f"/api/v1/procurements/{second}/needs/{need['id']}").status_code == 404
    assert api.patch(f"/api/v1/procurements/{second}/needs/{need['id']}", json={"priority": 1}).status_code == 404


def test_import_from_a_visible_template_only(world):
    baerum = world.api("baerum")
    shared = baerum.post("/api/v1/tenants/baerum/templates", json={"content": TEMPLATE, "visibility": "all"}).json
    private = baerum.post("/api/v1/tenants/baerum/templates",
                          json={"content": {**TEMPLATE, "key": "private-one"}, "visibility": "private"}).json
    pid = world.procurement("drammen")["id"]
    drammen = world.api("drammen")
    imported = drammen.post(f"/api/v1/procurements/{pid}/needs/import",
                            json={"template_version": shared["id"], "indexes": [0, 2]})
    assert imported.status_code == 201, imported.get_data(as_text=True)
    expected = [TEMPLATE["needs"][0]["statement"], TEMPLATE["needs"][2]["statement"]]
    assert [n["statement"] for n in imported.json] == expected
    refused = drammen.post(f"/api/v1/procurements/{pid}/needs/import", json={"template_version": private["id"]})
    assert refused.status_code == 404
    assert len(_needs(drammen, pid)) == 2
