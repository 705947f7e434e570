"""Database errors no service foresaw never answer 500: an unreachable database is 503 with
Retry-After (pages and API), an unforeseen unique-key race or stale row is 409."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.orm.exc import StaleDataError

from core import isolation
from core.app import create_app
from core.db import db
from tenants.models import Tenant
from tests.conftest import bearer

UNREACHABLE = "postgresql+psycopg://samspill_app@127.0.0.1:1/samspill?connect_timeout=2"


@pytest.fixture
def app_without_database(tmp_path):
    application = create_app({
        "SQLALCHEMY_DATABASE_URI": UNREACHABLE, "INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True,
        "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": "samspill.test",
    })
    yield application
    with application.app_context():
        db.engine.dispose()


def test_api_answers_503_with_retry_after_when_the_database_is_unreachable(app_without_database):
    response = app_without_database.test_client().get("/api/v1/me", headers=bearer("ssp_" + "x" * 43))
    assert response.status_code == 503, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    assert response.json["type"].endswith("/service-unavailable")


def test_pages_answer_503_with_retry_after_when_the_database_is_unreachable(app_without_database):
    response = app_without_database.test_client().post("/signin", data={"email": "kari@asker.no", "password": "x"})
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    assert int(response.headers["Retry-After"]) > 0


def _route(app, path, fn):
    app.add_url_rule(path, path.strip("/").replace("/", "_"), fn, methods=["POST"])


def test_an_unforeseen_unique_key_race_answers_409_and_writes_nothing(app, make, client):
    make.tenant("asker", "Asker kommune")

    def duplicate():  # stands for any service that forgot its own race
        db.session.add(Tenant(id=uuid.uuid4(), slug="asker", name="Asker igjen"))
        db.session.flush()
        return "unreachable"

    _route(app, "/api/v1/_test/duplicate", duplicate)
    response = client.post("/api/v1/_test/duplicate")
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    with app.app_context(), isolation.system_scope():
        assert [t.name for t in db.session.execute(db.select(Tenant)).scalars()] == ["Asker kommune"]


def test_an_unguarded_stale_write_answers_409(app, client):
    def stale():
        raise StaleDataError("UPDATE statement on table 'x' expected to update 1 row(s); 0 were matched.")

    _route(app, "/_test/stale", stale)
    response = client.post("/_test/stale", headers={"Accept": "text/html"})
    assert response.status_code == 409
    assert response.mimetype == "text/html"
