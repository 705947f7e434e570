"""Conference sign-ups racing each other: no place lost, no place given twice, and the waiting
list strictly first come, first served (decisions 15 and 21)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core import isolation
from core.db import db
from core.dialogue.models import ConferenceStatus, DialogueConference, DialogueRegistration
from tests.concurrency import at_once, org_number
from tests.dialogue.conftest import future

pytestmark = pytest.mark.postgres  # real threads; they overlap on PostgreSQL, SQLite serialises them


def put_conference(w, capacity):
    body = {"title": "Dialogkonferanse", "starts_at": future(days=10), "ends_at": future(days=10, hours=3),
            "place": "Bærum rådhus", "capacity": capacity, "registration_deadline": future(days=8)}
    r = w.api("put", f"/api/v1/procurements/{w.pid}/conference", w.officer_token, json=body)
    assert r.status_code == 200, r.get_data(as_text=True)


def attendance(w) -> str:
    return f"/api/v1/procurements/{w.pid}/conference/attendance"


def state(w):
    with w.app.app_context(), isolation.system_scope():
        conference = db.session.execute(select(DialogueConference)).scalar_one()
        rows = db.session.execute(select(DialogueRegistration).where(
            DialogueRegistration.conference_status != ConferenceStatus.none)).scalars().all()
        return conference.confirmed_attendees, [
            (r.supplier_id, r.conference_status, r.conference_attendees, r.conference_registered_at) for r in rows]


def registered_suppliers(w, count):
    """`count` more suppliers registered in the dialogue; their tokens."""
    tokens = []
    for i in range(count):
        user = w.supplier(org_number(100 + i), f"Leverandør {i} AS", f"post{i}@lev{i}.test")
        token = w.make.token(user)
        r = w.api("post", f"/api/v1/procurements/{w.pid}/registrations", token)
        assert r.status_code == 201, r.get_data(as_text=True)
        tokens.append(token)
    return tokens


def test_simultaneous_sign_ups_by_one_supplier_count_its_persons_once(open_world):
    w = open_world
    put_conference(w, capacity=10)
    results = at_once(w.app, [("put", attendance(w), w.a, {"attendees": 2})] * 6)
    assert all(getattr(r, "status_code", None) == 200 for r in results), results
    assert {r.json["conference_status"] for r in results} == {"confirmed"}
    confirmed, rows = state(w)
    assert confirmed == 2  # the one registration's two persons, not 2 × 6
    assert [(status, n) for _, status, n, _ in rows] == [(ConferenceStatus.confirmed, 2)]
    # No place lost: the next supplier gets all eight that are left, without waiting.
    r = w.api("put", attendance(w), w.b, json={"attendees": 8})
    assert r.status_code == 200 and r.json["conference_status"] == "confirmed", r.get_data(as_text=True)
    assert state(w)[0] == 10


@pytest.mark.parametrize("round_", range(3))
def test_waiting_list_is_first_come_first_served_for_parties_arriving_together(open_world, round_):
    w = open_world
    put_conference(w, capacity=4)
    tokens = registered_suppliers(w, 8)
    sizes = [3, 1] * 4
    results = at_once(w.app, [("put", attendance(w), t, {"attendees": n}) for t, n in zip(tokens, sizes, strict=True)])
    assert all(getattr(r, "status_code", None) == 200 for r in results), results
    confirmed, rows = state(w)
    held = [(at, n) for _, status, n, at in rows if status == ConferenceStatus.confirmed]
    waiting = [at for _, status, _, at in rows if status == ConferenceStatus.waiting]
    assert confirmed == sum(n for _, n in held) <= 4
    # Nobody holds a place who came after someone still waiting (decision 15).
    assert not waiting or max(at for at, _ in held) < min(waiting), (held, waiting)
