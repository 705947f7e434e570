"""Dialogue conference: details, capacity with a waiting list, registration deadline,
presentations and minutes published to every registered supplier, iCalendar."""

from __future__ import annotations

import io
import threading

from icalendar import Calendar

from tests.dialogue.conftest import future


def conference_body(**over) -> dict:
    body = {"title": "Dialogkonferanse", "starts_at": future(days=10), "ends_at": future(days=10, hours=3),
            "place": "Bærum rådhus", "online_link": "https://example.org/live", "agenda": "1. Velkommen",
            "capacity": 3, "registration_deadline": future(days=8)}
    body.update(over)
    return body


def put_conference(w, **over):
    r = w.api("put", f"/api/v1/procurements/{w.pid}/conference", w.officer_token, json=conference_body(**over))
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.json


def attend(w, token, n):
    return w.api("put", f"/api/v1/procurements/{w.pid}/conference/attendance", token, json={"attendees": n})


def test_conference_validation(open_world):
    w = open_world
    r = w.api("put", f"/api/v1/procurements/{w.pid}/conference", w.officer_token,
              json=conference_body(ends_at=future(days=9), online_link="ftp://x", place=""))
    assert r.status_code == 422
    assert set(r.json["errors"]) >= {"ends_at", "online_link"}


def test_capacity_waiting_list_and_promotion(open_world):
    w = open_world
    put_conference(w, capacity=3)
    a = attend(w, w.a, 2)
    assert a.json["conference_status"] == "confirmed"
    b = attend(w, w.b, 2)
    assert b.json["conference_status"] == "waiting"  # 2 + 2 > 3
    w.api("post", f"/api/v1/procurements/{w.pid}/registrations", w.c)
    c = attend(w, w.c, 1)
    assert c.json["conference_status"] == "waiting"  # B waits first: nobody jumps the queue
    # A drops to 1: B (2 persons, first in the queue) fits now; C does not (1 + 2 + 1 > 3).
    assert attend(w, w.a, 1).json["conference_status"] == "confirmed"
    mine = lambda token: w.api("get", f"/api/v1/procurements/{w.pid}/conference", token).json["my_registration"]  # noqa: E731
    assert mine(w.b)["conference_status"] == "confirmed"
    assert mine(w.c)["conference_status"] == "waiting"
    # A cancels: C moves up.
    assert attend(w, w.a, 0).json["conference_status"] == "none"
    assert mine(w.c)["conference_status"] == "confirmed"
    assert w.api("get", f"/api/v1/procurements/{w.pid}/conference", w.officer_token).json["confirmed_attendees"] == 3
    # The capacity cannot go below the confirmed persons.
    r = w.api("put", f"/api/v1/procurements/{w.pid}/conference", w.officer_token, json=conference_body(capacity=2))
    assert r.status_code == 422 and "capacity" in r.json["errors"]


def test_capacity_holds_under_concurrent_registrations(open_world):
    w = open_world
    put_conference(w, capacity=2)
    barrier = threading.Barrier(2)
    results = {}

    def go(name, token):
        client = w.app.test_client()
        barrier.wait()
        results[name] = client.put(f"/api/v1/procurements/{w.pid}/conference/attendance",
                                   headers={"Authorization": f"Bearer {token}"}, json={"attendees": 2})

    threads = [threading.Thread(target=go, args=(n, t)) for n, t in (("a", w.a), ("b", w.b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(r.json["conference_status"] for r in results.values())
    assert statuses == ["confirmed", "waiting"], [r.get_data(as_text=True) for r in results.values()]
    assert w.api("get", f"/api/v1/procurements/{w.pid}/conference", w.officer_token).json["confirmed_attendees"] == 2


def test_registration_closes_at_deadline(open_world):
    w = open_world
    put_conference(w)
    from datetime import timedelta

    from core.db import db, utcnow
    from core.dialogue.models import DialogueConference

    def close():
        from sqlalchemy import select

        c = db.session.execute(select(DialogueConference)).scalar_one()
        c.registration_deadline = utcnow() - timedelta(minutes=1)

    w.in_system(close)
    r = attend(w, w.a, 1)
    assert r.status_code == 409 and r.json["type"].endswith("/deadline-passed")


def test_unregistered_supplier_cannot_read_conference(open_world):
    w = open_world
    put_conference(w)
    assert w.api("get", f"/api/v1/procurements/{w.pid}/conference", w.c).status_code == 404
    assert w.api("put", f"/api/v1/procurements/{w.pid}/conference", w.a, json=conference_body()).status_code == 404


def test_minutes_and_presentations_published_to_all_registered(open_world):
    w = open_world
    put_conference(w)
    # Before publication no supplier sees minutes.
    assert w.api("get", f"/api/v1/procurements/{w.pid}/conference", w.a).json["minutes"] is None
    r = w.api("put", f"/api/v1/procurements/{w.pid}/conference/minutes", w.officer_token,
              json={"minutes": "Referat: 40 deltakere."})
    assert r.status_code == 200
    w.login(w.officer)
    upload = w.client.post(f"/t/baerum/procurements/{w.pid}/dialogue/conference/presentations",
                           data={"file": (io.BytesIO(b"Agenda og behov\n"), "presentasjon.txt")},
                           content_type="multipart/form-data")
    assert upload.status_code == 302, upload.get_data(as_text=True)
    w.client.post("/signout")
    for token in (w.a, w.b):
        view = w.api("get", f"/api/v1/procurements/{w.pid}/conference", token).json
        assert view["minutes"] == "Referat: 40 deltakere."
        [presentation] = view["presentations"]
        assert w.api("get", presentation["url"], token).get_data() == b"Agenda og behov\n"
    # A supplier registering later gets the same.
    w.api("post", f"/api/v1/procurements/{w.pid}/registrations", w.c)
    assert w.api("get", f"/api/v1/procurements/{w.pid}/conference", w.c).json["minutes"] == "Referat: 40 deltakere."
    # Everyone registered was told by email.
    from sqlalchemy import select

    from core.db import db
    from core.notifications.models import OutboxMessage

    with w.app.app_context():
        told = {m.to_address for m in db.session.execute(select(OutboxMessage)).scalars()
                if "conference" in m.subject.lower() or "konferanse" in m.subject.lower()}
    assert {"post@trygg.test", "post@omsorg.test"} <= told


def test_conference_in_icalendar(open_world):
    w = open_world
    put_conference(w)
    ics = w.api("get", f"/api/v1/procurements/{w.pid}/calendar.ics", w.a)
    assert ics.status_code == 200 and ics.mimetype == "text/calendar"
    events = [c for c in Calendar.from_ical(ics.get_data()).walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == ["Dialogkonferanse"]
    assert w.api("get", f"/api/v1/procurements/{w.pid}/calendar.ics", w.c).status_code == 404


def test_supplier_conference_page(open_world):
    w = open_world
    put_conference(w)
    w.login(w.a_user)
    assert w.client.post(f"/supplier/dialogues/{w.pid}/conference", data={"attendees": "2"}).status_code == 302
    page = w.client.get(f"/supplier/dialogues/{w.pid}/conference").get_data(as_text=True)
    assert 'data-status="confirmed"' in page
