"""Reminders before deadlines, collected from the domains and queued once each.

A domain implements the hook `samspill_reminders(now, horizon)`, returning `Reminder`s for
deadlines between now and now + horizon. Each reminder has a stable
key, so `samspill reminders send` can run from cron as often as wanted and still sends every
reminder once.

The same job announces deadlines that have passed to the plugins (`deadline_passed`). A domain
implements `samspill_passed_deadlines(now)`, returning `PassedDeadline`s for deadlines at or
before `now` that were not announced yet (filter with `not_announced(...)`).
`announce_passed_deadlines()` inserts a `DeadlineAnnouncement` row for each and emits the event
in the same transaction, one transaction per deadline: the row's unique key makes a rerun, or
a second run at the same moment, skip it (the second insert waits for the first and fails).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, exists
from sqlalchemy.exc import IntegrityError

from core import isolation
from core.db import db, utcnow
from core.notifications.models import DeadlineAnnouncement
from core.notifications.service import Recipient, notify
from core.plugin_platform.host import current_host, emit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    key: str                      # stable per deadline and purpose, e.g. "questionnaire:<id>:48h"
    recipients: tuple[Recipient, ...]
    subject: Callable[[], str]    # evaluated in each recipient's language
    body: Callable[[], str]


def queue_reminders(horizon: timedelta, now: datetime | None = None) -> int:
    """Queue every reminder due within `horizon` that was not queued before; returns how many."""
    now = now or utcnow()
    queued = 0
    with isolation.system_scope():
        for reminders in current_host().call("samspill_reminders", now=now, horizon=horizon):
            for reminder in reminders or ():
                queued += notify(reminder.recipients, reminder.subject, reminder.body,
                                 dedupe_prefix=f"reminder:{reminder.key}")
        db.session.commit()
    return queued


@dataclass(frozen=True)
class PassedDeadline:
    procurement: Any              # the Procurement the artefact belongs to
    deadline: datetime            # UTC
    artefact_type: str            # e.g. "questionnaire"
    artefact: Any                 # the object whose deadline passed (has an `id`)


def not_announced(artefact_type: str, artefact_id: ColumnElement, deadline: ColumnElement) -> ColumnElement[bool]:
    """A WHERE clause for a source's query: this artefact's current deadline was not announced."""
    return ~exists().where(DeadlineAnnouncement.artefact_type == artefact_type,
                           DeadlineAnnouncement.artefact_id == artefact_id,
                           DeadlineAnnouncement.deadline == deadline)


def _claim(passed: PassedDeadline) -> bool:
    """Insert the announcement row; False when another run has (or is about to have) it."""
    try:
        with db.session.begin_nested():
            db.session.add(DeadlineAnnouncement(
                id=uuid.uuid4(), procurement_id=passed.procurement.id, artefact_type=passed.artefact_type,
                artefact_id=passed.artefact.id, deadline=passed.deadline))
    except IntegrityError:  # announced by a concurrent run, which committed first
        return False
    return True


def announce_passed_deadlines(now: datetime | None = None) -> int:
    """Emit `deadline_passed` once for every passed deadline not announced before; returns how many.

    Runs in system scope (the job acts for the platform). Each deadline is claimed and announced
    in a transaction of its own, so a failure later in the run keeps what was announced; a
    plugin's failure is reported by the plugin manager and does not undo the claim.
    """
    now = now or utcnow()
    announced = 0
    with isolation.system_scope():
        for candidates in current_host().call("samspill_passed_deadlines", now=now):
            for passed in list(candidates or ()):
                if passed.deadline > now:
                    log.warning("a deadline source gave a deadline still to come (%s); skipped", passed)
                    continue
                if not _claim(passed):
                    continue
                emit("deadline_passed", passed.procurement, deadline=passed.deadline,
                     artefact_type=passed.artefact_type, artefact=passed.artefact)
                db.session.commit()
                announced += 1
        db.session.commit()
    return announced
