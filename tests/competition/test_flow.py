"""Announcing, tendering (save, submit, withdraw, resubmit), the count, the opening."""

from __future__ import annotations

from tests.competition.conftest import declare_impartiality, set_times, tender_body


def url(w, tail: str = "") -> str:
    return f"/api/v1/procurements/{w.pid}{tail}"


def test_announce_meets_gate_item_and_tells_registered_suppliers(announced):
    w = announced
    r = w.api("get", url(w, "/gates"), w.officer_token)
    items = {i["key"]: i for i in r.get_json()}
    assert items["core-competition-notice"]["state"] == "auto" and items["core-competition-notice"]["automatic"]
    from core.notifications.models import OutboxMessage

    def recipients():
        from sqlalchemy import select

        from core.db import db
        return set(db.session.execute(select(OutboxMessage.to_address)).scalars())

    to = w.in_system(recipients)
    assert {"post@trygg.test", "post@omsorg.test"} <= to
    assert "post@uregistrert.test" not in to
    r = w.api("get", "/api/v1/market/competitions", w.c)
    assert [i["id"] for i in r.get_json()["items"]] == [str(w.pid)]


def test_only_the_lead_announces_and_only_in_the_competition_phase(open_world):
    w = open_world
    from tests.competition.conftest import settings_body

    r = w.api("put", url(w, "/competition"), w.officer_token, json=settings_body())
    assert r.status_code == 200
    r = w.api("post", url(w, "/competition/announce"), w.officer_token)
    assert r.status_code == 409  # still in the dialogue phase
    w.set_phase("competition")
    gate = {i["key"]: i for i in w.api("get", url(w, "/gates"), w.officer_token).get_json()}
    assert gate["core-competition-notice"]["state"] == "open"
    w.set_phase("dialogue")
    w.set_phase("competition")
    r = w.api("post", url(w, "/competition/announce"), w.asker_member_token)
    assert r.status_code == 403
    r = w.api("post", url(w, "/competition/announce"), w.a)
    assert r.status_code == 404


def test_submit_withdraw_resubmit_count_and_opening(announced):
    w = announced
    r = w.api("put", url(w, "/tender"), w.a, json=tender_body(w))
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.get_json()["status"] == "draft" and r.get_json()["receipt"] is None
    r = w.api("put", url(w, "/tender"), w.a, json=tender_body(w, submit=True))
    assert r.status_code == 200, r.get_data(as_text=True)
    receipt = r.get_json()["receipt"]
    assert len(receipt["sha256"]) == 64
    r = w.api("put", url(w, "/tender"), w.a, json=tender_body(w, submit=True))
    assert r.status_code == 409  # withdraw before changing
    assert w.api("delete", url(w, "/tender"), w.a).status_code == 204
    sealed = w.api("get", url(w, "/tenders"), w.officer_token).get_json()
    assert sealed == {"count": 0, "opened": False, "items": [], "next_cursor": None}
    r = w.api("put", url(w, "/tender"), w.a, json=tender_body(w, submit=True, price=90_000_000))
    assert r.get_json()["status"] == "submitted"
    r = w.api("put", url(w, "/tender"), w.b, json=tender_body(w, submit=True))
    assert r.status_code == 200
    body = w.api("get", url(w, "/tenders"), w.officer_token).get_json()
    assert body == {"count": 2, "opened": False, "items": [], "next_cursor": None}
    assert w.api("post", url(w, "/opening"), w.officer_token).status_code == 409  # before the opening time
    set_times(w, tender_deadline={"minutes": -2}, question_deadline={"minutes": -3}, opening_at={"minutes": -1})
    r = w.api("post", url(w, "/opening"), w.officer_token)
    assert r.status_code == 200, r.get_data(as_text=True)
    protocol = r.get_json()
    assert sorted(t["supplier"] for t in protocol["tenders"]) == ["Omsorgsdata AS", "Trygg Teknologi AS"]
    assert protocol["withdrawn"] == []
    # the lead sees no tender content before declaring impartiality (decision 52)
    assert w.api("get", url(w, "/tenders"), w.officer_token).status_code == 404
    declare_impartiality(w)
    body = w.api("get", url(w, "/tenders"), w.officer_token).get_json()
    assert body["opened"] and len(body["items"]) == 2
    assert {i["content"]["prices"][0]["price_ore"] for i in body["items"]} == {90_000_000, 1_000_000_00}
    assert w.api("post", url(w, "/opening"), w.officer_token).status_code == 409  # once
    pages = w.login(w.officer)
    for tail in ("/", "/tenders", "/opening", "/questions"):
        page = pages.get(f"/t/baerum/procurements/{w.pid}/competition{tail}")
        assert page.status_code == 200, tail
    opened = pages.get(f"/t/baerum/procurements/{w.pid}/competition/opening").get_data(as_text=True)
    assert "Omsorgsdata AS" in opened and protocol["tenders"][0]["sha256"] in opened


def test_the_tender_page_shows_messages_next_to_the_fields(announced):
    w = announced
    client = w.login(w.a_user)
    page = client.post(f"/supplier/competitions/{w.pid}/tender", data={"action": "submit", "price_kroner": "-3"})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'id="f-price_kroner"' in html and 'href="#f-price_kroner"' in html
    own = w.api("get", url(w, "/tender"), w.a).get_json()
    assert own["status"] is None  # nothing stored
    page = client.post(f"/supplier/competitions/{w.pid}/tender", data={"action": "save", "price_kroner": "1200"})
    assert page.status_code == 303
    assert w.api("get", url(w, "/tender"), w.a).get_json()["content"]["prices"] == [
        {"lot_id": None, "price_ore": 120000}]
