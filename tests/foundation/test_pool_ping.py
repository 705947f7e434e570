"""Pooled connections are pinged only after sitting idle (PostgreSQL): a busy request pays no
ping round trip, a connection the server dropped while idle is replaced before a request sees
it, and one dropped while in use fails one request with 503 and is then replaced."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from core.database_errors import ping_after_idle
from core.db import db
from tests.conftest import PG_URL, bearer

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (SAMSPILL_TEST_DATABASE_URL)")


def _pooled_backend_pids(app) -> set[int]:
    with app.app_context(), db.engine.connect() as conn:
        return {conn.execute(text("select pg_backend_pid()")).scalar_one()}


def _terminate(app, pids: set[int]) -> None:
    owner = create_engine(app.config["SAMSPILL_OWNER_DATABASE_URL"])
    try:
        with owner.connect() as conn:
            for pid in pids:
                conn.execute(text("select pg_terminate_backend(:pid)"), {"pid": pid})
    finally:
        owner.dispose()


def test_a_busy_connection_is_not_pinged(app, make, client, count_queries):
    token = make.token(make.user(tenant=make.tenant("asker", "Asker kommune"), role="officer"))
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    with count_queries() as queries:
        assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    assert not [s for s in queries.statements if s.strip().upper() == "SELECT 1"]


def test_a_connection_dropped_while_idle_is_replaced_before_the_request(app, make, client):
    token = make.token(make.user(tenant=make.tenant("asker", "Asker kommune"), role="officer"))
    with app.app_context():
        ping_after_idle(db.engine, 0.0)  # beside the app's own 10 s: every checkout counts as idle
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    _terminate(app, _pooled_backend_pids(app))
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200


def test_a_connection_dropped_in_use_fails_one_request_then_the_pool_recovers(app, make, client):
    token = make.token(make.user(tenant=make.tenant("asker", "Asker kommune"), role="officer"))
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    _terminate(app, _pooled_backend_pids(app))  # not idle for 10 s: no ping catches it
    failed = client.get("/api/v1/me", headers=bearer(token))
    assert failed.status_code == 503 and int(failed.headers["Retry-After"]) > 0
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
