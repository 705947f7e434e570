"""Plugin problems every process sees: a table of what went wrong, de-duplicated and counted.

A plugin that fails to import or raises in a hook is reported by the host of the process it
happened in (`PluginHost.report`). That memory is one gunicorn worker's or one job worker's;
the operator asks another process (`samspill plugins list`) and the tenant admin's page may be
served by a third. So each report is also written here, one row per plugin, kind, hook and
message, with how often it happened and when first and last. Writing happens when the
application context ends (after the request, the command, the job), in a short transaction of
its own after the request's session is gone: a failed request's rollback never loses the
record, and the record never holds a lock a request is waiting for.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import Integer, String, Text, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from core.db import IdMixin, UTCDateTime, db, utcnow
from core.plugin_platform.host import current_host

log = logging.getLogger("samspill.plugins")
SHOWN_PER_PLUGIN = 20


class PluginProblem(IdMixin, db.Model):
    """One kind of problem of one plugin (platform data, not a tenant's): seen `count` times."""

    __tablename__ = "plugin_problems"

    fingerprint: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    plugin: Mapped[str] = mapped_column(String(100), index=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    hook: Mapped[str | None] = mapped_column(String(100))
    message: Mapped[str] = mapped_column(Text, nullable=False)
    count: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)


def fingerprint(plugin: str, kind: str, hook: str | None, message: str) -> str:
    return hashlib.sha256("\x1f".join((plugin, kind, hook or "", message)).encode()).hexdigest()


def write(reports: list[tuple[str, Any]]) -> None:
    """Add `(plugin, Problem)` reports to the table in a transaction of their own."""
    table = PluginProblem.__table__
    with db.engine.begin() as connection:
        for plugin, problem in reports:
            key = fingerprint(plugin, problem.kind, problem.hook, problem.message)
            bump = (update(table).where(table.c.fingerprint == key)
                    .values(count=table.c.count + 1, last_at=problem.at))
            if connection.execute(bump).rowcount:
                continue
            try:
                with connection.begin_nested():  # another process may insert the same at once
                    connection.execute(insert(table).values(
                        id=uuid.uuid4(), fingerprint=key, plugin=plugin, kind=problem.kind,
                        hook=problem.hook, message=problem.message[:10000], count=1,
                        first_at=problem.at, last_at=problem.at))
            except IntegrityError:
                connection.execute(bump)


def flush(app: Flask) -> None:
    """Write the host's unwritten reports; a database that cannot take them (not migrated,
    unreachable) leaves them in this process's memory only, logged."""
    host = app.extensions.get("samspill.plugins")
    reports = getattr(host, "unwritten", None)
    if not reports:
        return
    taken = list(reports)
    reports.clear()
    db.session.remove()  # the request's transaction is over; ours must not wait for it
    try:
        write(taken)
    except DBAPIError as exc:
        log.warning("plugin problems not recorded in the database: %s", str(exc).splitlines()[0])


def recorded(names: list[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Plugin name -> its recorded problems, latest first (at most `SHOWN_PER_PLUGIN` each),
    with this process's not yet written reports counted in."""
    stmt = select(PluginProblem).order_by(PluginProblem.last_at.desc(), PluginProblem.id)
    if names is not None:
        stmt = stmt.where(PluginProblem.plugin.in_(names))
    found: dict[str, dict[str, dict[str, Any]]] = {}
    for row in db.session.execute(stmt).scalars():
        found.setdefault(row.plugin, {})[row.fingerprint] = {
            "kind": row.kind, "hook": row.hook, "message": row.message, "count": row.count,
            "first_at": row.first_at.isoformat(), "at": row.last_at.isoformat()}
    for plugin, problem in getattr(current_host(), "unwritten", ()):
        if names is not None and plugin not in names:
            continue
        key = fingerprint(plugin, problem.kind, problem.hook, problem.message)
        entry = found.setdefault(plugin, {}).get(key)
        if entry is None:
            found[plugin][key] = {**problem.as_dict(), "count": 1, "first_at": problem.at.isoformat()}
        else:
            entry["count"] += 1
            entry["at"] = max(entry["at"], problem.at.isoformat())
    return {plugin: sorted(entries.values(), key=lambda e: e["at"], reverse=True)[:SHOWN_PER_PLUGIN]
            for plugin, entries in found.items()}


def database_not_ready(exc: DBAPIError) -> str:
    """One line for a command that found no tables (or no database) to work with."""
    lines = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    said = lines[0] if lines else type(exc).__name__
    return f"The database is not migrated or cannot be reached; run `samspill db upgrade` first ({said})."


def init_app(app: Flask) -> None:
    """Write plugin problems when each application context ends."""
    app.teardown_appcontext(lambda _exc: flush(app))
