"""Queue emails in the outbox and deliver them, retrying with backoff.

`notify()` adds rows in the caller's transaction (so a message exists exactly when the change
it tells about was committed). `send_due()` delivers due messages one at a time, each in its
own transaction with the row locked (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so two senders
never send the same message and a crash loses nothing. A failure schedules the next attempt
after 1, 2, 4, 8 minutes, then every 15 minutes (`MAX_BACKOFF`), so mail held up by an outage
leaves at most a quarter of an hour after the mail server is back; after `MAX_ATTEMPTS` (about
two days of trying) the row is marked failed and kept for the operator. `send_due(ignore_backoff=True)`
(`samspill notifications send --now`) ignores the backoff: every pending message, oldest first.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, g, has_request_context
from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core import isolation
from core.db import db, utcnow
from core.jobs import queue as jobs
from core.notifications import transport
from core.notifications.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(minutes=15)
MAX_ATTEMPTS = 4 + 2 * 24 * 4  # 1 + 2 + 4 + 8 minutes, then every 15 minutes for two days


@dataclass(frozen=True)
class Recipient:
    email: str
    locale: str | None = None


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: 1, 2, 4, 8 minutes, then 15 minutes each time."""
    return min(timedelta(minutes=2 ** min(max(attempts - 1, 0), 10)), MAX_BACKOFF)


def enqueue(to_address: str, subject: str, body: str, *, dedupe_key: str | None = None) -> OutboxMessage | None:
    """Queue one message; with `dedupe_key`, a key queued before is skipped (returns None)."""
    if dedupe_key is not None:
        dedupe_key = hashlib.sha256(dedupe_key.encode()).hexdigest()
    message = OutboxMessage(id=uuid.uuid4(), to_address=to_address, subject=subject[:300], body=body,
                            dedupe_key=dedupe_key)
    if dedupe_key is None:
        db.session.add(message)
    else:
        exists = db.session.execute(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)).first()
        if exists:
            return None
        try:
            with db.session.begin_nested():
                db.session.add(message)
        except IntegrityError:  # queued by a concurrent run
            return None
    if has_request_context():
        g.setdefault("outbox_queued", []).append(message.id)
    return message


def notify(recipients: Iterable[Recipient], subject: Callable[[], str], body: Callable[[], str],
           *, dedupe_prefix: str | None = None) -> int:
    """Queue one message per recipient, worded in the recipient's language (default Bokmål)."""
    count = 0
    seen: set[str] = set()
    for recipient in recipients:
        if recipient.email in seen:
            continue
        seen.add(recipient.email)
        with force_locale(recipient.locale or "nb"):
            key = f"{dedupe_prefix}:{recipient.email}" if dedupe_prefix else None
            if enqueue(recipient.email, subject(), body(), dedupe_key=key) is not None:
                count += 1
    return count


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def _claim(due_by: datetime | None, only: list[uuid.UUID] | None, tried: set[uuid.UUID]) -> OutboxMessage | None:
    """The next message to try (locked); `due_by` None: every pending one, oldest first."""
    stmt = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.pending)
    if only is not None:
        stmt = stmt.where(OutboxMessage.id.in_(only))
    if tried:
        stmt = stmt.where(OutboxMessage.id.not_in(tried))
    if due_by is None:
        stmt = stmt.order_by(OutboxMessage.created_at, OutboxMessage.id)
    else:
        stmt = stmt.where(OutboxMessage.next_attempt_at <= due_by).order_by(OutboxMessage.next_attempt_at,
                                                                          OutboxMessage.id)
    return db.session.execute(stmt.limit(1).with_for_update(skip_locked=True)).scalar_one_or_none()


def send_due(limit: int = 500, *, only: list[uuid.UUID] | None = None, ignore_backoff: bool = False) -> SendReport:
    """Deliver up to `limit` due messages (system scope: the outbox is the sender's alone);
    `ignore_backoff`: every pending message, whatever its backoff (after an outage), each tried once."""
    report = SendReport()
    mailer = transport.current_transport()
    tried: set[uuid.UUID] = set()
    with isolation.system_scope():
        for _ in range(limit):
            now = utcnow()
            message = _claim(None if ignore_backoff else now, only, tried)
            if message is None:
                db.session.rollback()
                break
            tried.add(message.id)
            try:
                mailer.send(transport.build_message(str(message.id), message.to_address,
                                                    message.subject, message.body))
            except Exception as exc:  # any transport failure: keep the row and retry later
                message.attempts += 1
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                if message.attempts >= MAX_ATTEMPTS:
                    message.status = OutboxStatus.failed
                    report.failed += 1
                else:
                    message.next_attempt_at = now + backoff(message.attempts)
                    report.retrying += 1
                log.warning("mail to %s not sent (attempt %s): %s", message.to_address,
                            message.attempts, message.last_error)
            else:
                message.attempts += 1
                message.status = OutboxStatus.sent
                message.sent_at = now
                report.sent += 1
            db.session.commit()
    return report


def send_queued_after_request(response):
    """This request's messages: a delivery job when a queue is configured, else (development
    default, file transport) delivered right away."""
    queued = g.pop("outbox_queued", None)
    if not queued or response.status_code >= 400:
        return response
    try:  # a queue (Redis) delivers them right away, in a worker, whatever the transport
        if jobs.enqueue("notifications.deliver", key=f"request-{queued[0]}", only=[str(i) for i in queued]):
            return response
    except Exception:  # Redis away: the periodic delivery or `samspill notifications send` will
        log.exception("could not queue mail delivery")
    if not current_app.config.get("SAMSPILL_MAIL_INLINE"):
        return response
    try:
        send_due(len(queued), only=queued)
    except Exception:  # the outbox keeps them; `samspill notifications send` will deliver
        log.exception("inline mail delivery failed")
        db.session.rollback()
    return response


def outbox_counts() -> dict[str, int]:

    with isolation.system_scope():
        rows = db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all()
    return {str(status): count for status, count in rows}
