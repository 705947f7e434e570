"""Exports no worker will finish are marked failed by the sweeper (the periodic job
`exports.sweep`, or `samspill exports sweep` from cron): a `running` one past the job time limit
and a `queued` one past the retries' whole backoff. Fresh and finished exports are left alone,
the person who asked sees `failed`, and sweeping again changes nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from core import isolation
from core.db import db, utcnow
from core.exports import sweeper
from core.exports.models import Export, ExportStatus
from core.jobs import queue


def _set(app, export_id, **values) -> None:
    with app.app_context(), isolation.system_scope():
        export = db.session.get(Export, uuid.UUID(export_id))
        for name, value in values.items():
            setattr(export, name, value)
        db.session.commit()


def _statuses(app) -> dict:
    with app.app_context(), isolation.system_scope():
        return {str(e.id): (e.status, e.error) for e in db.session.execute(select(Export)).scalars()}


def test_stuck_exports_are_marked_failed_and_the_rest_left_alone(world, app, runner):
    pid = world.procurement()["id"]
    lead = world.api("baerum")
    made = [lead.post(f"/api/v1/procurements/{pid}/exports", json={"kind": "requirements"}).get_json()["id"]
            for _ in range(5)]
    stuck_running, fresh_running, stuck_queued, fresh_queued, done = made
    now = utcnow()
    _set(app, stuck_running, status="running", started_at=now - sweeper.RUNNING_LIMIT - timedelta(minutes=1))
    _set(app, fresh_running, status="running", started_at=now - timedelta(minutes=5))
    _set(app, stuck_queued, status="queued", created_at=now - sweeper.QUEUED_LIMIT - timedelta(minutes=1))
    _set(app, fresh_queued, status="queued", created_at=now - timedelta(hours=1))
    _set(app, done, created_at=now - timedelta(days=3), started_at=now - timedelta(days=3))

    result = runner.invoke(args=["exports", "sweep"])
    assert result.exit_code == 0 and "marked failed: 2" in result.output, result.output

    statuses = _statuses(app)
    assert statuses[stuck_running] == ("failed", sweeper.STOPPED)
    assert statuses[stuck_queued] == ("failed", sweeper.STOPPED)
    assert statuses[fresh_running][0] == "running" and statuses[fresh_queued][0] == "queued"
    assert statuses[done] == (ExportStatus.done.value, "")
    assert lead.get(f"/api/v1/exports/{stuck_running}").get_json()["status"] == "failed"
    assert lead.get(f"/api/v1/exports/{stuck_running}/file").status_code == 404

    with app.app_context():
        assert sweeper.sweep() == 0  # sweeping again changes nothing
    assert _statuses(app) == statuses


def test_the_sweep_is_a_periodic_job_of_the_scheduler(app):
    with app.app_context():
        assert sweeper.JOB in queue.jobs()
        assert any(job.name == sweeper.JOB and job.every == 600 for job in queue.periodic_jobs())
