"""Parsing HTML form input for dialogue pages: Oslo wall-clock times, numbers, error texts."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")


def local_datetime(value: str | None) -> datetime | None:
    """`YYYY-MM-DDTHH:MM` as typed in a datetime-local field (Europe/Oslo) → UTC; None if empty/bad."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=OSLO)
    return parsed.astimezone(UTC)


def local_input(value: datetime | None) -> str:
    """A UTC time as the value of a datetime-local field (Europe/Oslo)."""
    return value.astimezone(OSLO).strftime("%Y-%m-%dT%H:%M") if value else ""


def integer(value: str | None, default: int | None = None) -> int | None:
    value = (value or "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        return -1  # invalid; the service's range check answers with a message next to the field


def localise(errors: dict) -> dict:
    """Field -> list of messages as plain strings. Domain errors already give their messages in
    the page language (`core.errors`: `_l` messages become `str` when read), so nothing is
    translated again here."""
    return {name: [str(m) for m in messages] for name, messages in errors.items()}


class FormErrors(dict):
    """Field -> messages, with the HTTP status the page answers with (422, 409, 412 …)."""

    status = 422


def attempt(action):
    """Run one service call for a form. Returns (result, errors); on a domain error the
    transaction is rolled back and the message comes back for the page (`errors["form"]` holds
    the clear sentence, field keys the messages next to fields, `errors.status` the HTTP status).
    401/403/404 propagate."""
    from core.db import db
    from core.errors import DomainError

    try:
        return action(), FormErrors()
    except DomainError as exc:
        db.session.rollback()
        if exc.status in (401, 403, 404):
            raise
        errors = FormErrors(localise(exc.errors))
        errors["form"] = [exc.detail]
        errors.status = exc.status
        return None, errors
