"""Shared steps for the dialogue tests (through the real API)."""

from __future__ import annotations

from tests.dialogue.conftest import future

SECRET = "Hemmelig prismodell: 17,50 kr per alarm"


def make_questionnaire(w, *, open_now: bool = True, deadline_minutes: int = 60 * 24, questions=None) -> dict:
    body = {"title": "Løsningsforslag", "intro": "Svar konkret.", "deadline": future(minutes=deadline_minutes),
            "open": open_now, "questions": questions or [
                {"kind": "text", "text": "Beskriv løsningen", "required": True},
                {"kind": "choice", "text": "Modenhet", "options": ["Idé", "Pilot", "I drift"]},
                {"kind": "multichoice", "text": "Standarder", "options": ["SCAIP", "Normen"]},
                {"kind": "attachment", "text": "Produktark"},
            ]}
    r = w.api("post", f"/api/v1/procurements/{w.pid}/questionnaires", w.officer_token, json=body)
    assert r.status_code == 201, r.get_data(as_text=True)
    return r.json


def answer_body(q: dict, text: str, *, secret: str | None = None, submit: bool = True) -> dict:
    """A full response: the first (free-text) answer is `secret`, marked as a business secret, if given."""
    qs = q["questions"]
    first = {"question_id": qs[0]["id"], "value": secret or text}
    if secret:
        first.update(business_secret=True, secret_reason="Prismodell")
    return {"answers": [first, {"question_id": qs[1]["id"], "value": "Pilot"},
                        {"question_id": qs[2]["id"], "value": ["SCAIP"]}], "submit": submit}


def questionnaire_with_secret_response(w) -> str:
    q = make_questionnaire(w)
    r = w.api("put", f"/api/v1/questionnaires/{q['id']}/response", w.a, json=answer_body(q, "", secret=SECRET))
    assert r.status_code == 200, r.get_data(as_text=True)
    r = w.api("put", f"/api/v1/questionnaires/{q['id']}/response", w.b, json=answer_body(q, "Åpen plattform"))
    assert r.status_code == 200, r.get_data(as_text=True)
    return SECRET


def set_lang(client, lang: str):
    """Choose the page language for `client` (as the header's switch does)."""
    with client.session_transaction() as session:
        session["lang"] = lang
    return client


def outbox(w) -> list[tuple[str, str, str]]:
    """(to, subject, body) of every queued email, oldest first."""
    from sqlalchemy import select

    from core import isolation
    from core.db import db
    from core.notifications.models import OutboxMessage

    with w.app.app_context(), isolation.system_scope():
        return [(m.to_address, m.subject, m.body) for m in db.session.execute(
            select(OutboxMessage).order_by(OutboxMessage.created_at, OutboxMessage.id)).scalars()]


def audit_entries(w, action: str) -> list[dict]:
    """The procurement's audit entries with `action` (through the API, as the lead)."""
    r = w.api("get", f"/api/v1/procurements/{w.pid}/audit?limit=100", w.officer_token)
    assert r.status_code == 200, r.get_data(as_text=True)
    return [e for e in r.json["items"] if e["action"] == action]


def builder_fields(*questions: dict) -> dict:
    """The questionnaire builder's form fields for `questions` (`kind`, `text`, `options`, `required`)."""
    fields: dict = {"count": str(len(questions))}
    for i, q in enumerate(questions):
        fields[f"q-{i}-text"] = q.get("text", "")
        fields[f"q-{i}-kind"] = q.get("kind", "text")
        fields[f"q-{i}-option"] = list(q.get("options", []))
        if q.get("required"):
            fields[f"q-{i}-required"] = "on"
        for name in ("help", "source"):
            if name in q:
                fields[f"q-{i}-{name}"] = q[name]
    return fields


def commits_with_deadline(w, deadline, row, move, *, audited: bool) -> bool:
    """Register the commit-time check `deadline` (a `core.deadlines.RowDeadline`) for the row
    keyed `row`, run `move()` in the same transaction (moves a deadline), and commit (with an
    audit entry for the deadline to ride on, or without): True if it committed, False if refused."""
    from core import audit, isolation
    from core.db import db
    from core.errors import DeadlinePassed

    with w.app.app_context(), isolation.system_scope():
        session = db.session()
        deadline.refuse_after(session, row, lambda: DeadlinePassed("refused at commit"))
        move()
        if audited:
            audit.record("test.row_deadline", "procurement", procurement_id=w.pid)
        try:
            session.commit()
        except DeadlinePassed:
            session.rollback()
            return False
        return True
