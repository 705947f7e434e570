"""Hard deadlines decided when the transaction commits, by the database server's clock.

A service checks its deadline when a request starts (to refuse early, before any work), and
calls `refuse_after(...)` so the same deadline is checked again as the last step before the
transaction commits: after every pending change is flushed (so no lock wait can come later),
the deadline is read afresh from the database (a deadline moved meanwhile counts) and compared
with the database server's clock (`clock_timestamp()` on PostgreSQL, so every app host agrees;
SQLite is embedded, its clock is this machine's). A save that started a moment before the
deadline but would commit after it is refused with the service's `DeadlinePassed` and nothing
of it is written.

On PostgreSQL the clock and the deadlines usually ride on the commit's last statement, the
audit entry's insert (`core.commit_checks`): one round trip fewer while the audit chain head
is held. Without one to ride on, this module reads them itself, as the last statement.

A deadline statement is best built once, with the row it reads as a bind parameter whose value
is passed to `refuse_after` (`params`): then the columns offered to the last statement are the
same objects on every commit, and the writer keeps the statement it builds from them (its cache
key and isolation check computed once, decision 168). `RowDeadline` is that statement for a
deadline held in one row: a column (or an expression of its columns) of the row a key names.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, event, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.visitors import replacement_traverse

from core import commit_checks
from core.db import UTCDateTime, utcnow
from core.errors import DomainError

_KEY = "samspill.commit_deadlines"


@dataclass(frozen=True)
class CommitDeadline:
    """`deadline`: a statement selecting the deadline (a UTC datetime, or None for none);
    `refusal`: makes the error to raise when it has passed; `params`: the values of the
    statement's bind parameters."""

    deadline: Select
    refusal: Callable[[], DomainError]
    params: Mapping[str, Any] = field(default_factory=dict)


def refuse_after(session: Session, deadline: Select, refusal: Callable[[], DomainError],
                 params: Mapping[str, Any] | None = None) -> None:
    """Refuse to commit this transaction once the deadline `deadline` selects (with `params`
    for its bind parameters) has passed. Keep `deadline` (build it once, bind parameters for
    what varies): the commit's last statement is then built once per shape."""
    session.info.setdefault(_KEY, []).append(CommitDeadline(deadline, refusal, params or {}))


class RowDeadline:
    """The deadline `deadline` (a column, or an expression of the columns, of one table) of the
    row whose `key` column equals the bind parameter `param`: the statement built on first use
    and kept (see `refuse_after`). Calling it gives the statement."""

    def __init__(self, deadline: Any, key: Any, param: str) -> None:
        self._deadline, self._key, self.param = deadline, key, param
        self._statement: Select | None = None

    def __call__(self) -> Select:
        if self._statement is None:
            self._statement = select(self._deadline).where(self._key == bindparam(self.param))
        return self._statement

    def refuse_after(self, session: Session, row: Any, refusal: Callable[[], DomainError]) -> None:
        """`refuse_after` for the row whose key is `row`."""
        refuse_after(session, self(), refusal, {self.param: row})


def database_now(session: Session) -> datetime:
    """The database server's clock now (not the transaction's start time)."""
    clock = database_clock(session)
    return utcnow() if clock is None else session.execute(select(clock)).scalar_one()


def database_clock(session: Session):
    """`database_now` as a column to read along with another statement (PostgreSQL), or None
    where the clock is the app's (SQLite: `utcnow()`)."""
    return _clock() if session.get_bind().dialect.name == "postgresql" else None


def _clock() -> Any:
    """The PostgreSQL server's clock now, as a column (one object, kept)."""
    return _CLOCK


_CLOCK = func.clock_timestamp(type_=UTCDateTime())
# The scalar subquery of a deadline statement, by the statement object's id while it lives.
_subqueries: dict[int, tuple[weakref.ref, Any]] = {}


def _subquery(deadline: Select):
    """`deadline` as a column (its scalar subquery), the same object for the same statement."""
    key = id(deadline)
    known = _subqueries.get(key)
    if known is not None and known[0]() is deadline:
        return known[1]
    column = deadline.scalar_subquery()
    _subqueries[key] = (weakref.ref(deadline, lambda _ref: _subqueries.pop(key, None)), column)
    return column


def _columns_and_params(pending: list[CommitDeadline]) -> tuple[list[Any], dict[str, Any]]:
    """The deadlines as columns and the values of their bind parameters. Two deadlines that give
    one parameter name different values (the same statement for two rows) cannot share it: each
    of those is read with its values bound in, under parameter names of its own."""
    params: dict[str, Any] = {}
    clashing = False
    for item in pending:
        for name, value in item.params.items():
            if params.setdefault(name, value) is not value and params[name] != value:
                clashing = True
    if not clashing:
        return [_subquery(item.deadline) for item in pending], params
    return [_bound(item).scalar_subquery() for item in pending], {}


def _bound(item: CommitDeadline) -> Select:
    """The item's deadline statement with its parameter values bound in, each an anonymous
    (uniquely named) parameter."""
    def replace(element):
        if isinstance(element, BindParameter) and element.key in item.params:
            return bindparam(None, item.params[element.key], type_=element.type, unique=True)
        return None
    return replacement_traverse(item.deadline, {}, replace)


def _judge(pending: list[CommitDeadline], now: datetime, values: Sequence[Any]) -> None:
    for item, deadline in zip(pending, values, strict=True):
        if deadline is not None and now >= deadline:
            raise item.refusal()


@commit_checks.provider
def _offer_to_the_last_statement(session: Session) -> commit_checks.CommitCheck | None:
    """PostgreSQL: the clock and every deadline, for the commit's last statement to read (after
    every lock wait: the writer sends it once its own locks are held). Taken: not read again."""
    pending = session.info.get(_KEY)
    if not pending or session.in_nested_transaction() or session.get_bind().dialect.name != "postgresql":
        return None
    del session.info[_KEY]
    deadlines, params = _columns_and_params(pending)
    return commit_checks.CommitCheck((_CLOCK, *deadlines),
                                     lambda values: _judge(pending, values[0], values[1:]), params)


@event.listens_for(Session, "before_commit")
def _check_deadlines_before_commit(session: Session) -> None:
    pending = session.info.get(_KEY)
    if not pending or session.in_nested_transaction():
        return  # none, or taken by the commit's last statement (`core.commit_checks`)
    session.flush()  # any lock wait happens now, before the clock is read
    # One statement: the database clock and every deadline, read afresh.
    deadlines, params = _columns_and_params(pending)
    if session.get_bind().dialect.name == "postgresql":
        now, *values = session.execute(select(_CLOCK, *deadlines), params).one()
    else:
        now, values = utcnow(), session.execute(select(*deadlines), params).one()
    _judge(pending, now, values)


@event.listens_for(Session, "after_transaction_end")
def _forget_deadlines(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_KEY, None)
