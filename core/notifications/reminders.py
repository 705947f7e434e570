"""Reminders before deadlines, collected from the domains and queued once each.

A domain registers a source with `add_reminder_source(app, source)`; `source(now, horizon)`
yields `Reminder`s for deadlines between now and now + horizon. Each reminder has a stable
key, so `samspill reminders send` can run from cron as often as wanted and still sends every
reminder once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask, current_app

from core import isolation
from core.db import db, utcnow
from core.notifications.service import Recipient, notify


@dataclass(frozen=True)
class Reminder:
    key: str                      # stable per deadline and purpose, e.g. "questionnaire:<id>:48h"
    recipients: tuple[Recipient, ...]
    subject: Callable[[], str]    # evaluated in each recipient's language
    body: Callable[[], str]


ReminderSource = Callable[[datetime, timedelta], Iterable[Reminder]]


def add_reminder_source(app: Flask, source: ReminderSource) -> None:
    """Let a domain contribute reminders (called by `samspill reminders send`)."""
    app.extensions.setdefault("samspill.reminder_sources", []).append(source)


def queue_reminders(horizon: timedelta, now: datetime | None = None) -> int:
    """Queue every reminder due within `horizon` that was not queued before; returns how many."""
    now = now or utcnow()
    queued = 0
    with isolation.system_scope():
        for source in current_app.extensions.get("samspill.reminder_sources", ()):
            for reminder in source(now, horizon):
                queued += notify(reminder.recipients, reminder.subject, reminder.body,
                                 dedupe_prefix=f"reminder:{reminder.key}")
        db.session.commit()
    return queued
