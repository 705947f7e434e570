"""PostgreSQL row-level security for the dialogue tables, checked with raw SQL as the app role:
a supplier sees its own rows and what is published to registered suppliers, nothing else."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core.db import db
from tests.dialogue.test_isolation import _b_everything

pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not os.environ.get("SAMSPILL_TEST_DATABASE_URL"), reason="PostgreSQL only")]


def _supplier_id(w, org_number: str) -> str:
    with w.app.app_context():
        return str(db.session.execute(text("select id from supplier_organisations where org_number = :n"),
                                      {"n": org_number}).scalar_one())


def _tenant_id(w, slug: str) -> str:
    with w.app.app_context():
        return str(db.session.execute(text("select id from tenants where slug = :s"), {"s": slug}).scalar_one())


def _as(w, *, supplier: str = "", tenants: str = ""):
    """A raw connection of the app role with the request settings of one caller."""

    class Session:
        def __enter__(self):
            self.ctx = w.app.app_context()
            self.ctx.push()
            self.conn = db.engine.connect()
            self.tx = self.conn.begin()
            self.conn.execute(text("select set_config('samspill.scope', 'tenant', true),"
                                   " set_config('samspill.tenant_ids', :t, true),"
                                   " set_config('samspill.supplier_id', :s, true)"), {"t": tenants, "s": supplier})
            return self

        def all(self, sql: str, **params):
            return self.conn.execute(text(sql), params).all()

        def count(self, table: str) -> int:
            return self.conn.execute(text(f"select count(*) from {table}")).scalar_one()

        def __exit__(self, *exc):
            self.tx.rollback()
            self.conn.close()
            self.ctx.pop()

    return Session()


def test_app_role_is_not_the_owner(open_world):
    with open_world.app.app_context():
        assert db.session.execute(text("select current_user")).scalar_one() == "samspill_app"


def test_supplier_sees_own_rows_and_what_is_published(open_world):
    w = open_world
    _b_everything(w)
    qid = w.api("post", f"/api/v1/procurements/{w.pid}/questions", w.a, json={"text": "A spør"}).json["id"]
    w.api("post", f"/api/v1/questions/{qid}/answer", w.officer_token, json={"text": "Publisert svar"})
    a, b, c = _supplier_id(w, "915345727"), _supplier_id(w, "914778271"), _supplier_id(w, "974760673")
    with _as(w, supplier=a) as s:
        assert {r[0] for r in s.all("select supplier_id::text from dialogue_questions")} == {a}
        assert s.count("dialogue_responses") == 0 and s.count("dialogue_response_answers") == 0
        assert s.count("dialogue_meeting_bookings") == 0
        assert s.all("select count(*) from dialogue_attachments where supplier_id is not null")[0][0] == 0
        assert {r[0] for r in s.all("select supplier_id::text from dialogue_registrations")} == {a}
        assert {r[0] for r in s.all("select supplier_id::text from supplier_members")} == {a}
        assert [r[0] for r in s.all("select text from dialogue_answers")] == ["Publisert svar"]
        assert s.count("dialogue_meeting_slots") == 3 and s.count("procurements") == 1
        assert s.count("procurement_participations") == 0 and s.count("notification_outbox") == 0
    with _as(w, supplier=b) as s:
        assert {r[0] for r in s.all("select supplier_id::text from dialogue_responses")} == {b}
        assert s.count("dialogue_meeting_bookings") == 1
    with _as(w, supplier=c) as s:  # not registered: only the open invitation
        for table in ("dialogue_answers", "dialogue_conferences", "dialogue_meeting_slots", "dialogue_questionnaires",
                      "dialogue_questions", "dialogue_responses"):
            assert s.count(table) == 0, table
    with _as(w, tenants=_tenant_id(w, "drammen")) as s:  # a municipality outside the procurement
        for table in ("dialogue_questions", "dialogue_responses", "dialogue_meeting_bookings",
                      "dialogue_registrations"):
            assert s.count(table) == 0, table
    with _as(w, tenants=_tenant_id(w, "asker")) as s:  # the partner municipality sees everything
        assert s.count("dialogue_questions") == 2 and s.count("dialogue_responses") == 1
        assert s.count("dialogue_meeting_bookings") == 1


def test_supplier_cannot_write_what_is_not_its_own(open_world):
    w = open_world
    a, b = _supplier_id(w, "915345727"), _supplier_id(w, "914778271")
    with _as(w, supplier=a) as s:
        updated = s.conn.execute(text("update dialogue_registrations set conference_attendees = 9"
                                      " where supplier_id = :b"), {"b": b})
        assert updated.rowcount == 0  # B's row is invisible
    for sql in ("update procurements set title = 'Overtatt'",
                "insert into dialogue_answers (id, procurement_id, text, published_questions, published_at,"
                f" created_at, updated_at) values (gen_random_uuid(), '{w.pid}', 'x', '[]', now(), now(), now())",
                "update dialogue_registrations set supplier_id = '" + b + "'"):
        with _as(w, supplier=a) as s, pytest.raises(DBAPIError, match="row-level security"):
            s.conn.execute(text(sql))
    with _as(w, supplier=a) as s:  # anyone may queue mail, nobody but the sender reads it
        s.conn.execute(text("insert into notification_outbox (id, to_address, subject, body, created_at, status,"
                            " attempts, next_attempt_at, last_error) values (gen_random_uuid(), 'x@y.no', 's', 'b',"
                            " now(), 'pending', 0, now(), '')"))
        assert s.count("notification_outbox") == 0
