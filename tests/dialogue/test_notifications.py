"""Email through the outbox: nothing lost while the mail server is down, retried with backoff,
SMTP settings per instance, files in development, and reminders before deadlines (cron-safe)."""

from __future__ import annotations

import socket
from datetime import timedelta
from pathlib import Path

from flask import Flask
from sqlalchemy import select, update

from core import isolation
from core.db import db, utcnow
from tests.dialogue.helpers import answer_body, make_questionnaire
from tests.dialogue.smtp_server import SmtpServer


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _outbox(app):
    from core.notifications.models import OutboxMessage

    with app.app_context(), isolation.system_scope():
        return [(m.to_address, m.status.value, m.attempts, m.next_attempt_at, m.last_error, m.subject)
                for m in db.session.execute(select(OutboxMessage).order_by(OutboxMessage.created_at)).scalars()]


def _queue(app, to="kari@example.no"):
    from core.notifications.service import enqueue

    with app.app_context():
        enqueue(to, "Hei", "Tekst")
        db.session.commit()


def _make_due(app):
    from core.notifications.models import OutboxMessage

    with app.app_context(), isolation.system_scope():
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()


def test_nothing_lost_while_the_server_is_down_then_delivered(app, runner):
    port = _free_port()
    app.config.update(SAMSPILL_SMTP_HOST="127.0.0.1", SAMSPILL_SMTP_PORT=str(port), SAMSPILL_SMTP_SECURITY="none",
                      SAMSPILL_SMTP_FROM="Samspill <noreply@kommune.test>", SAMSPILL_SMTP_TIMEOUT="2")
    _queue(app)
    down = runner.invoke(args=["notifications", "send"])
    assert down.exit_code == 0 and "retrying later 1" in down.output
    [(to, status, attempts, next_at, error, _s)] = _outbox(app)
    assert (status, attempts) == ("pending", 1) and error
    assert timedelta(seconds=50) < next_at - utcnow() <= timedelta(minutes=1)
    # Not due yet: another run leaves it alone.
    assert "sent 0, retrying later 0" in runner.invoke(args=["notifications", "send"]).output
    with SmtpServer(port) as server:
        _make_due(app)
        up = runner.invoke(args=["notifications", "send"])
        assert "sent 1" in up.output, up.output
    [(to, status, attempts, *_rest)] = _outbox(app)
    assert (status, attempts) == ("sent", 2)
    [message] = server.received
    assert message["To"] == "kari@example.no" and message["From"] == "Samspill <noreply@kommune.test>"
    assert message["Subject"] == "Hei"


