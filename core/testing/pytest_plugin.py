"""pytest fixtures for Samspill plugin authors, registered under the `pytest11` entry point.

Installing Samspill makes these available in any test suite (names prefixed so they never
clash with a project's own `app`/`client` fixtures):

- `samspill_app` – a Samspill app on a migrated SQLite database (every Alembic head, your
  plugin's branch included), emptied before each test; your installed plugin is loaded
  through its entry point exactly as in production.
- `samspill_tenant` – a tenant (`.id`, `.slug`, `.name`).
- `samspill_admin` – an admin of that tenant (`.email`, `.password`, `.id`).
- `samspill_client` – a test client signed in as that admin.
- `samspill_runner` – a CLI runner for `samspill` commands.
- `enable_plugin(name, tenant=None, **settings)` – enable an installed plugin (optionally
  with settings, validated by its schema) for a tenant.
- `make_samspill_tenant(slug=None)` – more tenants.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from types import SimpleNamespace

import pytest

PASSWORD = "plugin tests only 1"  # noqa: S105 - a throwaway test database's only user


@contextmanager
def _migration_url(url: str):
    previous = os.environ.get("SAMSPILL_MIGRATION_DATABASE_URL")
    os.environ["SAMSPILL_MIGRATION_DATABASE_URL"] = url
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("SAMSPILL_MIGRATION_DATABASE_URL", None)
        else:
            os.environ["SAMSPILL_MIGRATION_DATABASE_URL"] = previous


def _config(url: str, instance: str) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance, "TESTING": True,
            "SECRET_KEY": "samspill-plugin-tests", "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False, "RATELIMIT_STORAGE_URI": "memory://",
            "SERVER_NAME": "samspill.test"}


@pytest.fixture(scope="session")
def samspill_database(tmp_path_factory) -> str:
    """URL of a SQLite database migrated to every head, once per test session."""
    from core import create_app
    from core.db import db
    from core.demo import upgrade_database

    url = f"sqlite:///{tmp_path_factory.mktemp('samspill-db') / 'samspill.db'}"
    app = create_app(_config(url, str(tmp_path_factory.mktemp("samspill-migrate"))))
    with _migration_url(url), app.app_context():
        upgrade_database()
        db.engine.dispose()
    return url


def _empty_tables(app) -> None:
    from sqlalchemy import text

    from core.db import db

    with app.app_context(), db.engine.begin() as conn:
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(text(f'DELETE FROM "{table.name}"'))  # noqa: S608 - our own table names


@pytest.fixture
def samspill_app(samspill_database, tmp_path):
    """A Samspill app with the installed plugins loaded, on an emptied database."""
    from core import create_app
    from core.db import db

    app = create_app(_config(samspill_database, str(tmp_path / "samspill-instance")))
    _empty_tables(app)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def make_samspill_tenant(samspill_app):
    def make(slug: str | None = None, name: str | None = None) -> SimpleNamespace:
        from core.db import db
        from tenants import service

        slug = slug or f"p-{uuid.uuid4().hex[:8]}"
        with samspill_app.app_context():
            tenant = service.create_tenant(slug, name or slug.title())
            db.session.commit()
            return SimpleNamespace(id=tenant.id, slug=tenant.slug, name=tenant.name)

    return make


@pytest.fixture
def samspill_tenant(make_samspill_tenant) -> SimpleNamespace:
    return make_samspill_tenant("plugin-test", "Plugin Test kommune")


@pytest.fixture
def samspill_admin(samspill_app, samspill_tenant) -> SimpleNamespace:
    from core.db import db
    from core.identity import service as identity
    from tenants import service

    email = f"admin-{uuid.uuid4().hex[:6]}@plugin-test.example"
    with samspill_app.app_context():
        user = identity.create_user(email, password=PASSWORD)
        service.add_member(service.get_tenant(samspill_tenant.slug), user, "admin")
        db.session.commit()
        return SimpleNamespace(id=user.id, email=email, password=PASSWORD)


@pytest.fixture
def samspill_client(samspill_app, samspill_admin):
    """A test client signed in as the tenant's admin."""
    client = samspill_app.test_client()
    response = client.post("/signin", data={"email": samspill_admin.email,
                                            "password": samspill_admin.password})
    assert response.status_code == 302, "sign-in of the test admin failed"
    return client


@pytest.fixture
def samspill_runner(samspill_app):
    return samspill_app.test_cli_runner()


@pytest.fixture
def enable_plugin(samspill_app, samspill_tenant):
    """`enable_plugin("my_plugin", tenant=None, **settings)` enables an installed plugin."""

    def enable(name: str, tenant=None, **settings) -> None:
        from core.db import db
        from core.plugin_platform import state as service
        from tenants import service as tenants

        with samspill_app.app_context():
            target = tenants.get_tenant((tenant or samspill_tenant).slug)
            service.set_enabled(target, name, True, check_access=False)
            if settings:
                service.update_settings(target, name, settings, check_access=False)
            db.session.commit()

    return enable
