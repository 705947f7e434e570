"""The commit-time deadline check, built once per shape (decision 168, speed round 6).

A deadline statement is built once with the row it reads as a bind parameter
(`refuse_after(..., params)`), so the commit's last statement that carries it (PostgreSQL: the
audit entry's insert with the deadline in its `RETURNING`) is one kept object for every save.
What must keep holding: each save's own row is judged (not the row of the save that built the
statement), and two deadlines of one shape in one commit each judge their own row.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session

from core import audit, isolation
from core.db import db, utcnow
from core.deadlines import refuse_after
from core.dialogue.models import Questionnaire
from core.dialogue.responses import _DEADLINE
from core.errors import DeadlinePassed
from tests.dialogue.helpers import answer_body, make_questionnaire


def _dialect(w) -> str:
    with w.app.app_context():
        return db.engine.dialect.name


def _pass_deadline(w, questionnaire_id: str) -> None:
    def passed():
        db.session.get(Questionnaire, uuid.UUID(questionnaire_id)).deadline = utcnow() - timedelta(minutes=1)
    w.in_system(passed)


def test_the_commit_statement_is_one_kept_object_and_judges_each_save_s_own_questionnaire(open_world):
    w = open_world
    first, second = make_questionnaire(w), make_questionnaire(w)
    sent: list = []

    def listener(state):
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) == "audit_entries" and state.statement._returning:  # noqa: SLF001
            sent.append(state.statement)

    event.listen(Session, "do_orm_execute", listener)
    try:
        for q, token in ((first, w.a), (second, w.b), (first, w.b), (second, w.a)):
            r = w.api("put", f"/api/v1/questionnaires/{q['id']}/response", token, json=answer_body(q, "Svar"))
            assert r.status_code == 200, r.get_data(as_text=True)
    finally:
        event.remove(Session, "do_orm_execute", listener)
    if _dialect(w) == "postgresql":  # the deadline rides on the audit insert
        assert len(sent) == 4 and all(statement is sent[0] for statement in sent)
    else:  # SQLite: read by the deadline module's own statement
        assert sent == []
    # The kept statement reads the questionnaire of the save that sends it: one passed, the other not.
    _pass_deadline(w, second["id"])
    assert w.api("put", f"/api/v1/questionnaires/{first['id']}/response", w.a,
                 json=answer_body(first, "Igjen")).status_code == 200
    assert w.api("put", f"/api/v1/questionnaires/{second['id']}/response", w.a,
                 json=answer_body(second, "For sent")).status_code == 409


@pytest.mark.parametrize("audited", [True, False], ids=["with-audit-entry", "without"])
@pytest.mark.parametrize("passed_first", [True, False], ids=["passed-first", "passed-second"])
def test_two_deadlines_of_one_shape_in_one_commit_each_judge_their_own_row(open_world, audited, passed_first):
    """The same deadline statement for two questionnaires in one commit: their values cannot
    share the parameter name, and the one whose deadline passed refuses the commit."""
    w = open_world
    open_q, passed_q = make_questionnaire(w), make_questionnaire(w)
    _pass_deadline(w, passed_q["id"])
    order = [passed_q, open_q] if passed_first else [open_q, passed_q]
    with w.app.app_context(), isolation.system_scope():
        session = db.session()
        session.begin()
        for q in order:
            refuse_after(session, _DEADLINE(), lambda title=q["id"]: DeadlinePassed(title),
                         {"deadline_questionnaire_id": uuid.UUID(q["id"])})
        if audited:
            audit.record("test.two_deadlines", "questionnaire", procurement_id=w.pid)
        with pytest.raises(DeadlinePassed) as refused:
            session.commit()
        assert refused.value.detail == passed_q["id"]
    with w.app.app_context(), isolation.system_scope():  # nothing of it was written
        assert audit.verify()[1] is None
        assert db.session.execute(db.select(audit.AuditEntry.id)
                                  .where(audit.AuditEntry.action == "test.two_deadlines")).first() is None
