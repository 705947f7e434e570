"""psycopg cursors whose `description` builds its column objects only when they are read.

psycopg builds a `Column` for every column of a result each time `cursor.description` is read
(its name decoded, its type looked up). SQLAlchemy reads `description` after every statement,
but once the statement's compiled form is cached (every request after the first) it keeps the
result's metadata from the first time and only asks whether there is a description at all: the
columns were built and thrown away, about 80 per rush save (~5 % of its profile).

`LazyDescriptionCursor.description` answers what psycopg's does (None where psycopg answers
None; otherwise a sequence of the same length whose items, iteration, slices and equality are
psycopg's own `Column` objects for the same result), but builds the columns on first access of
an item, from the result it was made for (even if the cursor has run another statement since).
Installed on every new psycopg connection (an engine `connect` listener, registered when this
module is imported by `core.app`), unless the connection has a cursor factory of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

try:  # the PostgreSQL driver is an optional dependency (SQLite needs none)
    import psycopg
    from psycopg import pq as psycopg_pq
except ImportError:  # pragma: no cover - installs without the `postgres` extra
    psycopg = psycopg_pq = None


class _ResultOf:
    """What psycopg's `Column` reads of a cursor, for one result."""

    __slots__ = ("pgresult", "_encoding", "adapters")

    def __init__(self, cursor: Any, pgresult: Any) -> None:
        self.pgresult, self._encoding, self.adapters = pgresult, cursor._encoding, cursor.adapters  # noqa: SLF001


class LazyDescription(Sequence):
    """A result's column descriptions, built on first access of an item."""

    __slots__ = ("_cursor", "_pgresult", "_columns")

    def __init__(self, cursor: Any, pgresult: Any) -> None:
        self._cursor, self._pgresult, self._columns = cursor, pgresult, None

    def _built(self) -> list:
        if self._columns is None:
            cursor = self._cursor
            source = cursor if cursor.pgresult is self._pgresult else _ResultOf(cursor, self._pgresult)
            self._columns = [psycopg.Column(source, i) for i in range(self._pgresult.nfields)]
            self._cursor = None
        return self._columns

    def __len__(self) -> int:
        return self._pgresult.nfields

    def __getitem__(self, index):
        return self._built()[index]

    def __iter__(self):
        return iter(self._built())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyDescription):
            other = other._built()  # noqa: SLF001
        return self._built() == other

    __hash__ = None  # a list's: unhashable

    def __repr__(self) -> str:
        return repr(self._built())


if psycopg is not None:
    _ROWS = (psycopg_pq.ExecStatus.TUPLES_OK, psycopg_pq.ExecStatus.SINGLE_TUPLE,
             getattr(psycopg_pq.ExecStatus, "TUPLES_CHUNK", psycopg_pq.ExecStatus.TUPLES_OK))

    class LazyDescriptionCursor(psycopg.Cursor):
        """psycopg's cursor, with `description` built lazily (see the module)."""

        @property
        def description(self):
            res = self.pgresult
            if res and (res.nfields or res.status in _ROWS):  # the condition of psycopg's own
                return LazyDescription(self, res)
            return None
else:  # pragma: no cover
    LazyDescriptionCursor = None


@event.listens_for(Engine, "connect")
def _lazy_description(dbapi_connection, _record) -> None:
    """Every new psycopg connection (of any engine) gets the lazily describing cursor, unless it
    has a cursor factory of its own."""
    if LazyDescriptionCursor is not None and getattr(dbapi_connection, "cursor_factory", None) is psycopg.Cursor:
        dbapi_connection.cursor_factory = LazyDescriptionCursor
