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
- `samspill_token` – a personal API token of the admin: `{"Authorization": f"Bearer {samspill_token}"}`.
- `samspill_procurement` – a procurement led by the tenant (`.id`, `.title`, `.domain`);
  `make_samspill_procurement(title=None, domain=None, tenant=None)` for more, e.g. of your domain.
- `fire_event(event, procurement, **details)` – announce a lifecycle event to the plugins the
  lead enabled, as the platform does: `fire_event("artefact_published", samspill_procurement,
  artefact_type="minutes", artefact=obj)`, `fire_event("deadline_passed", samspill_procurement,
  artefact_type="questionnaire", artefact=obj)` (`deadline` defaults to now), also
  `procurement_created` and `phase_changed`. Your handlers run in the tenant's scope and their
  writes are committed.

PostgreSQL: set `SAMSPILL_TEST_DATABASE_URL` to an owner (superuser) URL, e.g.
`postgresql+psycopg://postgres@127.0.0.1/postgres`. Each session then gets a database of its
own (dropped afterwards), migrated as the owner, and the app connects as the non-owner role
`samspill_app`, so row-level security applies exactly as in production.

The imports of the platform (`core`, `tenants`) stay inside the fixtures: pytest imports this
module through the `pytest11` entry point in every test session where Samspill is installed,
before coverage starts and before the suite's conftest configures anything, and importing the
app there would import it too early (and in sessions that never use these fixtures).
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from flask import g
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PASSWORD = "plugin tests only 1"  # noqa: S105 - a throwaway test database's only user
APP_ROLE = "samspill_app"


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
def samspill_database_urls(tmp_path_factory):
    """(owner URL, app URL) of this session's database: an SQLite file, or a fresh PostgreSQL
    database when `SAMSPILL_TEST_DATABASE_URL` is set (the app URL is the non-owner role)."""
    base = os.environ.get("SAMSPILL_TEST_DATABASE_URL")
    if not base:
        url = f"sqlite:///{tmp_path_factory.mktemp('samspill-db') / 'samspill.db'}"
        yield url, url
        return
    name = f"samspill_plugin_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        if not conn.execute(text("select 1 from pg_roles where rolname = :r"), {"r": APP_ROLE}).first():
            conn.execute(text(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS"))
    owner = make_url(base).set(database=name)
    yield (owner.render_as_string(hide_password=False),
           owner.set(username=APP_ROLE, password=None).render_as_string(hide_password=False))
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def samspill_database(samspill_database_urls, tmp_path_factory) -> str:
    """URL the app uses, of a database migrated to every head (your plugin's branch included),
    once per test session."""
    from core import create_app  # noqa: PLC0415 - deferred (pytest11 plugin): see the docstring
    from core.db import db  # noqa: PLC0415 - deferred (pytest11 plugin)
    from core.demo import upgrade_database  # noqa: PLC0415 - deferred (pytest11 plugin)

    owner_url, app_url = samspill_database_urls
    app = create_app(_config(app_url, str(tmp_path_factory.mktemp("samspill-migrate"))))
    with _migration_url(owner_url), app.app_context():
        upgrade_database()
        db.engine.dispose()
    return app_url


def _empty_tables(owner_url: str) -> None:
    from core.db import db  # noqa: PLC0415 - deferred (pytest11 plugin)

    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    engine = create_engine(owner_url)  # the owner: row-level security hides rows from the app
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE"))
            else:
                for table in tables:
                    conn.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608 - our own table names
    finally:
        engine.dispose()


@pytest.fixture
def samspill_app(samspill_database, samspill_database_urls, tmp_path):
    """A Samspill app with the installed plugins loaded, on an emptied database."""
    from core import create_app  # noqa: PLC0415 - deferred (pytest11 plugin)
    from core.db import db  # noqa: PLC0415 - deferred (pytest11 plugin)

    app = create_app(_config(samspill_database, str(tmp_path / "samspill-instance")))
    _empty_tables(samspill_database_urls[0])
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def make_samspill_tenant(samspill_app):
    def make(slug: str | None = None, name: str | None = None) -> SimpleNamespace:
        from core.db import db  # noqa: PLC0415 - deferred (pytest11 plugin)
        from tenants import service  # noqa: PLC0415 - deferred (pytest11 plugin)

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
    from core.db import db  # noqa: PLC0415 - deferred (pytest11 plugin)
    from core.identity import service as identity  # noqa: PLC0415 - deferred (pytest11 plugin)
    from tenants import service  # noqa: PLC0415 - deferred (pytest11 plugin)

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
        from core.db import db  # noqa: PLC0415 - deferred (pytest11 plugin)
        from core.plugin_platform import state as service  # noqa: PLC0415 - deferred (pytest11 plugin)
        from tenants import service as tenants  # noqa: PLC0415 - deferred (pytest11 plugin)

        with samspill_app.app_context():
            target = tenants.get_tenant((tenant or samspill_tenant).slug)
            service.set_enabled(target, name, True, check_access=False)
            if settings:
                service.update_settings(target, name, settings, check_access=False)
            db.session.commit()

    return enable


@contextmanager
def _acting(app, user_id, tenant_id):
    """A request context as `user_id` inside the tenant's space (services run as on a page)."""
    from core import isolation  # noqa: PLC0415 - deferred (pytest11 plugin)
    from core.auth import principal_for  # noqa: PLC0415 - deferred (pytest11 plugin)
    from core.db import db  # noqa: PLC0415 - deferred (pytest11 plugin)
    from core.identity.models import User  # noqa: PLC0415 - deferred (pytest11 plugin)

    with app.test_request_context():
        g.principal = principal_for(db.session.get(User, user_id))
        isolation.set_scope({tenant_id}, stamp_tenant_id=tenant_id)
        yield


@pytest.fixture
def samspill_token(samspill_app, samspill_admin) -> str:
    """A personal API token of the tenant's admin (the secret, for a Bearer header)."""
    from core.db import db  # noqa: PLC0415 - deferred (pytest11 plugin)
    from core.identity import service as identity  # noqa: PLC0415 - deferred (pytest11 plugin)

    with samspill_app.app_context():
        issued = identity.create_token(identity.find_user_by_email(samspill_admin.email), "plugin tests")
        db.session.commit()
        return issued.secret


@pytest.fixture
def make_samspill_procurement(samspill_app, samspill_tenant, samspill_admin):
    """`make_samspill_procurement(title=None, domain=None, tenant=None)`: a procurement led by
    the tenant, created by its admin through the platform (plugins the tenant enabled hear
    `procurement_created`)."""

    def make(title: str | None = None, domain: str | None = None, tenant=None) -> SimpleNamespace:
        from core.db import db  # noqa: PLC0415 - deferred (pytest11 plugin)
        from core.procurement import service  # noqa: PLC0415 - deferred (pytest11 plugin)
        from tenants import service as tenants  # noqa: PLC0415 - deferred (pytest11 plugin)

        lead = tenant or samspill_tenant
        if lead.id != samspill_tenant.id:  # the admin creates it, so make them one there too
            with samspill_app.app_context():
                from core.identity import service as identity  # noqa: PLC0415 - deferred (pytest11 plugin)

                tenants.add_member(tenants.get_tenant(lead.slug),
                                   identity.find_user_by_email(samspill_admin.email), "admin")
                db.session.commit()
        with _acting(samspill_app, samspill_admin.id, lead.id):
            procurement = service.create_procurement(
                tenants.get_tenant(lead.slug), title=title or "Plugin test procurement", domain=domain)
            db.session.commit()
            return SimpleNamespace(id=procurement.id, title=procurement.title, domain=procurement.domain,
                                   lead_tenant_id=procurement.lead_tenant_id)

    return make


@pytest.fixture
def samspill_procurement(make_samspill_procurement) -> SimpleNamespace:
    return make_samspill_procurement()


@pytest.fixture
def fire_event(samspill_app, samspill_admin):
    """`fire_event(event, procurement, **details)`: tell the lead's enabled plugins about a
    lifecycle event, inside a transaction that is committed (your handlers' writes stay)."""

    def fire(event: str, procurement, **details) -> None:
        from core.db import db, utcnow  # noqa: PLC0415 - deferred (pytest11 plugin)
        from core.plugin_api import emit  # noqa: PLC0415 - deferred (pytest11 plugin)
        from core.procurement.models import Procurement  # noqa: PLC0415 - deferred (pytest11 plugin)

        if event == "deadline_passed":
            details.setdefault("deadline", utcnow())
        with samspill_app.app_context():
            lead_id = db.session.get(Procurement, procurement.id).lead_tenant_id
        with _acting(samspill_app, samspill_admin.id, lead_id):
            emit(event, db.session.get(Procurement, procurement.id), **details)
            db.session.commit()

    return fire
