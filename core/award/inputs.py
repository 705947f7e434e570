"""Reading the award package's request bodies: texts, scores, dates, amounts — each bad value
becomes a message next to its field (422), never a 500."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from core.i18n import _l

MAX_TEXT = 4000


def text(data: dict, key: str, errors: dict, *, required: bool = True, minimum: int = 1,
         maximum: int = MAX_TEXT) -> str:
    value = data.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[key] = [_l("Write a text.")]
        return ""
    value = value.strip()
    if (required and len(value) < minimum) or len(value) > maximum:
        errors[key] = [_l("Write %(min)d to %(max)d characters.", min=minimum, max=maximum)]
    return value


def uuid_or_none(value: Any) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def score(value: Any) -> int | None:
    """A whole score from 0 to 10, else None."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        return None
    return value


def day(data: dict, key: str, errors: dict) -> date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors[key] = [_l("A date (YYYY-MM-DD).")]
        return None


def amount_ore(data: dict, key: str, errors: dict) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**15:
        errors[key] = [_l("An amount in øre from 0.")]
        return None
    return value


def body(data: Any) -> dict:
    return data if isinstance(data, dict) else {}
