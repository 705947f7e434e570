"""Buyers' mandates: each buyer's officers record their own (decision reference, date,
signatory, volume with options); the procurement's estimate is the sum; others are refused."""

from __future__ import annotations

from tests.award.conftest import url

MANDATE = {"decision_ref": "PS 45/26", "decided_on": "2026-11-12", "signatory": "Kommunedirektøren",
           "volume_ore": 1_200_000_00, "options_ore": 300_000_00}


def test_each_buyer_records_its_mandate_and_the_estimate_is_the_sum(world):
    w = world
    r = w.api("put", url(w, "/mandates"), w.asker_officer_token, json={**MANDATE, "decided_on": "12.11.2026"})
    assert r.status_code == 422 and "decided_on" in r.get_json()["errors"]
    assert w.api("put", url(w, "/mandates"), w.asker_member_token, json=MANDATE).status_code == 403
    assert w.api("put", url(w, "/mandates"), w.outsider_token, json=MANDATE).status_code == 404
    assert w.api("put", url(w, "/mandates"), w.asker_officer_token, json=MANDATE).status_code == 200
    body = w.api("put", url(w, "/mandates"), w.officer_token,
                 json={**MANDATE, "decision_ref": "KST 12/26", "volume_ore": 2_000_000_00, "options_ore": 0}).get_json()
    assert sorted(m["buyer"] for m in body["items"]) == ["Asker kommune", "Bærum kommune"]
    assert body["total_ore"] == 1_500_000_00 + 2_000_000_00
    again = w.api("put", url(w, "/mandates"), w.asker_officer_token, json={**MANDATE, "options_ore": 0}).get_json()
    assert again["total_ore"] == 1_200_000_00 + 2_000_000_00  # replaced, not added
    assert w.api("get", url(w, "/mandates"), w.outsider_token).status_code == 404
