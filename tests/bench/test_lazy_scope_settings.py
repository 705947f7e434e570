"""PostgreSQL transaction settings are sent lazily (a change the benchmark profile led to).

`core.isolation` copies the request's scope into the transaction just before a statement runs
and only when it differs from what the transaction already has. These tests hold the rules
that keep that safe: the statement always runs under the current scope, a rolled-back
savepoint is not trusted, every new transaction starts afresh, and connections used outside
a Session get nothing.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from flask import g
from sqlalchemy import text

from core import isolation
from core.db import db
from tests.conftest import PG_URL

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="settings exist only on PostgreSQL")]

CURRENT = text("select current_setting('samspill.scope', true), current_setting('samspill.tenant_ids', true)")


def _current():
    return tuple(db.session.execute(CURRENT).one())


@contextmanager
def _request_scoped_to(app, tenant):
    """A request context whose scope is `tenant` alone (as a request into its pages begins)."""
    with app.test_request_context():
        isolation.begin_request_scope()
        isolation.set_scope({tenant.id})
        yield


def test_scope_changes_before_a_statement_cost_one_round_trip(app, make):
    a, b = make.tenant("lazy-a"), make.tenant("lazy-b")
    with _request_scoped_to(app, a):
        with isolation.system_scope():
            pass
        isolation.set_scope({b.id}, b.id)
        assert _current() == ("tenant", str(b.id))
        assert g.samspill_settings_sent == 1
        assert _current() == ("tenant", str(b.id))
        assert g.samspill_settings_sent == 1  # unchanged scope: nothing sent again


def test_each_statement_runs_under_the_scope_of_its_moment(app, make):
    a, b = make.tenant("lazy-a"), make.tenant("lazy-b")
    with _request_scoped_to(app, a):
        assert _current() == ("tenant", str(a.id))
        with isolation.system_scope():
            assert _current()[0] == "system"
        assert _current() == ("tenant", str(a.id))
        isolation.set_scope({a.id, b.id})
        assert _current() == ("tenant", ",".join(sorted([str(a.id), str(b.id)])))


def test_a_rolled_back_savepoint_is_not_trusted(app, make):
    a, b = make.tenant("lazy-a"), make.tenant("lazy-b")
    with _request_scoped_to(app, a):
        assert _current() == ("tenant", str(a.id))
        savepoint = db.session.begin_nested()
        assert _current() == ("tenant", str(a.id))  # the SAVEPOINT is now open, under A
        isolation.set_scope({b.id})
        assert _current() == ("tenant", str(b.id))
        savepoint.rollback()  # the database forgets B; the request still acts in B
        assert _current() == ("tenant", str(b.id))


def test_every_transaction_starts_afresh(app, make):
    a = make.tenant("lazy-a")
    with _request_scoped_to(app, a):
        assert _current() == ("tenant", str(a.id))
        db.session.commit()
        assert _current() == ("tenant", str(a.id))
        assert g.samspill_settings_sent == 2


def test_connections_outside_a_session_get_nothing(app, make):
    a = make.tenant("lazy-a")
    with _request_scoped_to(app, a), db.engine.connect() as conn:
        assert tuple(conn.execute(CURRENT).one()) in ((None, None), ("", ""))


def _round_trips(dbapi_connection, run) -> int:
    """The messages of `run()` on `dbapi_connection` that make libpq wait (Sync or Query)."""
    import tempfile

    with tempfile.TemporaryFile("w+b") as trace:
        dbapi_connection.pgconn.trace(trace.fileno())
        try:
            run()
        finally:
            dbapi_connection.pgconn.untrace()
        trace.seek(0)
        lines = trace.read().decode(errors="replace").splitlines()
    return sum(1 for line in lines if "\tF\t" in line and ("\tSync" in line or "\tQuery\t" in line))


def test_the_settings_ride_with_the_statement_in_one_round_trip_inside_a_transaction(app, make):
    """BEGIN, the settings and the statement go in one pipeline: the statement sees the scope,
    the transaction stays open (the next statement still sees it), one round trip."""
    a, b = make.tenant("ride-a"), make.tenant("ride-b")
    with _request_scoped_to(app, a):
        dbapi_connection = db.session.connection().connection.dbapi_connection
        seen = []
        assert _round_trips(dbapi_connection, lambda: seen.append(_current())) == 1
        assert seen == [("tenant", str(a.id))]
        assert dbapi_connection.pgconn.transaction_status == isolation.psycopg_pq.TransactionStatus.INTRANS
        assert _current() == ("tenant", str(a.id))  # the same transaction: BEGIN went first
        isolation.set_scope({b.id})
        assert _round_trips(dbapi_connection, lambda: seen.append(_current())) == 1
        assert seen[-1] == ("tenant", str(b.id))
        assert g.samspill_settings_sent == 2
        db.session.rollback()
        assert _current() == ("tenant", str(b.id))  # a new transaction: sent again, with BEGIN
        assert g.samspill_settings_sent == 3


def test_a_failing_statement_in_the_pipeline_fails_as_before(app, make):
    from sqlalchemy.exc import DBAPIError

    a = make.tenant("ride-fail")
    with _request_scoped_to(app, a):
        with pytest.raises(DBAPIError):
            db.session.execute(text("select 1 / 0"))
        db.session.rollback()
        assert _current() == ("tenant", str(a.id))
