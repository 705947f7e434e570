"""What the record keeps, and how people read it: gate item texts are recorded as their
(English) message ids whoever acted in which language, and shown in the reader's language; the
protocol's "Details" column shows field names and values as labels, not stored codes."""

from __future__ import annotations

import re

from core.db import db

NB = {"Accept-Language": "nb"}
MANDATE = "The mandate is approved by management"
GROUP = "The project group is set up with the right competence"


def _details(html: str, action: str) -> str:
    row = re.search(rf'<tr data-action="{re.escape(action)}">(.*?)</tr>', html, re.S)
    assert row, action
    return row.group(1).rsplit("<td>", 1)[1]


def _page(world, path, lang):
    browser = world.browser("baerum")
    browser.post("/lang", data={"lang": lang})
    response = browser.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_item_texts_are_recorded_as_message_ids_and_read_in_the_readers_language(app, world):
    pid = world.procurement(estimated_value_ore=100_000_000, procedure="open")["id"]
    api = world.api("baerum")
    assert api.post(f"/api/v1/procurements/{pid}/gates", headers=NB,
                    json={"item": "core-mandate", "action": "done"}).status_code == 200
    assert api.post(f"/api/v1/procurements/{pid}/gates", headers=NB, json={
        "item": "core-project-group", "action": "waive", "reason": "Satt ned i fjor"}).status_code == 200
    assert api.post(f"/api/v1/procurements/{pid}/transition", headers=NB, json={}).status_code == 200

    with app.app_context():
        from core.audit import AuditEntry
        from core.procurement.models import PhaseTransition

        texts = {e.action: e.changes["after"]["text"] for e in db.session.query(AuditEntry).all()
                 if e.action in ("gate.item_done", "gate.item_waived")}
        waived = db.session.query(PhaseTransition).one().waived
    assert texts == {"gate.item_done": MANDATE, "gate.item_waived": GROUP}  # not the actor's Bokmål
    assert [w["text"] for w in waived] == [GROUP]

    protocol = f"/t/baerum/procurements/{pid}/protocol"
    english, norsk = _page(world, protocol, "en"), _page(world, protocol, "nb")
    assert GROUP in english and "Prosjektgruppen er satt sammen med riktig kompetanse" in norsk
    assert "Mandatet er godkjent av ledelsen" in _details(norsk, "gate.item_done")
    gates = _page(world, f"/t/baerum/procurements/{pid}/gates", "nb")
    assert "Prosjektgruppen er satt sammen med riktig kompetanse: <em>Satt ned i fjor</em>" in gates
    # The JSON protocol keeps the record as it is.
    data = api.get(f"/api/v1/procurements/{pid}/protocol").json
    assert data["phases"][0]["waived"][0]["text"] == GROUP


def test_protocol_details_show_labels_not_codes(world):
    pid = world.joint(role="buyer")["id"]
    api = world.api("baerum")
    api.post(f"/api/v1/procurements/{pid}/gates",
             json={"item": "core-project-group", "action": "waive", "reason": "Set up last year"})
    html = _page(world, f"/t/baerum/procurements/{pid}/protocol", "nb")
    waived = _details(html, "gate.item_waived")
    assert "Tilstand: Frafalt" in waived and "Begrunnelse: Set up last year" in waived
    assert "state:" not in waived and "waived<" not in waived
    invited = _details(html, "participant.invited")
    assert "Kommune: Asker kommune" in invited and "Rolle: Kjøpende kommune" in invited and "role:" not in invited
    english = _details(_page(world, f"/t/baerum/procurements/{pid}/protocol", "en"), "gate.item_waived")
    assert "State: Waived" in english and "Reason: Set up last year" in english


def test_phase_change_details_name_the_phase(world):
    pid = world.procurement()["id"]
    api = world.api("baerum")
    for item in ("core-mandate", "core-budget", "core-project-group", "core-procedure"):
        api.post(f"/api/v1/procurements/{pid}/gates", json={"item": item, "action": "waive", "reason": "Not needed"})
    assert api.post(f"/api/v1/procurements/{pid}/transition", json={}).status_code == 200
    details = _details(_page(world, f"/t/baerum/procurements/{pid}/protocol", "nb"), "procurement.phase_changed")
    assert "Fase: Behovskartlegging" in details and "needs" not in details
