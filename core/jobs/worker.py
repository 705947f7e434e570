"""`samspill worker`: runs queued jobs in threads and, with `--scheduler`, queues the periodic
jobs (outbox delivery, reminders, deadline announcements) once per period whichever host's
scheduler gets there first. Stops cleanly on SIGTERM / Ctrl-C (running jobs finish or are
delivered again to another worker)."""

from __future__ import annotations

import signal
import threading
import time

import click
import dramatiq
from flask import current_app
from flask.cli import with_appcontext

from core.commands import cli_errors
from core.jobs import queue
from core.ops import logs

TICK_SECONDS = 1.0


def schedule_due(now: float | None = None) -> int:
    """Queue each periodic job whose current period has no job yet; returns how many."""
    now = time.time() if now is None else now
    queued = 0
    for job in queue.periodic_jobs():
        slot = int(now // job.every)
        if queue.enqueue(job.name, key=f"every-{job.every}-{slot}", **dict(job.kwargs)):
            queued += 1
    return queued


@click.command("worker")
@click.option("--threads", default=4, show_default=True, type=int, help="Jobs run at the same time.")
@click.option("--scheduler/--no-scheduler", default=True, show_default=True,
              help="Also queue the periodic jobs (safe on several hosts: once per period).")
@with_appcontext
@cli_errors
def worker_command(threads: int, scheduler: bool) -> None:
    """Run queued jobs (needs SAMSPILL_REDIS_URL); the cron commands are the alternative."""
    app = current_app._get_current_object()
    if not queue.configured(app):
        raise click.UsageError("Set SAMSPILL_REDIS_URL to run a worker; without Redis use the cron commands.")
    logs.configure_from(app.config.get("SAMSPILL_LOG_FORMAT") or "json")
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.set())
    worker = dramatiq.Worker(queue.queue_of(app).broker, worker_threads=max(1, threads))
    worker.start()
    click.echo(f"worker running ({threads} threads{', scheduler' if scheduler else ''})")
    try:
        while not stopping.wait(TICK_SECONDS):
            if scheduler:
                schedule_due()
    finally:
        worker.stop(timeout=10000)
