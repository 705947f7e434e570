"""A request that only read ends with COMMIT, so psycopg keeps its prepared statements (PostgreSQL).

psycopg forgets every prepared statement on ROLLBACK; `core.read_only` commits a transaction that
ran nothing but SELECTs instead. These tests hold both sides: the API list's statements end up
prepared on the pooled connection, and a transaction that wrote (flushed, not committed), or a
request that raised, is still rolled back.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

from core import isolation, read_only
from core.db import db
from tests.bench.helpers import led_procurements
from tests.conftest import PG_URL, bearer

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="psycopg's prepared statements")]


def _prepared_statements(app) -> list[str]:
    with app.app_context():
        connection = db.engine.raw_connection()  # the pool's one connection, used by every request
        try:
            cursor = connection.cursor()
            cursor.execute("select statement from pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]
        finally:
            connection.close()


def test_read_only_requests_keep_their_statements_prepared(app, client, make):
    tenant = make.tenant("nordvik", "Nordvik kommune")
    token = make.token(make.user(tenant=tenant, role="officer"))
    led_procurements(app, tenant, _moments(3))
    with app.app_context():
        db.engine.dispose()  # one fresh pooled connection from here on
    for _ in range(8):  # psycopg prepares a statement from its sixth use on a connection
        assert client.get("/api/v1/tenants/nordvik/procurements", headers=bearer(token)).status_code == 200
    prepared = _prepared_statements(app)
    assert any("FROM procurements" in statement for statement in prepared), prepared
    assert any("FROM api_tokens" in statement for statement in prepared), prepared


def test_a_transaction_that_wrote_is_rolled_back_at_the_end_of_the_request(app, make):
    from core.identity.memberships import Tenant

    tenant = make.tenant("nordvik", "Nordvik kommune")
    with app.test_request_context():
        with isolation.system_scope():
            db.session.get(Tenant, tenant.id).name = "Changed"
            db.session.flush()  # written, not committed
            read_only.end_read_only_transaction(None)
        db.session.rollback()
        with isolation.system_scope():
            assert db.session.execute(select(Tenant.name).where(Tenant.id == tenant.id)).scalar() == "Nordvik kommune"


def test_only_a_read_only_transaction_without_an_error_is_committed(app, make):
    with app.test_request_context():
        db.session.execute(text("select 1"))
        read_only.end_read_only_transaction(RuntimeError("the view failed"))
        assert db.session().in_transaction()  # left to the removal's ROLLBACK
        read_only.end_read_only_transaction(None)
        assert not db.session().in_transaction()
        db.session.execute(text("select 1"))
        db.session.execute(text("set local statement_timeout = 1000"))  # not a SELECT
        read_only.end_read_only_transaction(None)
        assert db.session().in_transaction()
        db.session.rollback()


def _moments(n):
    from datetime import timedelta

    from core.db import utcnow

    return [utcnow() - timedelta(days=d) for d in range(n)]