def test_backoff_grows_and_gives_up_but_keeps_the_row(app, runner):
    from core.notifications.service import MAX_ATTEMPTS, backoff

    assert [backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert backoff(5) == backoff(30) == backoff(MAX_ATTEMPTS) == timedelta(minutes=15)  # never hours
    # ... and it keeps trying for two days before giving up (an outage over a weekend day loses nothing).
    assert sum((backoff(n) for n in range(1, MAX_ATTEMPTS)), timedelta()) >= timedelta(days=2)
    app.config.update(SAMSPILL_SMTP_HOST="127.0.0.1", SAMSPILL_SMTP_PORT=str(_free_port()),
                      SAMSPILL_SMTP_SECURITY="none", SAMSPILL_SMTP_TIMEOUT="2")
    _queue(app)
    for _ in range(MAX_ATTEMPTS):
        _make_due(app)
        runner.invoke(args=["notifications", "send"])
    [(_to, status, attempts, *_rest)] = _outbox(app)
    assert (status, attempts) == ("failed", MAX_ATTEMPTS)
    assert "failed 1" in runner.invoke(args=["notifications", "status"]).output


def test_send_now_delivers_every_pending_message_after_an_outage(app, runner):
    port = _free_port()
    app.config.update(SAMSPILL_SMTP_HOST="127.0.0.1", SAMSPILL_SMTP_PORT=str(port), SAMSPILL_SMTP_SECURITY="none",
                      SAMSPILL_SMTP_TIMEOUT="2")
    _queue(app, "kari@example.no")
    for _ in range(5):  # the outage: each run pushes the next attempt further out
        _make_due(app)
        runner.invoke(args=["notifications", "send"])
    _queue(app, "ola@example.no")
    assert "retrying later 1" in runner.invoke(args=["notifications", "send"]).output
    waiting = {to: next_at for to, _status, _n, next_at, *_ in _outbox(app)}
    assert waiting["kari@example.no"] - utcnow() > timedelta(minutes=10)
    with SmtpServer(port) as server:
        assert "sent 0" in runner.invoke(args=["notifications", "send"]).output  # the backoff holds them
        now = runner.invoke(args=["notifications", "send", "--now"])
        assert now.exit_code == 0 and "sent 2, retrying later 0" in now.output, now.output
    assert sorted(m["To"] for m in server.received) == ["kari@example.no", "ola@example.no"]
    assert [status for _to, status, *_ in _outbox(app)] == ["sent", "sent"]
    assert "sent 0" in runner.invoke(args=["notifications", "send", "--now"]).output  # nothing twice


def test_send_now_tries_each_message_once_while_still_down(app, runner):
    app.config.update(SAMSPILL_SMTP_HOST="127.0.0.1", SAMSPILL_SMTP_PORT=str(_free_port()),
                      SAMSPILL_SMTP_SECURITY="none", SAMSPILL_SMTP_TIMEOUT="2")
    _queue(app, "kari@example.no")
    _queue(app, "ola@example.no")
    result = runner.invoke(args=["notifications", "send", "--now"])
    assert result.exit_code == 0 and "sent 0, retrying later 2" in result.output, result.output
    assert [attempts for _to, _s, attempts, *_ in _outbox(app)] == [1, 1]


def test_smtp_settings_come_from_the_environment(monkeypatch):
    from core.notifications import transport

    monkeypatch.setenv("SAMSPILL_SMTP_HOST", "smtp.kommune.test")
    monkeypatch.setenv("SAMSPILL_SMTP_PORT", "465")
    app = Flask("x")
    transport.load_settings(app)
    with app.app_context():
        chosen = transport.current_transport()
    assert isinstance(chosen, transport.SmtpTransport)
    assert (chosen.host, chosen.port, chosen.security) == ("smtp.kommune.test", 465, "ssl")


def test_development_default_writes_files(app, runner):
    _queue(app)
    assert "sent 1" in runner.invoke(args=["notifications", "send"]).output
    [eml] = list((Path(app.instance_path) / "mail").glob("*.eml"))
    assert b"Subject: Hei" in eml.read_bytes()


def test_reminders_before_the_deadline_once_each(open_world, runner):
    w = open_world
    q = make_questionnaire(w, deadline_minutes=60 * 24)
    w.api("put", f"/api/v1/questionnaires/{q['id']}/response", w.b, json=answer_body(q, "Levert"))
    from core.notifications.models import OutboxMessage

    def reminders():
        with w.app.app_context(), isolation.system_scope():
            return sorted(m.to_address for m in db.session.execute(select(OutboxMessage)).scalars()
                          if m.dedupe_key is not None)

    first = runner.invoke(args=["reminders", "send", "--hours", "48"])
    assert first.exit_code == 0, first.output
    assert reminders() == ["post@trygg.test"]  # B already submitted; C is not registered
    again = runner.invoke(args=["reminders", "send", "--hours", "48"])
    assert "queued 0 reminders" in again.output and reminders() == ["post@trygg.test"]
    # Too far away: nothing yet.
    assert "queued 0" in runner.invoke(args=["reminders", "send", "--hours", "1"]).output
    from email import message_from_bytes, policy

    mails = [message_from_bytes(p.read_bytes(), policy=policy.default)
             for p in (Path(w.app.instance_path) / "mail").glob("*.eml")]
    assert any(m["To"] == "post@trygg.test" and q["title"] in m["Subject"] + m.get_content() for m in mails)


def test_meeting_and_booking_reminders(open_world, runner):
    w = open_world
    first = utcnow() + timedelta(hours=30)
    w.api("post", f"/api/v1/procurements/{w.pid}/meeting-slots", w.officer_token, json={
        "title": "Runde", "slot_minutes": 30, "starts": [first.isoformat(), (first + timedelta(hours=1)).isoformat()],
        "cutoff": (utcnow() + timedelta(hours=20)).isoformat(), "open": True})
    slot = w.api("get", f"/api/v1/procurements/{w.pid}/meeting-slots", w.a).json["rounds"][0]["slots"][0]["id"]
    w.api("post", f"/api/v1/meeting-slots/{slot}/booking", w.a, json={})
    result = runner.invoke(args=["reminders", "send", "--hours", "48", "--no-deliver"])
    assert "queued 2 reminders" in result.output, result.output  # A: the meeting; B: book before the cut-off
