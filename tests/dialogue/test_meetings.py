"""One-to-one meetings: equal slots, opened to all at once, one booking per supplier per round
(unless the buyer allows more for everyone), cancel/rebook until the cut-off, exactly one winner
for the last slot, minutes for the project group and that supplier only, iCalendar."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

from icalendar import Calendar

from core.db import db, utcnow
from tests.dialogue.conftest import future


def make_round(w, *, slots: int = 3, open_now: bool = True, **over) -> dict:
    first = utcnow() + timedelta(days=10)
    body = {"title": "En-til-en", "agenda": "1. Presentasjon\n2. Spørsmål", "slot_minutes": 45,
            "starts": [(first + timedelta(hours=i)).isoformat() for i in range(slots)],
            "cutoff": future(days=8), "place": "Rådhuset", "open": open_now}
    body.update(over)
    r = w.api("post", f"/api/v1/procurements/{w.pid}/meeting-slots", w.officer_token, json=body)
    assert r.status_code == 201, r.get_data(as_text=True)
    return r.json["rounds"][-1]


def slots(w, token) -> list[dict]:
    r = w.api("get", f"/api/v1/procurements/{w.pid}/meeting-slots", token)
    assert r.status_code == 200, r.get_data(as_text=True)
    return [s for rnd in r.json["rounds"] for s in rnd["slots"]]


def book(w, token, slot_id, **body):
    return w.api("post", f"/api/v1/meeting-slots/{slot_id}/booking", token, json=body)


def test_slots_of_a_round_are_equal(open_world):
    w = open_world
    rnd = make_round(w, slots=4)
    lengths = {(s["ends_at"], s["starts_at"]) for s in rnd["slots"]}
    from datetime import datetime

    durations = {datetime.fromisoformat(e) - datetime.fromisoformat(s) for e, s in lengths}
    assert durations == {timedelta(minutes=45)}
    # Every supplier sees the same round: same slots, same length, same agenda.
    view_a = w.api("get", f"/api/v1/procurements/{w.pid}/meeting-slots", w.a).json["rounds"]
    view_b = w.api("get", f"/api/v1/procurements/{w.pid}/meeting-slots", w.b).json["rounds"]
    strip = lambda rounds: [(r["agenda"], r["slot_minutes"], [(s["starts_at"], s["ends_at"]) for s in r["slots"]])  # noqa: E731
                            for r in rounds]
    assert strip(view_a) == strip(view_b)
    # Overlapping or past slots are refused.
    first = utcnow() + timedelta(days=3)
    bad = w.api("post", f"/api/v1/procurements/{w.pid}/meeting-slots", w.officer_token, json={
        "title": "x", "slot_minutes": 60, "starts": [first.isoformat(), (first + timedelta(minutes=30)).isoformat()],
        "cutoff": future(days=1)})
    assert bad.status_code == 422


def test_round_opens_to_all_at_the_same_moment(open_world):
    w = open_world
    rnd = make_round(w, open_now=False)
    assert slots(w, w.a) == [] and slots(w, w.b) == []
    assert book(w, w.a, rnd["slots"][0]["id"]).status_code == 404
    assert w.api("post", f"/api/v1/meeting-rounds/{rnd['id']}/open", w.officer_token).status_code == 200
    assert len(slots(w, w.a)) == len(slots(w, w.b)) == 3


def test_one_booking_per_round_unless_opened_for_everyone(open_world):
    w = open_world
    rnd = make_round(w)
    ids = [s["id"] for s in rnd["slots"]]
    assert book(w, w.a, ids[0]).status_code == 201
    second = book(w, w.a, ids[1])
    assert second.status_code == 409
    assert book(w, w.b, ids[0]).status_code == 409  # taken
    mine = [s for s in slots(w, w.a) if s["mine"]]
    assert [s["id"] for s in mine] == [ids[0]]
    theirs = {s["id"]: s for s in slots(w, w.b)}
    assert theirs[ids[0]]["free"] is False and theirs[ids[0]]["mine"] is False and theirs[ids[0]]["supplier"] is None
    # The buyer allows two per supplier — for everyone alike.
    w.login(w.officer)
    r = w.client.post(f"/t/baerum/procurements/{w.pid}/dialogue/meetings/rounds/{rnd['id']}/allow",
                      data={"bookings_per_supplier": "2"})
    assert r.status_code == 302
    assert book(w, w.a, ids[1]).status_code == 201


def test_cancel_and_rebook_until_cutoff(open_world):
    w = open_world
    rnd = make_round(w)
    ids = [s["id"] for s in rnd["slots"]]
    assert book(w, w.a, ids[0]).status_code == 201
    moved = book(w, w.a, ids[2], replacing=ids[0])
    assert moved.status_code == 201
    free = {s["id"]: s["free"] for s in slots(w, w.b)}
    assert free == {ids[0]: True, ids[1]: True, ids[2]: False}
    assert w.api("delete", f"/api/v1/meeting-slots/{ids[2]}/booking", w.a).status_code == 204
    assert book(w, w.b, ids[2]).status_code == 201
    # B cannot cancel what is not B's (404), and after the cut-off nothing changes.
    assert w.api("delete", f"/api/v1/meeting-slots/{ids[2]}/booking", w.a).status_code == 404
    from core.dialogue.models import MeetingRound

    def cut():
        db.session.get(MeetingRound, uuid.UUID(rnd["id"])).cutoff = utcnow() - timedelta(minutes=1)

    w.in_system(cut)
    late = w.api("delete", f"/api/v1/meeting-slots/{ids[2]}/booking", w.b)
    assert late.status_code == 409 and late.json["type"].endswith("/deadline-passed")
    assert book(w, w.a, ids[0]).status_code == 409


def test_two_suppliers_racing_for_the_last_slot_exactly_one_wins(open_world):
    w = open_world
    rnd = make_round(w, slots=1)
    slot_id = rnd["slots"][0]["id"]
    for attempt in range(3):  # a few rounds of the race, to give a lost update a chance to show
        barrier = threading.Barrier(2)
        results: dict[str, int] = {}

        def race(name: str, token: str) -> None:
            client = w.app.test_client()
            barrier.wait()
            response = client.post(f"/api/v1/meeting-slots/{slot_id}/booking", json={},
                                   headers={"Authorization": f"Bearer {token}"})
            results[name] = response.status_code

        threads = [threading.Thread(target=race, args=(n, t)) for n, t in (("a", w.a), ("b", w.b))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results.values()) == [201, 409], (attempt, results)
        from core.dialogue.models import MeetingBooking

        with w.app.app_context():
            from core import isolation

            with isolation.system_scope():
                bookings = db.session.execute(db.select(MeetingBooking)).scalars().all()
        assert len(bookings) == 1
        winner = w.a if results["a"] == 201 else w.b
        assert w.api("delete", f"/api/v1/meeting-slots/{slot_id}/booking", winner).status_code == 204


def test_one_supplier_double_booking_concurrently_gets_one(open_world):
    w = open_world
    rnd = make_round(w, slots=2)
    barrier = threading.Barrier(2)
    results = []

    def race(slot_id):
        client = w.app.test_client()
        barrier.wait()
        results.append(client.post(f"/api/v1/meeting-slots/{slot_id}/booking", json={},
                                   headers={"Authorization": f"Bearer {w.a}"}).status_code)

    threads = [threading.Thread(target=race, args=(s["id"],)) for s in rnd["slots"]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [201, 409]
    assert sum(1 for s in slots(w, w.a) if s["mine"]) == 1
    assert sum(1 for s in slots(w, w.b) if not s["free"]) == 1


def test_minutes_for_project_group_and_that_supplier_only(open_world):
    w = open_world
    rnd = make_round(w)
    slot_id = rnd["slots"][0]["id"]
    book(w, w.a, slot_id)
    path = f"/api/v1/meeting-slots/{slot_id}/minutes"
    assert w.api("put", path, w.a, json={"minutes": "Supplier writes?"}).status_code == 404
    assert w.api("put", path, w.officer_token, json={"minutes": "Gjennomgang av løsningen."}).status_code == 200
    assert w.api("get", path, w.a).json["minutes"] == "Gjennomgang av løsningen."
    assert w.api("get", path, w.asker_member_token).json["minutes"] == "Gjennomgang av løsningen."
    for token in (w.b, w.c, w.outsider_token):
        assert w.api("get", path, token).status_code == 404
    # Supplier portal: A reads it, B gets 404.
    w.login(w.a_user)
    page = w.client.get(f"/supplier/dialogues/{w.pid}/meetings/{slot_id}/minutes")
    assert page.status_code == 200 and "Gjennomgang av løsningen." in page.get_data(as_text=True)
    w.login(w.b_user)
    assert w.client.get(f"/supplier/dialogues/{w.pid}/meetings/{slot_id}/minutes").status_code == 404
    # A meeting with minutes cannot be cancelled.
    assert w.api("delete", f"/api/v1/meeting-slots/{slot_id}/booking", w.a).status_code == 409


def test_calendar_for_both_sides(open_world):
    w = open_world
    rnd = make_round(w)
    book(w, w.a, rnd["slots"][0]["id"])
    book(w, w.b, rnd["slots"][1]["id"])

    def summaries(token):
        data = w.api("get", f"/api/v1/procurements/{w.pid}/calendar.ics", token).get_data()
        return sorted(str(e["summary"]) for e in Calendar.from_ical(data).walk("VEVENT"))

    assert summaries(w.officer_token) == ["En-til-en: Omsorgsdata AS", "En-til-en: Trygg Teknologi AS"]
    assert summaries(w.a) == ["En-til-en"]
    w.login(w.a_user)
    ics = w.client.get(f"/supplier/dialogues/{w.pid}/calendar.ics").get_data()
    assert len(list(Calendar.from_ical(ics).walk("VEVENT"))) == 1


def test_booking_on_the_portal_page(open_world):
    w = open_world
    make_round(w)
    w.login(w.a_user)
    page = w.client.get(f"/supplier/dialogues/{w.pid}/meetings").get_data(as_text=True)
    assert 'id="book-slot-1"' in page
    slot_id = slots(w, w.a)[0]["id"]
    assert w.client.post(f"/supplier/dialogues/{w.pid}/meetings/{slot_id}/book").status_code == 302
    page = w.client.get(f"/supplier/dialogues/{w.pid}/meetings").get_data(as_text=True)
    assert 'data-state="mine"' in page and 'id="minutes-slot-1"' in page
    w.login(w.b_user)
    taken = w.client.post(f"/supplier/dialogues/{w.pid}/meetings/{slot_id}/book")
    assert taken.status_code == 409 and 'id="form-error"' in taken.get_data(as_text=True)


def test_moving_a_booking_from_a_malformed_slot_id_answers_404_not_500(open_world):
    w = open_world
    make_round(w)
    w.login(w.a_user)
    first, second = (s["id"] for s in slots(w, w.a)[:2])
    assert w.client.post(f"/supplier/dialogues/{w.pid}/meetings/{first}/book").status_code == 302
    moved = w.client.post(f"/supplier/dialogues/{w.pid}/meetings/{second}/book", data={"replacing": "not-a-slot"})
    assert moved.status_code == 404
    assert [s["id"] for s in slots(w, w.a) if s["mine"]] == [first]  # nothing moved
    assert w.client.post(f"/supplier/dialogues/{w.pid}/meetings/{second}/book",
                         data={"replacing": first}).status_code == 302
    assert [s["id"] for s in slots(w, w.a) if s["mine"]] == [second]
