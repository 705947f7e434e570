"""Keyset (cursor) pagination: pages that cost the same at row 20 and at row 200 000.

A cursor is an opaque, URL-safe token holding the sort key of the last row shown. Callers
give the ordered columns; `keyset_page` adds the `WHERE (a, b) < (:a, :b)` condition and
fetches one row more than asked to know whether another page follows.

Hot lists build their statement once at import instead (`after_bound`, `after_params` and
`page_of`): the cursor's values become bind parameters of a prebuilt `WHERE (a, b) < (...)`.
"""

from __future__ import annotations

import base64
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import ColumnElement, Select, and_, bindparam, literal, or_, tuple_

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


def _invalid_cursor() -> ValidationError:
    return ValidationError(_l("The cursor is not valid."), errors={"cursor": [_l("Not a valid cursor.")]})


def _decode(cursor: str) -> list[Any]:
    def revive(v):
        if isinstance(v, dict) and "t" in v:
            return datetime.fromisoformat(v["t"])
        if isinstance(v, dict) and "u" in v:
            return uuid.UUID(v["u"])
        return v

    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list):
            raise ValueError
        return [revive(v) for v in values]
    except (ValueError, TypeError, AttributeError) as exc:
        raise _invalid_cursor() from exc


def cursor_values(cursor: str, columns: list[Any]) -> list[Any]:
    """The sort key a cursor holds, checked against the `columns` it bounds (422 otherwise) —
    for callers that run a prebuilt keyset statement of their own."""
    values = _decode(cursor)
    if len(values) != len(columns) or not all(map(_fits, values, columns)):
        raise _invalid_cursor()
    return values


def _fits(value: Any, column: Any) -> bool:
    """Whether a decoded cursor value has the type of the column it bounds (a client may send
    any well-formed token; a wrong type must be a 422, not a database error)."""
    type_ = getattr(column.type, "impl_instance", column.type)  # a TypeDecorator answers `object`
    try:
        expected = type_.python_type
    except NotImplementedError:
        return value is not None
    if expected is datetime:
        return isinstance(value, datetime) and value.tzinfo is not None
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


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
        if len(values) != len(order) or not all(map(_fits, values, [col for col, _desc in order])):
            raise _invalid_cursor()
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


def after_bound(columns: tuple[Any, ...], descending: bool) -> ColumnElement[bool]:
    """For a statement built once: the row comparison `(a, b) < (:after_0, :after_1)` (or `>`)
    past a cursor, its values bound by `after_params`. Every column runs the same way."""
    row = tuple_(*columns)
    bound = tuple_(*[bindparam(f"after_{i}", type_=col.type) for i, col in enumerate(columns)])
    return row < bound if descending else row > bound


def after_params(cursor: str, columns: tuple[Any, ...]) -> dict[str, Any]:
    """The bind parameters of `after_bound` from a cursor (422 when it does not fit the columns)."""
    return {f"after_{i}": value for i, value in enumerate(cursor_values(cursor, list(columns)))}


def page_of(rows: list[Any], limit: int, key) -> Page:
    """The page of rows read with `LIMIT limit + 1`; `key(row)` gives the next cursor's values."""
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(items=rows, next_cursor=_encode(key(rows[-1])) if more and rows else None, limit=limit)
