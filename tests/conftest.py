"""Shared fixtures: an app on a real database built by the real migrations, clients, factories.

The suite runs on SQLite by default and on PostgreSQL when `SAMSPILL_TEST_DATABASE_URL` is
set (an owner/superuser URL). On PostgreSQL each test session gets its own database, the
migrations run as the owner, and the app connects as the non-owner role `samspill_app`, so
row-level security is in force exactly as in production.
"""

from __future__ import annotations

import os
import re
import sys
import types
import uuid
from contextlib import contextmanager

# Argon2's cheapest parameters for this suite's thousands of sign-ins (core.identity.service), set
# before the app is imported; subprocesses (servers the tests start) inherit it.
os.environ.setdefault("SAMSPILL_INSECURE_PASSWORD_HASHING_FOR_TESTS", "1")

import pluggy
import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from core import create_app
from core.db import db

PG_URL = os.environ.get("SAMSPILL_TEST_DATABASE_URL")
APP_ROLE = "samspill_app"
# Marks of a module that tests row-level security (PostgreSQL only): `pytestmark = ONLY_POSTGRES_RLS`.
ONLY_POSTGRES_RLS = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="row-level security exists only on PostgreSQL; "
                                          "set SAMSPILL_TEST_DATABASE_URL to run these"),
]
# The app's scope settings for one transaction, as bound parameters (mode, tenant ids, supplier).
SCOPE_SETTINGS = ("select set_config('samspill.scope', :mode, true), set_config('samspill.tenant_ids', :ids, true),"
                  " set_config('samspill.supplier_id', :supplier, true)")
