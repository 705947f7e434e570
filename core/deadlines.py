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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, event, func, select
from sqlalchemy.orm import Session

from core import commit_checks
from core.db import UTCDateTime, utcnow
from core.errors import DomainError

_KEY = "samspill.commit_deadlines"


@dataclass(frozen=True)
class CommitDeadline:
    """`deadline`: a statement selecting the deadline (a UTC datetime, or None for none);
    `refusal`: makes the error to raise when it has passed."""

    deadline: Select
    refusal: Callable[[], DomainError]


def refuse_after(session: Session, deadline: Select, refusal: Callable[[], DomainError]) -> None:
    """Refuse to commit this transaction once the deadline `deadline` selects has passed."""
    session.info.setdefault(_KEY, []).append(CommitDeadline(deadline, refusal))


def database_now(session: Session) -> datetime:
    """The database server's clock now (not the transaction's start time)."""
    clock = database_clock(session)
    return utcnow() if clock is None else session.execute(select(clock)).scalar_one()


def database_clock(session: Session):
    """`database_now` as a column to read along with another statement (PostgreSQL), or None
    where the clock is the app's (SQLite: `utcnow()`)."""
    return _clock() if session.get_bind().dialect.name == "postgresql" else None


def _clock() -> Any:
    """The PostgreSQL server's clock now, as a column."""
    return func.clock_timestamp(type_=UTCDateTime())


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
    columns = [_clock(), *(item.deadline.scalar_subquery() for item in pending)]
    return commit_checks.CommitCheck(columns, lambda values: _judge(pending, values[0], values[1:]))


@event.listens_for(Session, "before_commit")
def _check_deadlines_before_commit(session: Session) -> None:
    pending = session.info.get(_KEY)
    if not pending or session.in_nested_transaction():
        return  # none, or taken by the commit's last statement (`core.commit_checks`)
    session.flush()  # any lock wait happens now, before the clock is read
    # One statement: the database clock and every deadline, read afresh.
    deadlines = [item.deadline.scalar_subquery() for item in pending]
    if session.get_bind().dialect.name == "postgresql":
        now, *values = session.execute(select(_clock(), *deadlines)).one()
    else:
        now, values = utcnow(), session.execute(select(*deadlines)).one()
    _judge(pending, now, values)


@event.listens_for(Session, "after_transaction_end")
def _forget_deadlines(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_KEY, None)
