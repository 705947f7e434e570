"""A phase transition racing an edit or another transition answers 409 like a stale edit does
(the procurement's version moved under it), never a 500, and leaves nothing half-written."""

from __future__ import annotations

from core.procurement.models import PhaseTransition, Procurement
from tests.interleave import interleaved


def _ready_to_move(world) -> str:
    pid = world.procurement()["id"]
    api = world.api("baerum")
    for item in api.get(f"/api/v1/procurements/{pid}/gates").json:
        if item["phase"] == "anchoring" and item["state"] == "open":
            r = api.post(f"/api/v1/procurements/{pid}/gates", json={"item": item["key"], "action": "waive",
                                                                    "reason": "Test shortcut"})
            assert r.status_code == 200
    return pid


def test_transition_racing_an_edit_answers_409(world):
    pid = _ready_to_move(world)
    editor, api = world.api("baerum"), world.api("baerum")
    version = api.get(f"/api/v1/procurements/{pid}").json["version"]

    def edit():
        return editor.patch(f"/api/v1/procurements/{pid}", json={"title": "Edited meanwhile", "version": version})

    with interleaved(PhaseTransition, edit) as race:
        moved = api.post(f"/api/v1/procurements/{pid}/transition", json={})
    assert race["second"].status_code == 200, race["second"].get_data(as_text=True)
    assert moved.status_code == 409, moved.get_data(as_text=True)
    assert moved.mimetype == "application/problem+json"
    now = api.get(f"/api/v1/procurements/{pid}").json
    assert now["phase"] == "anchoring" and now["title"] == "Edited meanwhile"
    assert api.get(f"/api/v1/procurements/{pid}/transitions").json == []
    assert api.post(f"/api/v1/procurements/{pid}/transition", json={}).status_code == 200  # retry works


def test_transition_racing_another_transition_answers_409(world):
    pid = _ready_to_move(world)
    other, api = world.api("baerum"), world.api("baerum")

    def transition():
        return other.post(f"/api/v1/procurements/{pid}/transition", json={})

    with interleaved(Procurement, transition) as race:
        moved = api.post(f"/api/v1/procurements/{pid}/transition", json={})
    assert race["second"].status_code == 200, race["second"].get_data(as_text=True)
    assert moved.status_code == 409, moved.get_data(as_text=True)
    assert [t["to_phase"] for t in api.get(f"/api/v1/procurements/{pid}/transitions").json] == ["needs"]
