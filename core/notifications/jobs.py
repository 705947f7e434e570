"""The notification work as jobs for the queue (`core.jobs`): outbox delivery right after a
request and every minute, deadline announcements every minute, reminders every hour. Each job
is idempotent in the database, so a second delivery of the same job changes nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

from core.jobs.queue import Periodic
from core.notifications.reminders import announce_passed_deadlines, queue_reminders
from core.notifications.service import send_due

REMINDER_HORIZON_HOURS = 48


def deliver(only: list[str] | None = None, limit: int = 500) -> None:
    """Deliver due outbox messages (or only the given ones, queued by one request)."""
    send_due(limit, only=[uuid.UUID(value) for value in only] if only else None)


def announce_deadlines() -> None:
    announce_passed_deadlines()


def remind(hours: int = REMINDER_HORIZON_HOURS) -> None:
    queue_reminders(timedelta(hours=hours))


JOBS = {
    "notifications.deliver": deliver,
    "notifications.announce_deadlines": announce_deadlines,
    "notifications.remind": remind,
}
PERIODIC = [
    Periodic("notifications.deliver", every=60),
    Periodic("notifications.announce_deadlines", every=60),
    Periodic("notifications.remind", every=3600),
]
