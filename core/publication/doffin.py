"""Sending validated notices to Doffin's notices API, outbox style: each notice once.

A notice made while Doffin is configured (`SAMSPILL_DOFFIN_URL`, `SAMSPILL_DOFFIN_KEY`) is stored
`pending`; `samspill publication send-notices` (cron-safe, like `samspill notifications send`)
and the request that made it deliver it. The sender claims one row at a time with
`FOR UPDATE SKIP LOCKED` (two senders never take the same notice) and marks it sent in the same
transaction that records Doffin's id. If the process dies after Doffin accepted the notice but
before that commit, the next attempt sends the same notice with the same `Idempotency-Key` (the
notice id, also the eForms notice id), which Doffin answers with the id it already gave — the
notice is published once. Failures back off like the mail outbox and give up after two days.
With a job queue (`SAMSPILL_REDIS_URL`) the request queues the job `publication.send_notice`
keyed by the notice instead, one attempt per run, and the queue's retries with backoff replace
the outbox loop (`send_due` stays for the embedded default and for what a queue gave up on).

The request: `POST {SAMSPILL_DOFFIN_URL}/notices` with the subscription key in
`Ocp-Apim-Subscription-Key` (Doffin's API gateway), `Idempotency-Key`, and a JSON body
`{"noticeId", "sdkVersion", "notice": base64(XML)}`; the answer `{"id", "status"}` (201, or 200
for a repeat). `eforms-nor/docs/doffin-api.md` documents the gateway and environments but not
the bodies, so these shapes are the stand-in's; adjust `submit` when DFØ grants access.
"""

from __future__ import annotations

import base64
import logging
import uuid
from dataclasses import dataclass

import requests
from flask import g, has_request_context
from sqlalchemy import select

from core import isolation
from core.db import db, utcnow
from core.jobs import queue as jobs
from core.notifications.service import MAX_ATTEMPTS, backoff
from core.publication import ocds, settings
from core.publication.models import DoffinStatus, Notice

log = logging.getLogger(__name__)
JOB = "publication.send_notice"


class DoffinRefused(Exception):
    """Doffin answered with an error (kept on the notice, retried with backoff)."""


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def submit(endpoint: str, key: str, notice: Notice) -> tuple[str, str]:
    """One HTTP request; (Doffin's id, its status)."""
    response = requests.post(
        f"{endpoint}/notices",
        json={"noticeId": str(notice.id), "sdkVersion": "eforms-sdk-1.14",
              "notice": base64.b64encode(notice.xml.encode("utf-8")).decode("ascii")},
        headers={"Ocp-Apim-Subscription-Key": key, "Idempotency-Key": str(notice.id),
                 "Accept": "application/json"},
        timeout=settings.timeout("DOFFIN", 30),
    )
    if response.status_code not in (200, 201, 202):
        raise DoffinRefused(f"HTTP {response.status_code}: {response.text[:500]}")
    body = response.json()
    return str(body.get("id") or ""), str(body.get("status") or "")


def _claim(due_by, only, tried) -> Notice | None:
    stmt = select(Notice).where(Notice.doffin_status == DoffinStatus.pending)
    if only is not None:
        stmt = stmt.where(Notice.id.in_(only))
    if tried:
        stmt = stmt.where(Notice.id.not_in(tried))
    if due_by is not None:
        stmt = stmt.where(Notice.doffin_next_attempt_at <= due_by)
    stmt = stmt.order_by(Notice.doffin_next_attempt_at, Notice.id).limit(1).with_for_update(skip_locked=True)
    return db.session.execute(stmt).scalar_one_or_none()


