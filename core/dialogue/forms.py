"""Parsing HTML form input for dialogue pages: Oslo wall-clock times and numbers (running the
form's service call is `core.web.forms`)."""

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
