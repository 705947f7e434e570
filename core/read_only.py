"""A request that only read ends its transaction with COMMIT, not ROLLBACK (PostgreSQL).

Ending a transaction either way costs the same round trip and, when the transaction only ran
SELECTs, means the same. But psycopg forgets its prepared statements on every ROLLBACK (they
might name objects the rollback undid), and every request used to end with one (the session's
removal rolls back), so no statement ever reached psycopg's `prepare_threshold`: PostgreSQL
parsed and planned every statement of every request (about 1.2 ms of the 2.2 ms of database CPU
of the API list). With COMMIT the statements a worker runs again and again are prepared on
each pooled connection after a few uses, and their plans are reused.

The rule is narrow on purpose: only when the request raised nothing, the session holds no
unflushed change, every statement of the transaction began with SELECT (a flushed INSERT,
UPDATE or DELETE, a `WITH ... UPDATE`, DDL or an `executemany` marks it as written), and the
transaction has not failed. Anything else is rolled back as before, so a view that wrote
without committing still loses its writes. A SELECT cannot change data here: the database
functions the app calls in SELECTs are read-only (STABLE), and the scope settings are
transaction-local, gone at COMMIT as at ROLLBACK.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event

from core.db import db

try:  # the PostgreSQL driver is an optional dependency (SQLite needs none)
    from psycopg import pq as psycopg_pq
except ImportError:  # pragma: no cover - installs without the `postgres` extra
    psycopg_pq = None

WROTE = "samspill.wrote"  # key in the DBAPI connection's info: this transaction ran a non-SELECT


def _mark_begin(connection) -> None:
    connection.info[WROTE] = False


def _note_statement(connection, cursor, statement, parameters, context, executemany) -> None:
    if executemany or statement.lstrip()[:6].lower() != "select":
        connection.info[WROTE] = True


def only_read(connection) -> bool:
    """Whether the transaction of `connection` ran nothing but SELECTs and has not failed."""
    if connection.info.get(WROTE, True):
        return False
    pgconn = getattr(connection.connection.dbapi_connection, "pgconn", None)
    return pgconn is not None and pgconn.transaction_status == psycopg_pq.TransactionStatus.INTRANS


def end_read_only_transaction(exc: BaseException | None = None) -> None:
    """teardown_request: COMMIT the request's transaction if it only read (see the module)."""
    session = db.session()  # this request's session
    if exc is not None or not session.in_transaction() or session.new or session.dirty or session.deleted:
        return
    try:
        if only_read(session.connection()):
            session.commit()
    except Exception:  # the connection is gone or the COMMIT failed: the removal rolls back
        session.rollback()


def init_app(app: Flask) -> None:
    """End read-only requests with COMMIT on PostgreSQL (registered last: it runs first among the
    teardown_request functions, so later ones find the read transaction ended)."""
    if psycopg_pq is None or not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        return
    with app.app_context():
        engine = db.engine
    event.listen(engine, "begin", _mark_begin)
    event.listen(engine, "before_cursor_execute", _note_statement)
    app.teardown_request(end_read_only_transaction)
