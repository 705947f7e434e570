"""The response overview's statements (`core.dialogue.response_table`): the drafts are counted
once per page, not once per question row of the questionnaire's join (an uncorrelated
subquery: PostgreSQL's InitPlan, SQLite's plain scalar subquery), so each draft passes the
responses' row-level security policy once; the count is that of this questionnaire's drafts
whatever the number of questions (speed round 6)."""

from __future__ import annotations

import re
import uuid

from core import isolation
from core.db import db
from core.dialogue.response_table import _statements
from tests.dialogue.helpers import answer_body, make_questionnaire

_COUNT = re.compile(r"(\d+) innsendte svar; (\d+) utkast er ikke sendt inn")


def _counts(w, qid: str) -> tuple[int, int]:
    page = w.client.get(f"/t/baerum/procurements/{w.pid}/dialogue/questionnaires/{qid}/responses")
    assert page.status_code == 200, page.get_data(as_text=True)[:500]
    submitted, drafts = _COUNT.search(page.get_data(as_text=True)).groups()
    return int(submitted), int(drafts)


def test_drafts_are_counted_per_questionnaire_whatever_the_questions(open_world):
    w = open_world
    first, second = make_questionnaire(w), make_questionnaire(w)
    assert len(first["questions"]) == 4  # four question rows in the page's first statement
    for token in (w.a, w.b):  # two drafts of the first questionnaire
        assert w.api("put", f"/api/v1/questionnaires/{first['id']}/response", token,
                     json=answer_body(first, "Utkast", submit=False)).status_code == 200
    assert w.api("put", f"/api/v1/questionnaires/{second['id']}/response", w.a,
                 json=answer_body(second, "Svar")).status_code == 200
    w.login(w.officer)
    assert _counts(w, first["id"]) == (0, 2)
    assert _counts(w, second["id"]) == (1, 0)  # the other questionnaire's drafts are not its own
    assert w.api("put", f"/api/v1/questionnaires/{first['id']}/response", w.b,
                 json=answer_body(first, "Sendt")).status_code == 200
    assert _counts(w, first["id"]) == (1, 1)


def _generic_plan(connection, sql: str, values: dict) -> str:
    """EXPLAIN of `sql` prepared (psycopg's `%(name)s` placeholders as `$n`) under its generic plan."""
    names: list[str] = []

    def number(match: re.Match) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    name = f"head_{uuid.uuid4().hex}"
    positional = re.sub(r"%\((\w+)\)s", number, sql)
    connection.exec_driver_sql(f"PREPARE {name} AS {positional}")
    connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
    types = connection.exec_driver_sql(
        f"select parameter_types::text[] from pg_prepared_statements where name = '{name}'").scalar_one()
    arguments = ", ".join(f"'{values[n]}'::{kind}" for n, kind in zip(names, types, strict=True))
    plan = "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN EXECUTE {name}({arguments})"))
    connection.exec_driver_sql(f"DEALLOCATE {name}")
    assert "$1" in plan, plan  # the generic plan (parameters, not the values) was explained
    return plan


def test_the_drafts_are_counted_once_not_per_question_row(app):
    head = _statements()[0]
    with app.app_context(), isolation.system_scope():
        dialect = db.engine.dialect
        compiled = head.compile(dialect=dialect)
        connection = db.session.connection()
        if dialect.name == "postgresql":
            plan = _generic_plan(connection, compiled.string,
                                 {"questionnaire_id": uuid.uuid4(), "status_1": "draft"})
            # Every SubPlan is a read policy's lookup of the scope's participations (migration
            # 0028_dialogue, `samspill_scope_procurements`), none the drafts' count.
            lines = plan.splitlines()
            subplans = [lines[i + 1] for i, line in enumerate(lines) if re.search(r"\bSubPlan \d+$", line)]
            assert "InitPlan" in plan and all("procurement_participations" in s for s in subplans), plan
        else:
            plan = "\n".join(str(row[-1]) for row in connection.exec_driver_sql(
                f"EXPLAIN QUERY PLAN {compiled.string}", (None,) * len(compiled.positiontup)))
            assert "SCALAR SUBQUERY" in plan and "CORRELATED" not in plan, plan


