"""Everything is on the record: the procurement protocol lists who registered, asked, answered,
responded and met, and when — and no business secret is written into the audit log."""

from __future__ import annotations

import json

from tests.dialogue.helpers import SECRET, questionnaire_with_secret_response
from tests.dialogue.test_conference import attend, put_conference
from tests.dialogue.test_meetings import make_round


def test_protocol_lists_every_dialogue_activity(open_world, runner):
    w = open_world
    put_conference(w)
    attend(w, w.a, 2)
    qid = w.api("post", f"/api/v1/procurements/{w.pid}/questions", w.a, json={"text": "Spørsmål?"}).json["id"]
    w.api("post", f"/api/v1/questions/{qid}/answer", w.asker_officer_token, json={"text": "Svar."})
    questionnaire_with_secret_response(w)
    rnd = make_round(w)
    slot = rnd["slots"][0]["id"]
    w.api("post", f"/api/v1/meeting-slots/{slot}/booking", w.b, json={})
    w.api("put", f"/api/v1/meeting-slots/{slot}/minutes", w.officer_token, json={"minutes": "Møtet ble holdt."})

    protocol = w.api("get", f"/api/v1/procurements/{w.pid}/protocol", w.asker_member_token)
    assert protocol.status_code == 200, protocol.get_data(as_text=True)[:300]
    body = protocol.json
    assert body["chain_intact"] is True
    entries = body["entries"]
    by_action: dict[str, list[dict]] = {}
    for entry in entries:
        by_action.setdefault(entry["action"], []).append(entry)
    registered = {e["changes"]["after"]["supplier"] for e in by_action["dialogue.registered"]}
    assert registered == {"Trygg Teknologi AS", "Omsorgsdata AS"}
    assert by_action["dialogue.registered"][0]["actor"] in ("post@trygg.test", "post@omsorg.test")
    assert by_action["dialogue.question_asked"][0]["actor"] == "post@trygg.test"
    assert by_action["dialogue.answer_published"][0]["actor"] == "officer@asker.test"
    assert {e["changes"]["supplier"] for e in by_action["response.submitted"]} == registered
    assert by_action["meetings.booked"][0]["changes"]["after"]["supplier"] == "Omsorgsdata AS"
    assert by_action["meetings.minutes_written"][0]["changes"]["supplier"] == "Omsorgsdata AS"
    assert "conference.registration_changed" in by_action and "questionnaire.opened" in by_action
    assert all(e["at"] for e in entries)
    # Every dialogue activity reads as a sentence in the protocol, not as an internal action name.
    from core.procurement.protocol import describe

    undescribed = sorted({e["action"] for e in entries if describe(e["action"]) == e["action"]})
    assert undescribed == []
    # The business secret is not in the record; that it was marked secret is.
    assert SECRET not in json.dumps(body, ensure_ascii=False)
    assert '"secret": true' in json.dumps(by_action["response.submitted"], ensure_ascii=False)
    # And the chain verifies from the command line.
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