PASSWORD = "correct horse battery"


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory):
    """(owner URL, app URL) for a fresh database of this test session."""
    if not PG_URL:
        path = tmp_path_factory.mktemp("db") / "samspill.db"
        url = f"sqlite:///{path}"
        yield url, url
        return
    base = make_url(PG_URL)
    name = f"samspill_test_{_worker()}_{os.getpid()}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        if not conn.execute(text("select 1 from pg_roles where rolname=:r"), {"r": APP_ROLE}).first():
            conn.execute(text(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS"))
    owner = base.set(database=name)
    app_url = owner.set(username=APP_ROLE, password=None)
    yield owner.render_as_string(hide_password=False), app_url.render_as_string(hide_password=False)
    for engine in _owner_engines.values():
        engine.dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def migrated(database_urls, tmp_path_factory):
    owner_url, app_url = database_urls
    os.environ["SAMSPILL_MIGRATION_DATABASE_URL"] = owner_url
    instance = tmp_path_factory.mktemp("migrate-instance")
    app = create_app({"SQLALCHEMY_DATABASE_URI": app_url, "INSTANCE_PATH": str(instance),
                      "TESTING": True, "SECRET_KEY": "test"})
    with app.app_context():
        from core.demo import upgrade_database

        upgrade_database()
        db.engine.dispose()
    return owner_url, app_url


_owner_engines: dict[str, object] = {}


def _owner_engine(owner_url: str):
    """One pooled owner engine per database for the whole session (a connection per test costs
    a new server process on PostgreSQL)."""
    engine = _owner_engines.get(owner_url)
    if engine is None:
        engine = _owner_engines[owner_url] = create_engine(owner_url, pool_size=1, max_overflow=0)
    return engine


_superusers: dict[object, bool] = {}


def _is_superuser(engine, conn) -> bool:
    """Whether the owner may switch foreign-key triggers off (asked once per session's engine)."""
    if engine not in _superusers:
        _superusers[engine] = bool(conn.execute(
            text("select rolsuper from pg_roles where rolname = current_user")).scalar())
    return _superusers[engine]


def _truncate_all(owner_url: str) -> None:
    """Empty every table of the app, in one round trip.

    On PostgreSQL as a superuser: DELETE with `session_replication_role = replica` (no foreign-key
    triggers), since TRUNCATE makes new files for each table, its indexes and TOAST, and each
    cascades to nearly every table: measured at 0.3-1.8 s per test on a busy 2-core host, against
    a few milliseconds for DELETE of the few rows a test leaves. Otherwise TRUNCATE ... CASCADE."""
    engine = _owner_engine(owner_url)
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            if _is_superuser(engine, conn):
                conn.exec_driver_sql("set local session_replication_role = replica; "
                                     + " ".join(f'DELETE FROM "{t}";' for t in tables))
            else:
                conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
def app(migrated, tmp_path):
    owner_url, app_url = migrated
    _truncate_all(owner_url)
    application = create_app({
        "SQLALCHEMY_DATABASE_URI": app_url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "SERVER_NAME": "samspill.test",
        "SAMSPILL_OWNER_DATABASE_URL": owner_url,
    })
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    """Factories that go through the real services (system scope, like the command line)."""
    return Factory(app)


class Factory:
    def __init__(self, app):
        self.app = app

    def tenant(self, slug: str | None = None, name: str | None = None):
        from tenants import service

        slug = slug or f"t-{uuid.uuid4().hex[:8]}"
        with self.app.app_context():
            tenant = service.create_tenant(slug, name or slug.title())
            db.session.commit()
            return _Ref(id=tenant.id, slug=tenant.slug, name=tenant.name)

    def user(self, email: str | None = None, *, tenant=None, role: str = "member", password: str = PASSWORD):
        from core.identity import service as identity
        from tenants import service

        email = email or f"u-{uuid.uuid4().hex[:8]}@example.no"
        with self.app.app_context():
            user = identity.find_user_by_email(email) or identity.create_user(email, password=password)
            if tenant is not None:
                service.add_member(service.get_tenant(tenant.slug), user, role)
            db.session.commit()
            return _Ref(id=user.id, email=user.email, password=password)

    def token(self, user) -> str:
        from core.identity import service as identity

        with self.app.app_context():
            issued = identity.create_token(identity.find_user_by_email(user.email), "test")
            db.session.commit()
            return issued.secret


class _Ref:
    """A plain record of what a factory made (no live ORM object crosses app contexts)."""

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def __repr__(self):
        return f"Ref({self.__dict__})"


def sign_in(client, user) -> None:
    response = client.post("/signin", data={"email": user.email, "password": user.password})
    assert response.status_code == 302, response.get_data(as_text=True)


def add_internal_plugin(app, name: str, **hooks):
    """Register an object with the given hook implementations (`samspill_x=function`) as an
    internal plugin of `app`: always on, like the platform's own packages (one test's app)."""
    marker = pluggy.HookimplMarker("samspill")
    plugin = types.ModuleType(name)  # hashable, like the modules plugins usually are
    for hook, function in hooks.items():
        setattr(plugin, hook, marker(function))
    assert app.extensions["samspill.plugins"].register(name, plugin, internal=True)
    return plugin


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


class QueryCounter:
    """Counts SQL statements sent by the app's engine (for bounded-query tests)."""

    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().lower().startswith(("select set_config", "savepoint", "release")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)

    def reset(self) -> None:
        self.statements.clear()


@contextmanager
def cursor_listener(app, listener):
    """`listener` called before each statement any connection of `app`'s engine sends, for the
    block (SQLAlchemy's `before_cursor_execute`)."""
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", listener)


@pytest.fixture
def count_queries(app):
    """Use: `with count_queries() as q: client.get(...)`, then assert q.count <= N."""
    from contextlib import contextmanager


    @contextmanager
    def counting():
        counter = QueryCounter()
        with cursor_listener(app, counter):
            yield counter

    return counting


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """xdist: the browser tests' measurements of a worker (tests/e2e/conftest.py), for the summary."""
    measured = getattr(node, "workeroutput", {}).get("e2e_measurements")
    if measured:
        from tests.e2e import conftest as e2e

        e2e._measurements.update(measured)


def pytest_terminal_summary(terminalreporter):
    """The browser tests' measurements (not asserted), taken here or in xdist's workers."""
    e2e = sys.modules.get("tests.e2e.conftest")
    if e2e is not None and e2e._measurements:
        terminalreporter.section("measurements (not asserted)")
        for label, value in sorted(e2e._measurements.items()):
            terminalreporter.write_line(f"{label}: {value:.2f}")