def test_the_cells_hold_the_answers_values_as_the_orm_reads_them(open_world):
    """The answers' JSON comes as text and is parsed in `response_table`: every cell's value
    equals the stored answer's as the ORM loads it (text, a choice, a list of options)."""
    from flask import g
    from sqlalchemy import select

    from core.auth import principal_for
    from core.dialogue.models import ResponseAnswer
    from core.dialogue.response_table import response_table
    from core.identity.models import User

    w = open_world
    q = make_questionnaire(w)
    for token, text in ((w.a, "Løsning «én» – med \"sitat\" og æøå"), (w.b, "")):
        assert w.api("put", f"/api/v1/questionnaires/{q['id']}/response", token,
                     json=answer_body(q, text or "Svar")).status_code == 200
    with w.app.test_request_context():
        with isolation.system_scope():
            g.principal = principal_for(db.session.get(User, w.officer.id))
            stored = {(a.supplier_id, a.question_id): a.value
                      for a in db.session.execute(select(ResponseAnswer)).scalars()}
        isolation.set_scope(g.principal.tenant_ids)
        table = response_table(uuid.UUID(q["id"]))
    cells = {(column.supplier_id, question_id): cell.value
             for column in table.columns for question_id, cell in column.answers.items()}
    assert cells == stored and len(cells) == 6, (cells, stored)
    assert any(isinstance(value, list) for value in cells.values())
    assert "Løsning «én» – med \"sitat\" og æøå" in cells.values()


def test_cells_are_ready_to_print_and_rows_pay_no_uuid_hashing(open_world, monkeypatch):
    """Each cell carries what the page prints (a text in a block, options joined by ", "), the
    submission time is UTC-aware, and reading more answers costs no more UUID hashing: the
    table's own maps are keyed by the ids' integers (speed round 7)."""
    from datetime import UTC

    from flask import g

    from core.auth import principal_for
    from core.dialogue.response_table import EMPTY, response_table
    from core.identity.models import User

    w = open_world
    q = make_questionnaire(w)
    hashed = []
    original = uuid.UUID.__hash__

    def table():
        with w.app.test_request_context():
            with isolation.system_scope():
                g.principal = principal_for(db.session.get(User, w.officer.id))
            isolation.set_scope(g.principal.tenant_ids)
            hashed.clear()
            monkeypatch.setattr(uuid.UUID, "__hash__", lambda self: hashed.append(1) or original(self))
            try:
                return response_table(uuid.UUID(q["id"])), len(hashed)
            finally:
                monkeypatch.setattr(uuid.UUID, "__hash__", original)

    assert w.api("put", f"/api/v1/questionnaires/{q['id']}/response", w.a,
                 json=answer_body(q, "Første <svar>")).status_code == 200
    one, hashes_one = table()
    assert w.api("put", f"/api/v1/questionnaires/{q['id']}/response", w.b,
                 json=answer_body(q, "Andre")).status_code == 200
    two, hashes_two = table()
    assert hashes_two == hashes_one  # six answer rows more, no hash more
    [column] = one.columns
    text, choice, options, attachment = column.cells
    assert (text.shown, text.in_block, text.value) == ("Første <svar>", True, "Første <svar>")
    assert (choice.shown, choice.in_block) == ("Pilot", True)  # a choice is a str: a text block, as before
    assert (options.shown, options.in_block, options.value) == ("SCAIP", False, ["SCAIP"])
    assert attachment is EMPTY and set(column.answers) == {uuid.UUID(x["id"]) for x in q["questions"][:3]}
    assert all(c.submitted_at.tzinfo is not None and c.submitted_at.utcoffset() == UTC.utcoffset(None)
               for c in two.columns)
    assert [len(c.cells) for c in two.columns] == [4, 4] and two.rows[0][1][1].shown == "Andre"
