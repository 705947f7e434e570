"""Checks that ride on the last statement before COMMIT.

A check that must read the database as late as possible before a transaction commits (the
commit-time deadlines of `core.deadlines`: the server's clock and each deadline, read after
every lock wait) may offer its reads here instead of sending a statement of its own. The
writer of the commit's last statement (the audit chain's append, `core.audit`, on PostgreSQL:
one `INSERT` that also moves the chain head, sent once the head is held) takes them, adds them
to its `RETURNING` and hands the values back to the check, which raises if they refuse the
commit. Nobody takes them when the last statement cannot carry them (SQLite, several entries,
no audit entry): the check then reads them with its own statement, as before. Either way the
reads come after every lock wait of the commit and the same rule decides.

The two modules do not import each other: the check registers a provider here, the writer asks
for what is offered (decision 161).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session


@dataclass(frozen=True)
class CommitCheck:
    """`columns`: SQL expressions to read in the last statement (no table of its own, each a
    function or a scalar subquery); `judge`: called with their values in the same order,
    raises to refuse the commit; `params`: the values of the columns' bind parameters. A
    provider that offers the same column objects on every commit lets the writer keep the
    statement it builds with them."""

    columns: Sequence[Any]
    judge: Callable[[Sequence[Any]], None]
    params: Mapping[str, Any] = field(default_factory=dict)


Provider = Callable[[Session], CommitCheck | None]
_providers: list[Provider] = []


def provider(fn: Provider) -> Provider:
    """Register `fn(session)`: returns the reads the session's commit still has to make (a
    `CommitCheck`, and then treats them as taken: it will not read them itself), or None."""
    _providers.append(fn)
    return fn


def take(session: Session) -> CommitCheck | None:
    """Every check offered for this commit, combined into one; None when there is none. The
    caller must put the columns in its last statement before COMMIT and call `judge` with the
    values it read."""
    checks = [check for check in (fn(session) for fn in _providers) if check is not None]
    if not checks:
        return None
    if len(checks) == 1:
        return checks[0]
    columns = [column for check in checks for column in check.columns]
    params: dict[str, Any] = {}
    for check in checks:
        if params.keys() & check.params.keys():
            raise ValueError("two commit checks use the same parameter name")
        params.update(check.params)

    def judge(values: Sequence[Any]) -> None:
        start = 0
        for check in checks:
            check.judge(values[start:start + len(check.columns)])
            start += len(check.columns)
    return CommitCheck(columns, judge, params)
