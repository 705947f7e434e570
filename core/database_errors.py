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
"""

from __future__ import annotations

from flask import Flask, current_app
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError

from core.db import db
from core.errors import Conflict, DomainError, _html_error, localised_title, problem_response, wants_problem_json
from core.i18n import _l

RETRY_AFTER_SECONDS = 30


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
