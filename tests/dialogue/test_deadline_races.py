"""Deadlines decided at commit time: a save that starts a moment before a deadline but would
commit after it is refused, and nothing of it is written (decision 22).

The save is held up between its first check and its commit by a lock the test holds on the
procurement's audit chain (every save appends to it) until the deadline has passed. On
PostgreSQL the test sees the request wait on that lock before the deadline; SQLite has one
writer at a time, so there the test holds the database's write lock instead.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from core.db import db, utcnow
from core.dialogue.models import (
    DialogueConference,
    DialogueRegistration,
    MeetingBooking,
    MeetingRound,
    MeetingSlot,
    Questionnaire,
    QuestionnaireResponse,
)
from tests.dialogue.helpers import answer_body, make_questionnaire
from tests.dialogue.test_conference import put_conference
from tests.dialogue.test_meetings import make_round, slots

pytestmark = pytest.mark.postgres  # real threads and locks; SQLite serialises the writers
MARGIN = timedelta(seconds=3)


@contextmanager
def audit_chain_held(w):
    """Hold the procurement's audit chain (PostgreSQL) or the database's write lock (SQLite)."""
    url = w.app.config["SAMSPILL_OWNER_DATABASE_URL"]
    if url.startswith("sqlite"):
        conn = sqlite3.connect(make_url(url).database, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield lambda: None
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    engine = create_engine(url)
    with engine.connect() as conn:
        conn.execute(text("select set_config('samspill.scope', 'system', true)"))
        locked = conn.execute(text("select chain from audit_chain_heads where chain = :c for update"),
                              {"c": f"procurement:{w.pid}"}).scalar_one()
        assert locked

        def wait_until_blocked():
            for _ in range(200):
                waiting = conn.execute(text(
                    "select count(*) from pg_stat_activity where datname = current_database() "
                    "and wait_event_type = 'Lock' and pid <> pg_backend_pid()")).scalar_one()
                if waiting:
                    return
                time.sleep(0.05)
            raise AssertionError("the save never reached the audit chain")

        try:
            yield wait_until_blocked
        finally:
            conn.rollback()
    engine.dispose()


def late_by_commit(w, deadline, request):
    """Run `request()` in a thread while the chain is held; release it only after `deadline`."""
    result = {}
    with audit_chain_held(w) as wait_until_blocked:
        thread = threading.Thread(target=lambda: result.setdefault("r", request()))
        thread.start()
        wait_until_blocked()
        time.sleep(1.0)
        assert utcnow() < deadline, "the machine was too slow to start the save before the deadline"
        time.sleep(max((deadline - utcnow()).total_seconds(), 0) + 0.3)
    thread.join(60)
    return result["r"]


def in_system(w, fn):
    return w.in_system(fn)


def test_a_response_committing_after_the_deadline_is_refused(open_world):
    w = open_world
    q = make_questionnaire(w)
    deadline = utcnow() + MARGIN

    def move():
        db.session.get(Questionnaire, uuid.UUID(q["id"])).deadline = deadline

    in_system(w, move)
    client = w.app.test_client()
    r = late_by_commit(w, deadline, lambda: client.put(
        f"/api/v1/questionnaires/{q['id']}/response", headers={"Authorization": f"Bearer {w.a}"},
        json=answer_body(q, "For sent")))
    assert r.status_code == 409 and r.json["type"].endswith("/deadline-passed"), r.get_data(as_text=True)
    assert in_system(w, lambda: db.session.execute(select(func.count(QuestionnaireResponse.id))).scalar_one()) == 0


def test_a_conference_sign_up_committing_after_registration_closed_is_refused(open_world):
    w = open_world
    put_conference(w)
    deadline = utcnow() + MARGIN

    def close_soon():
        db.session.execute(select(DialogueConference)).scalar_one().registration_deadline = deadline

    in_system(w, close_soon)
    client = w.app.test_client()
    r = late_by_commit(w, deadline, lambda: client.put(
        f"/api/v1/procurements/{w.pid}/conference/attendance", headers={"Authorization": f"Bearer {w.a}"},
        json={"attendees": 2}))
    assert r.status_code == 409 and r.json["type"].endswith("/deadline-passed"), r.get_data(as_text=True)
    places = in_system(w, lambda: (db.session.execute(select(DialogueConference)).scalar_one().confirmed_attendees,
                                   sorted(str(s.conference_status.value) for s in db.session.execute(
                                       select(DialogueRegistration)).scalars())))
    assert places == (0, ["none", "none"])


def test_a_booking_committing_after_the_cut_off_is_refused(open_world):
    w = open_world
    make_round(w)
    deadline = utcnow() + MARGIN

    def cut_off_soon():
        db.session.execute(select(MeetingRound)).scalar_one().cutoff = deadline

    in_system(w, cut_off_soon)
    slot_id = slots(w, w.a)[0]["id"]
    client = w.app.test_client()
    r = late_by_commit(w, deadline, lambda: client.post(
        f"/api/v1/meeting-slots/{slot_id}/booking", headers={"Authorization": f"Bearer {w.a}"}, json={}))
    assert r.status_code == 409 and r.json["type"].endswith("/deadline-passed"), r.get_data(as_text=True)
    assert in_system(w, lambda: (db.session.execute(select(func.count(MeetingBooking.id))).scalar_one(),
                                 db.session.execute(select(func.count(MeetingSlot.id)).where(
                                     MeetingSlot.is_booked.is_(True))).scalar_one())) == (0, 0)
