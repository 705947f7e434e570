"""The Doffin client against a stand-in server over real HTTP: a notice is sent once, across
failures, retries, a second sender and a process that died after Doffin accepted it."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select

from core import isolation
from core.db import db, utcnow
from core.publication import doffin
from core.publication.models import Notice
from tests.publication.standins import Doffin


def make_notice(w) -> uuid.UUID:
    r = w.api("post", f"/api/v1/procurements/{w.pid}/notices", w.officer_token, json={"kind": "prior-information"})
    assert r.status_code == 201, r.get_data(as_text=True)
    return uuid.UUID(r.get_json()["id"])


def notice(w, notice_id) -> Notice:
    with w.app.app_context(), isolation.system_scope():
        return db.session.execute(select(Notice).where(Notice.id == notice_id)).scalar_one()


def send(w, **kw):
    with w.app.app_context():
        return doffin.send_due(**kw)


def test_configured_doffin_gets_the_notice_once_with_its_id_recorded(joint, eforms, doffin_server):
    joint.app.config.update(SAMSPILL_DOFFIN_URL=doffin_server.url, SAMSPILL_DOFFIN_KEY=Doffin.KEY)
    notice_id = make_notice(joint)  # sent right after the request
    sent = notice(joint, notice_id)
    assert sent.doffin_status.value == "sent" and sent.doffin_id == "2026-100001"
    assert sent.doffin_reply_status == "SUBMITTED"
    assert len(doffin_server.requests) == 1
    assert doffin_server.requests[0]["key"] == str(notice_id)
    assert "ASKER KOMMUNE" in doffin_server.requests[0]["xml"]
    assert send(joint, ignore_backoff=True).sent == 0  # the command finds nothing left to send
    assert len(doffin_server.requests) == 1
    body = joint.api("get", f"/api/v1/notices/{notice_id}", joint.officer_token).get_json()
    assert body["doffin"]["status"] == "sent" and body["doffin"]["id"] == "2026-100001"


def test_failures_are_retried_with_backoff_and_sent_once(joint, eforms, doffin_server):
    joint.app.config.update(SAMSPILL_DOFFIN_URL=doffin_server.url, SAMSPILL_DOFFIN_KEY=Doffin.KEY)
    doffin_server.fail_next = 2
    notice_id = make_notice(joint)  # first attempt after the request: 503
    first = notice(joint, notice_id)
    assert first.doffin_status.value == "pending" and first.doffin_attempts == 1
    assert "503" in first.doffin_last_error
    assert first.doffin_next_attempt_at > utcnow()
    assert send(joint).sent == 0  # not due yet: backoff
    assert send(joint, ignore_backoff=True).retrying == 1  # second 503
    report = send(joint, ignore_backoff=True)
    assert report.sent == 1
    assert send(joint, ignore_backoff=True).sent == 0
    assert len(doffin_server.requests) == 3 and len(doffin_server.published) == 1
    assert notice(joint, notice_id).doffin_attempts == 3


def test_a_restart_after_doffin_accepted_does_not_publish_twice(joint, eforms, doffin_server):
    """The process died after Doffin's answer and before the commit: the notice is still
    pending, the next sender sends it again with the same idempotency key and records the
    id Doffin already gave."""
    notice_id = make_notice(joint)  # made while Doffin was not configured...
    joint.app.config.update(SAMSPILL_DOFFIN_URL=doffin_server.url, SAMSPILL_DOFFIN_KEY=Doffin.KEY)

    def queue():
        row = db.session.get(Notice, notice_id)
        from core.publication.models import DoffinStatus
        row.doffin_status, row.doffin_next_attempt_at = DoffinStatus.pending, utcnow() - timedelta(seconds=1)

    joint.in_system(queue)
    with joint.app.app_context(), isolation.system_scope():  # ...then "crash": Doffin accepted it, nothing committed
        row = db.session.get(Notice, notice_id)
        doffin.submit(doffin_server.url, Doffin.KEY, row)
        db.session.rollback()
    assert send(joint).sent == 1
    assert len(doffin_server.requests) == 2 and len(doffin_server.published) == 1
    assert notice(joint, notice_id).doffin_id == "2026-100001"


def test_without_settings_nothing_is_sent_and_the_xml_is_downloadable(joint, eforms, doffin_server):
    notice_id = make_notice(joint)
    assert send(joint, ignore_backoff=True).sent == 0
    assert doffin_server.requests == []
    page = joint.login(joint.officer).get(f"/t/baerum/procurements/{joint.pid}/publication/notices/{notice_id}.xml")
    assert page.status_code == 200 and b"PriorInformationNotice" in page.data
    assert "attachment" in page.headers["Content-Disposition"]
