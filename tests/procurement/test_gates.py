"""Phases and gates: 409 listing unmet items, done/waive/reopen rules, history, completion,
and gate items from the hook `samspill_gate_items`."""

from __future__ import annotations


def _gate(api, pid, item, action, reason=""):
    return api.post(f"/api/v1/procurements/{pid}/gates", json={"item": item, "action": action, "reason": reason})


def test_refused_transition_lists_unmet_items(world):
    pid = world.procurement()["id"]
    api = world.api("baerum")
    response = api.post(f"/api/v1/procurements/{pid}/transition", json={})
    assert response.status_code == 409 and response.mimetype == "application/problem+json"
    missing = {m["key"] for m in response.json["missing"]}
    assert missing == {"core-mandate", "core-budget", "core-project-group", "core-procedure"}
    assert api.get(f"/api/v1/procurements/{pid}").json["phase"] == "anchoring"


def test_done_auto_and_waived_items_open_the_gate_and_history_keeps_reasons(world):
    pid = world.procurement(estimated_value_ore=100_000_00)["id"]
    api = world.api("baerum")
    assert _gate(api, pid, "core-mandate", "done").status_code == 200
    assert _gate(api, pid, "core-project-group", "done").status_code == 200
    # automatic items cannot be ticked by hand, but can be waived with a reason
    assert _gate(api, pid, "core-procedure", "done").status_code == 409
    assert _gate(api, pid, "core-procedure", "waive", "").status_code == 422
    assert _gate(api, pid, "core-procedure", "waive", "Decided after the dialogue.").status_code == 200
    states = {i["key"]: i["state"] for i in api.get(f"/api/v1/procurements/{pid}/gates").json}
    assert states["core-budget"] == "auto" and states["core-procedure"] == "waived" and states["core-mandate"] == "done"
    moved = api.post(f"/api/v1/procurements/{pid}/transition", json={"to": "needs"})
    assert moved.status_code == 200 and moved.json["phase"] == "needs"
    history = api.get(f"/api/v1/procurements/{pid}/transitions").json
    assert history[0]["from_phase"] == "anchoring" and history[0]["to_phase"] == "needs"
    assert history[0]["waived"] == [{"key": "core-procedure", "text": history[0]["waived"][0]["text"],
                                     "reason": "Decided after the dialogue."}]
    # earlier phases are history: their items cannot change any more
    assert _gate(api, pid, "core-mandate", "reopen").status_code == 409


def test_transition_only_to_the_next_phase(world):
    pid = world.procurement()["id"]
    response = world.api("baerum").post(f"/api/v1/procurements/{pid}/transition", json={"to": "competition"})
    assert response.status_code == 409 and response.json["allowed"] == "needs"


def test_only_managers_waive_and_move_on(world):
    pid = world.joint(role="buyer")["id"]
    buyer = world.api("asker")
    assert _gate(buyer, pid, "core-mandate", "done").status_code == 200  # write access
    assert _gate(buyer, pid, "core-project-group", "waive", "Not needed here").status_code == 403
    assert _gate(buyer, pid, "core-mandate", "reopen").status_code == 200
    assert buyer.post(f"/api/v1/procurements/{pid}/transition", json={}).status_code == 403
    assert _gate(world.api("baerum", "viewer"), pid, "core-mandate", "done").status_code == 403


def test_completed_procurement_is_read_only(world):
    pid = world.procurement()["id"]
    api = world.api("baerum")
    for _ in range(6):
        items = [i for i in api.get(f"/api/v1/procurements/{pid}/gates").json
                 if i["phase"] == api.get(f"/api/v1/procurements/{pid}").json["phase"] and i["state"] == "open"]
        for item in items:
            assert _gate(api, pid, item["key"], "waive", "Test shortcut").status_code == 200
        assert api.post(f"/api/v1/procurements/{pid}/transition", json={}).status_code == 200
    done = api.get(f"/api/v1/procurements/{pid}").json
    assert done["status"] == "completed" and done["phase"] == "contract"
    assert api.post(f"/api/v1/procurements/{pid}/needs", json={"statement": "x", "source": "survey"}).status_code == 409
    assert api.patch(f"/api/v1/procurements/{pid}", json={"title": "x", "version": done["version"]}).status_code == 409


def test_gate_item_providers_add_items_and_a_failing_provider_blocks(app, world):
    def provider(procurement):
        return [{"phase": "anchoring", "key": "plugin-risk", "text": "Risk assessed"}]

    def broken(procurement):
        raise RuntimeError("plugin bug")

    from tests.conftest import add_internal_plugin

    add_internal_plugin(app, "risk", samspill_gate_items=provider)
    add_internal_plugin(app, "broken", samspill_gate_items=broken)
    pid = world.procurement(estimated_value_ore=1, procedure="open")["id"]
    api = world.api("baerum")
    for key in ("core-mandate", "core-project-group"):
        _gate(api, pid, key, "done")
    missing = {m["key"] for m in api.post(f"/api/v1/procurements/{pid}/transition", json={}).json["missing"]}
    assert "plugin-risk" in missing and any(k.startswith("provider-error:") for k in missing)
    assert _gate(api, pid, "plugin-risk", "done").status_code == 200
    app.extensions["samspill.plugins"].unregister("broken")
    assert api.post(f"/api/v1/procurements/{pid}/transition", json={}).status_code == 200


def test_template_gate_items_join_the_checklist(world):
    from plugins.welfare_tech.content import TEMPLATE

    api = world.api("baerum")
    imported = api.post("/api/v1/tenants/baerum/templates", json={"content": TEMPLATE, "visibility": "all"})
    assert imported.status_code == 201, imported.get_data(as_text=True)
    pid = world.procurement(template=imported.json["template_id"])["id"]
    keys = {i["key"]: i["source"] for i in api.get(f"/api/v1/procurements/{pid}/gates").json}
    assert keys["wt-users-involved"] == "template"


def test_only_managers_undo_a_waiver(world):
    pid = world.joint(role="buyer")["id"]
    assert _gate(world.api("baerum"), pid, "core-mandate", "waive", "Given by the council").status_code == 200
    assert _gate(world.api("asker"), pid, "core-mandate", "reopen").status_code == 403
    assert _gate(world.api("baerum"), pid, "core-mandate", "reopen").status_code == 200
