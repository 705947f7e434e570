"""The procurement protocol: generated from the audit log, as JSON and as a printable page."""

from __future__ import annotations


def test_protocol_records_the_lifecycle(world):
    pid = world.joint(role="buyer", estimated_value_ore=300_000_000, procedure="open")["id"]
    api = world.api("baerum")
    api.post(f"/api/v1/procurements/{pid}/gates", json={"item": "core-mandate", "action": "done"})
    api.post(f"/api/v1/procurements/{pid}/gates",
             json={"item": "core-project-group", "action": "waive", "reason": "Set up last year"})
    assert api.post(f"/api/v1/procurements/{pid}/transition", json={}).status_code == 200
    protocol = world.api("asker", "viewer").get(f"/api/v1/procurements/{pid}/protocol")
    assert protocol.status_code == 200
    data = protocol.json
    assert data["chain_intact"] is True
    actions = [e["action"] for e in data["entries"]]
    assert actions[0] == "procurement.created"
    assert {"participant.invited", "participant.accepted", "gate.item_done", "gate.item_waived",
            "procurement.phase_changed"} <= set(actions)
    assert [e["seq"] for e in data["entries"]] == list(range(1, len(actions) + 1))
    assert data["phases"][0]["waived"][0]["reason"] == "Set up last year"
    assert {p["tenant"]: p["role"] for p in data["participants"]} == {"baerum": "lead", "asker": "buyer"}
    assert data["notice"]["band"] == "eea"
    page = world.browser("asker", "viewer").get(f"/t/asker/procurements/{pid}/protocol")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-intact="true"' in html and 'data-action="procurement.phase_changed"' in html
    assert "Set up last year" in html


def test_protocol_reports_a_broken_chain(app, world, database_urls):
    from sqlalchemy import create_engine, text

    pid = world.procurement()["id"]
    world.api("baerum").post(f"/api/v1/procurements/{pid}/needs", json={"statement": "x", "source": "survey"})
    owner = create_engine(database_urls[0])
    with owner.begin() as conn:  # tampering needs the owner: the app role may not UPDATE audit rows
        conn.execute(text("UPDATE audit_entries SET actor_label = 'someone else' WHERE action = 'need.added'"))
    owner.dispose()
    assert world.api("baerum").get(f"/api/v1/procurements/{pid}/protocol").json["chain_intact"] is False


def test_audit_is_paginated_in_chain_order(world):
    pid = world.procurement()["id"]
    api = world.api("baerum")
    for i in range(4):
        api.post(f"/api/v1/procurements/{pid}/needs", json={"statement": f"n{i}", "source": "survey"})
    first = api.get(f"/api/v1/procurements/{pid}/audit", query_string={"limit": 3}).json
    query = {"limit": 3, "cursor": first["next_cursor"]}
    second = api.get(f"/api/v1/procurements/{pid}/audit", query_string=query).json
    seqs = [e["seq"] for e in first["items"] + second["items"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs) == 5
    assert world.api("drammen").get(f"/api/v1/procurements/{pid}/audit").status_code == 404
