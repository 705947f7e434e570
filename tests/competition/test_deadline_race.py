"""A tender save that starts before the tender deadline but would commit after it is refused
and nothing of it is written (decided at commit, `core.deadlines.refuse_after`).

The save is held up between its first check and its commit by a lock the test holds on the
supplier's tender row (PostgreSQL: real threads and row locks) until the deadline has passed."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select, text

from core.competition.models import Competition, Tender, TenderStatus
from core.db import db, utcnow
from tests.competition.conftest import tender_body

pytestmark = pytest.mark.postgres
MARGIN = timedelta(seconds=3)


def test_a_tender_committing_after_the_deadline_is_refused(announced):
    w = announced
    if not w.app.config["SAMSPILL_OWNER_DATABASE_URL"].startswith("postgresql"):
        pytest.skip("row locks between real connections: PostgreSQL")
    assert w.api("put", f"/api/v1/procurements/{w.pid}/tender", w.a, json=tender_body(w)).status_code == 200
    deadline = utcnow() + MARGIN

    def close_soon():
        db.session.execute(select(Competition)).scalar_one().tender_deadline = deadline

    w.in_system(close_soon)
    engine = create_engine(w.app.config["SAMSPILL_OWNER_DATABASE_URL"])
    client = w.app.test_client()
    result = {}
    with engine.connect() as conn:
        conn.execute(text("select id from competition_tenders for update")).all()
        thread = threading.Thread(target=lambda: result.setdefault("r", client.put(
            f"/api/v1/procurements/{w.pid}/tender", headers={"Authorization": f"Bearer {w.a}"},
            json=tender_body(w, submit=True))))
        thread.start()
        for _ in range(200):
            waiting = conn.execute(text(
                "select count(*) from pg_stat_activity where datname = current_database() "
                "and wait_event_type = 'Lock' and pid <> pg_backend_pid()")).scalar_one()
            if waiting:
                break
            time.sleep(0.05)
        assert utcnow() < deadline, "the machine was too slow to start the save before the deadline"
        time.sleep(max((deadline - utcnow()).total_seconds(), 0) + 0.3)
        conn.rollback()
    thread.join(60)
    engine.dispose()
    r = result["r"]
    assert r.status_code == 409 and r.json["type"].endswith("/deadline-passed"), r.get_data(as_text=True)
    status = w.in_system(lambda: db.session.execute(select(Tender.status, Tender.receipt_sha256)).one())
    assert tuple(status) == (TenderStatus.draft, None)