def _attempt(notice: Notice, endpoint: str, key: str, now, report: SendReport) -> bool:
    """One try at sending a claimed notice, recorded on its row (the caller commits): True when
    Doffin took it; a failure keeps it pending with the mail outbox's backoff, or failed after
    the last attempt."""
    notice.doffin_attempts += 1
    try:
        doffin_id, status = submit(endpoint, key, notice)
    except (requests.RequestException, DoffinRefused, ValueError) as exc:
        notice.doffin_last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if notice.doffin_attempts >= MAX_ATTEMPTS:
            notice.doffin_status = DoffinStatus.failed
            report.failed += 1
        else:
            notice.doffin_next_attempt_at = now + backoff(notice.doffin_attempts)
            report.retrying += 1
        log.warning("notice %s not sent to Doffin (attempt %s): %s", notice.id, notice.doffin_attempts,
                    notice.doffin_last_error)
        return False
    notice.doffin_status = DoffinStatus.sent
    notice.doffin_id, notice.doffin_reply_status = doffin_id[:120], status[:60]
    notice.doffin_sent_at = now
    notice.doffin_last_error = ""
    report.sent += 1
    ocds.publish(notice.procurement_id)  # the planning release now lists the notice
    return True


def send_due(limit: int = 100, *, only: list[uuid.UUID] | None = None, ignore_backoff: bool = False) -> SendReport:
    """Send up to `limit` due notices; the sender alone reads the queue (system scope). The
    embedded default (no job queue): the request that made a notice, then
    `samspill publication send-notices` from cron for the retries."""
    report = SendReport()
    configured = settings.doffin()
    if configured is None:
        return report
    endpoint, key = configured
    tried: set[uuid.UUID] = set()
    with isolation.system_scope():
        for _ in range(limit):
            now = utcnow()
            notice = _claim(None if ignore_backoff else now, only, tried)
            if notice is None:
                db.session.rollback()
                break
            tried.add(notice.id)
            _attempt(notice, endpoint, key, now, report)
            db.session.commit()
    return report


class NoticeBusy(Exception):
    """Another sender holds the notice right now; the job tries again later."""


def send_notice_job(notice_id: str) -> None:
    """The job `publication.send_notice`: one attempt at one notice; a failure is raised so the
    job queue retries it with its backoff (its retries replace the outbox loop's). Sent once:
    the row is claimed with `FOR UPDATE SKIP LOCKED`, a sent notice is left alone, and a repeat
    after a worker died mid-request carries the same `Idempotency-Key`."""
    configured = settings.doffin()
    if configured is None:
        return
    endpoint, key = configured
    wanted = uuid.UUID(notice_id)
    report = SendReport()
    with isolation.system_scope():
        notice = _claim(None, [wanted], set())
        if notice is None:
            db.session.rollback()
            status = db.session.execute(select(Notice.doffin_status).where(Notice.id == wanted)).scalar_one_or_none()
            db.session.rollback()
            if status == DoffinStatus.pending:
                raise NoticeBusy(f"notice {notice_id} is being sent by another sender")
            return
        sent = _attempt(notice, endpoint, key, utcnow(), report)
        last_error = notice.doffin_last_error
        db.session.commit()
    if not sent and not report.failed:
        raise DoffinRefused(last_error)


def queue_after_request(notice: Notice) -> None:
    if has_request_context() and notice.doffin_status == DoffinStatus.pending:
        g.setdefault("doffin_queued", []).append(notice.id)


def send_queued_after_request(response):
    """Send the notices this request made: a job each when a queue is configured (keyed by the
    notice, so queued once), else right away; the command retries what fails."""
    queued = g.pop("doffin_queued", None)
    if not queued or response.status_code >= 400:
        return response
    if jobs.configured():
        try:
            for notice_id in queued:
                jobs.enqueue(JOB, key=str(notice_id), notice_id=str(notice_id))  # False: queued already
            return response
        except Exception:  # Redis away: send now; the command retries what fails
            log.exception("could not queue sending notices to Doffin")
    try:
        send_due(len(queued), only=queued)
    except Exception:  # the queue keeps them; `samspill publication send-notices` will send
        log.exception("sending notices to Doffin failed")
    return response
