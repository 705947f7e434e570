"""Exports nobody will finish: marked failed, so the person who asked sees it and asks again.

A worker killed mid-export leaves the job to Dramatiq, which delivers it again once the
worker's heartbeat is missed, and a job that keeps failing ends `failed` after its retries
(`core.exports.service`). What neither covers: the last attempt cut off by the job time limit
(Dramatiq interrupts it outside the job's own error handling), an export made in a request whose
process died, and messages lost with Redis (the queue runs without persistence). Those stay
`running` or `queued` for ever. `sweep()` marks them failed with a reason:

- `running` whose attempt started more than `RUNNING_LIMIT` ago (the job time limit plus the
  heartbeat, with room to spare), and
- `queued` asked for more than `QUEUED_LIMIT` ago (far beyond the retries' whole backoff).

One statement per state, guarded by the status, so an export a worker finishes at the same
moment keeps `done`. Run every 10 minutes by the scheduler (`exports.sweep`), or from cron
without Redis: `samspill exports sweep`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask.cli import with_appcontext
from sqlalchemy import update

from core import isolation
from core.commands import cli_errors
from core.db import db, utcnow
from core.exports.models import Export, ExportStatus
from core.jobs.queue import TIME_LIMIT_MS, Periodic

JOB = "exports.sweep"
RUNNING_LIMIT = timedelta(milliseconds=TIME_LIMIT_MS) + timedelta(minutes=15)
QUEUED_LIMIT = timedelta(hours=6)
STOPPED = "Stopped: no worker finished the export in time. Ask for it again."
PERIODIC = [Periodic(JOB, every=600)]


def sweep(now: datetime | None = None) -> int:
    """Mark stuck exports failed; how many were marked."""
    now = now or utcnow()
    marked = 0
    with isolation.system_scope():
        for status, column, limit in ((ExportStatus.running, Export.started_at, RUNNING_LIMIT),
                                      (ExportStatus.queued, Export.created_at, QUEUED_LIMIT)):
            result = db.session.execute(
                update(Export).where(Export.status == status.value, column < now - limit)
                .values(status=ExportStatus.failed.value, error=STOPPED, finished_at=now)
                .execution_options(synchronize_session=False))
            marked += result.rowcount or 0
        db.session.commit()
    return marked


def run_job() -> None:
    """The periodic job `exports.sweep`."""
    sweep()


@click.group("exports")
def exports_group() -> None:
    """Exports made by the job queue."""


@exports_group.command("sweep")
@with_appcontext
@cli_errors
def exports_sweep() -> None:
    """Mark exports no worker will finish as failed (safe to run from cron)."""
    click.echo(f"marked failed: {sweep()}")
