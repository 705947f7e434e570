"""The safety net for database errors no service turned into a domain error.

Known causes are fixed where they arise (a service catches its own unique-key race or stale
version and answers a domain error); what is left is mapped here so a person never sees a 500
for something that is not a bug in their request:

- the database cannot be reached or the connection was lost (`OperationalError`,
  `InterfaceError`, a DBAPI error that invalidated its connection, an exhausted pool) → 503 with
  `Retry-After`, for pages and the API alike;
- a unique or foreign-key race a service did not foresee (`IntegrityError`) → 409;
- a row whose version moved under an unguarded write (`StaleDataError`) → 409.

Each is logged with its traceback, so the 409s show where a known cause still needs a fix.

A pooled connection is tested before use only when it has sat idle for a while
(`SAMSPILL_DB_PING_AFTER_IDLE` seconds, default 10): a busy worker's connection was used a
moment ago, so pinging it on every checkout (SQLAlchemy's `pool_pre_ping`) cost a round trip per
request for nothing. A connection the server dropped while it was in use fails that one request
with 503, and SQLAlchemy then replaces every older connection of the pool; `pool_recycle`
retires connections before firewalls or the server's idle timeouts cut them.
"""

from __future__ import annotations

import time

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, DisconnectionError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError

from core.db import db
from core.errors import Conflict, DomainError, _html_error, localised_title, problem_response, wants_problem_json
from core.i18n import _l

RETRY_AFTER_SECONDS = 30
PING_AFTER_IDLE_SECONDS = 10.0
_RETURNED_AT = "samspill.returned_at"  # key in the pool record's info: when it was last checked in


class DatabaseUnavailable(DomainError):
    status = 503
    slug = "service-unavailable"
    title = _l("Service unavailable")


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone; the session is discarded anyway
        current_app.logger.debug("rollback after a database error failed", exc_info=True)


def _answer(error: DomainError, status_headers: dict[str, str] | None = None):
    if wants_problem_json():
        response = problem_response(error.status, error.slug, error.title, error.detail)
    else:
        html, status = _html_error(error.status, localised_title(error.status), error.detail)
        response = current_app.make_response((html, status))
    response.headers.update(status_headers or {})
    return response


def _unavailable(error: Exception):
    current_app.logger.warning("database unavailable: %s", error, exc_info=error)
    _rollback()
    return _answer(DatabaseUnavailable(_l("The database cannot be reached just now. Try again in a little while.")),
                   {"Retry-After": str(RETRY_AFTER_SECONDS)})


def _conflict(error: Exception):
    current_app.logger.warning("unguarded database conflict: %s", error, exc_info=error)
    _rollback()
    return _answer(Conflict(_l("Someone else changed the same thing at the same moment. Reload and try again.")))


def _dbapi_error(error: DBAPIError):
    if error.connection_invalidated:
        return _unavailable(error)
    raise error  # a bug: the ordinary 500 handler answers and logs it


def register(app: Flask) -> None:
    for unavailable in (OperationalError, InterfaceError, PoolTimeout):
        app.register_error_handler(unavailable, _unavailable)
    for conflict in (IntegrityError, StaleDataError):
        app.register_error_handler(conflict, _conflict)
    app.register_error_handler(DBAPIError, _dbapi_error)


def ping_after_idle(engine, idle_seconds: float) -> None:
    """Test a pooled connection on checkout only when it was idle longer than `idle_seconds`;
    a dead one is replaced before the request sees it (the pool retries the checkout)."""

    @event.listens_for(engine, "checkin")
    def _returned(dbapi_connection, record) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, proxy) -> None:
        returned = record.info.get(_RETURNED_AT)
        if returned is None or time.monotonic() - returned < idle_seconds:
            return  # new, or used a moment ago
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
        except Exception as exc:  # any failure: the connection is unusable
            raise DisconnectionError(f"pooled connection failed its ping after {idle_seconds:g} s idle") from exc


def init_pool(app: Flask) -> None:
    """The idle ping for database servers (SQLite opens files, nothing to ping)."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    with app.app_context():
        engine = db.engine
    ping_after_idle(engine, float(app.config.get("SAMSPILL_DB_PING_AFTER_IDLE", PING_AFTER_IDLE_SECONDS)))
