"""Keyset (cursor) pagination: pages that cost the same at row 20 and at row 200 000.

A cursor is an opaque, URL-safe token holding the sort key of the last row shown. Callers
give the ordered columns; `keyset_page` adds the `WHERE (a, b) < (:a, :b)` condition and
fetches one row more than asked to know whether another page follows.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, and_, literal, or_, tuple_

from core.db import db
from core.errors import ValidationError
from core.i18n import _l

T = TypeVar("T")
MAX_LIMIT = 100


@dataclass
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None
    limit: int
    extra: dict[str, Any] = field(default_factory=dict)


def _encode(values: list[Any]) -> str:
    def default(v):
        if isinstance(v, datetime):
            return {"t": v.isoformat()}
        if isinstance(v, uuid.UUID):
            return {"u": str(v)}
        raise TypeError(type(v))

    raw = json.dumps(values, default=default, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list):
            raise ValueError
    except (ValueError, TypeError) as exc:
        raise ValidationError(_l("The cursor is not valid."), errors={"cursor": [_l("Not a valid cursor.")]}) from exc

    def revive(v):
        if isinstance(v, dict) and "t" in v:
            return datetime.fromisoformat(v["t"])
        if isinstance(v, dict) and "u" in v:
            return uuid.UUID(v["u"])
        return v

    return [revive(v) for v in values]


def parse_limit(limit: Any, default: int = 20) -> int:
    if limit in (None, ""):
        return default
    try:
        value = int(limit)
    except (TypeError, ValueError):
        raise ValidationError(_l("limit must be a number."),
                              errors={"limit": [_l("A number from 1 to 100.")]}) from None
    if not 1 <= value <= MAX_LIMIT:
        raise ValidationError(_l("limit must be 1-100."), errors={"limit": [_l("A number from 1 to 100.")]})
    return value


def keyset_page(stmt: Select, order: list[tuple[Any, bool]], *, limit: int, cursor: str | None,
                key=None, scalars: bool = True) -> Page:
    """One page of `stmt` ordered by `order` [(column, descending), ...]; last must be unique."""
    if cursor:
        values = _decode(cursor)
        if len(values) != len(order):
            raise ValidationError(_l("The cursor is not valid."), errors={"cursor": [_l("Not a valid cursor.")]})
        stmt = stmt.where(_after(order, values))
    stmt = stmt.order_by(*[(col.desc() if desc else col.asc()) for col, desc in order]).limit(limit + 1)
    result = db.session.execute(stmt)
    rows = list(result.scalars() if scalars else result.all())
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        next_cursor = _encode(key(last) if key else [getattr(last, col.key) for col, _ in order])
    return Page(items=rows, next_cursor=next_cursor, limit=limit)


def _after(order: list[tuple[Any, bool]], values: list[Any]):
    """(a > x) or (a = x and b > y) ... with per-column direction.

    When every column runs the same way this is the row comparison `(a, b) > (x, y)`, which
    PostgreSQL (and SQLite) can use as an index bound, so a deep page costs what the first does.
    """
    if len({desc for _col, desc in order}) == 1:
        row = tuple_(*[col for col, _desc in order])
        cursor = tuple_(*[literal(value, type_=col.type) for (col, _desc), value in zip(order, values, strict=True)])
        return row < cursor if order[0][1] else row > cursor
    clauses = []
    for i, (col, desc) in enumerate(order):
        equal_prefix = [order[j][0] == values[j] for j in range(i)]
        step = col < values[i] if desc else col > values[i]
        clauses.append(and_(*equal_prefix, step))
    return or_(*clauses)
