"""`/readyz`: every configured dependency answers — the database always, Redis when
`SAMSPILL_REDIS_URL` is set, the object store when one is configured. 200 when all do, 503
naming the ones that do not (no error text: the answer is public)."""

from __future__ import annotations

import logging

from flask import current_app
from sqlalchemy import text

from core.db import db
from core.files import file_store

log = logging.getLogger(__name__)
REDIS_TIMEOUT = 2.0


def _database() -> None:
    try:
        db.session.execute(text("select 1"))
    finally:
        db.session.rollback()


def _redis() -> None:
    import redis  # noqa: PLC0415  (optional dependency: only when Redis is configured)

    client = redis.Redis.from_url(current_app.config["SAMSPILL_REDIS_URL"], socket_timeout=REDIS_TIMEOUT,
                                  socket_connect_timeout=REDIS_TIMEOUT)
    try:
        client.ping()
    finally:
        client.close()


def _object_store() -> None:
    file_store().check()


def checks() -> dict[str, object]:
    """The dependencies this instance is configured with, by name."""
    found: dict[str, object] = {"database": _database}
    if current_app.config.get("SAMSPILL_REDIS_URL"):
        found["redis"] = _redis
    if current_app.config.get("SAMSPILL_S3_BUCKET") or getattr(file_store(), "remote", False):
        found["object_store"] = _object_store
    return found


def report() -> tuple[dict[str, object], int]:
    """`({"status", "checks": {name: "ok" | "unavailable"}}, http status)`."""
    results: dict[str, str] = {}
    for name, check in checks().items():
        try:
            check()
        except Exception:  # any failure of a dependency means "not ready"
            log.warning("readiness check %s failed", name, exc_info=True)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    ready = all(value == "ok" for value in results.values())
    return {"status": "ok" if ready else "unavailable", "checks": results}, 200 if ready else 503
