"""Fixtures for the plugin platform tests: real distributions with real entry points.

`plugin_dist(name, source)` writes a plugin module and a `*.dist-info` (METADATA and
`entry_points.txt` in the `samspill.plugins` group) into a temporary directory on `sys.path`,
so `importlib.metadata` finds it exactly like a pip-installed package. `fresh_app()` builds an
app *after* such distributions exist (the plain `app` fixture is created too early for them).
"""

from __future__ import annotations

import importlib
import sys
import textwrap
import uuid
from contextlib import contextmanager

import pytest

from core import create_app
from core.db import db
from tests.conftest import Factory, _truncate_all


@pytest.fixture
def plugin_dist(tmp_path, monkeypatch):
    created: list[str] = []

    def install(name: str, source: str, *, version: str = "1.0.0", module: str | None = None,
                entry_point: str | None = None) -> str:
        module = module or f"samspill_test_{name}_{uuid.uuid4().hex[:6]}"
        root = tmp_path / f"site-{module}"
        root.mkdir()
        (root / f"{module}.py").write_text(textwrap.dedent(source))
        dist = f"samspill_test_{name}"
        info = root / f"{dist}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist.replace('_', '-')}\nVersion: {version}\n")
        (info / "entry_points.txt").write_text(
            f"[samspill.plugins]\n{name} = {entry_point or module}\n")
        monkeypatch.syspath_prepend(str(root))
        importlib.invalidate_caches()
        created.append(module)
        return module

    yield install
    for module in created:
        sys.modules.pop(module, None)


@pytest.fixture
def fresh_app(migrated, tmp_path):
    """Build an app now (after `plugin_dist`), on the session's migrated, emptied database."""
    owner_url, app_url = migrated
    apps = []

    def build(**config):
        _truncate_all(owner_url)
        application = create_app({
            "SQLALCHEMY_DATABASE_URI": app_url,
            "INSTANCE_PATH": str(tmp_path / f"instance-{len(apps)}"),
            "TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False, "RATELIMIT_STORAGE_URI": "memory://",
            "SERVER_NAME": "samspill.test", **config,
        })
        apps.append(application)
        return application

    yield build
    for application in apps:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def factory(app) -> Factory:
    return Factory(app)


def enable(app, slug: str, *names: str, **settings) -> None:
    """Enable plugins for a tenant the way the CLI does (no permission check)."""
    from core.plugin_platform import state as service
    from tenants import service as tenants

    with app.app_context():
        tenant = tenants.get_tenant(slug)
        for name in names:
            service.set_enabled(tenant, name, True, check_access=False)
            if settings:
                service.update_settings(tenant, name, settings, check_access=False)
        db.session.commit()


def host(app):
    return app.extensions["samspill.plugins"]


@contextmanager
def acting(app, user, tenant):
    """A request context as `user` inside `tenant` (to call services like a page does)."""
    from flask import g

    from core import isolation
    from core.auth import principal_for
    from core.identity.models import User

    with app.test_request_context():
        g.principal = principal_for(db.session.get(User, user.id))
        isolation.set_scope({tenant.id}, stamp_tenant_id=tenant.id)
        yield


def joint_procurement(app, lead_user, lead, participant, *, domain="welfare_tech",
                      title="Tryggere hverdag") -> uuid.UUID:
    """A procurement led by `lead` with `participant` as an active buyer."""
    from core import isolation
    from core.procurement import service as procurements
    from core.procurement.models import ParticipantRole, Participation, ParticipationStatus
    from tenants.models import Tenant

    with acting(app, lead_user, lead):
        procurement = procurements.create_procurement(
            db.session.get(Tenant, lead.id), title=title, domain=domain)
        db.session.flush()
        if participant is not None:
            with isolation.system_scope():
                db.session.add(Participation(
                    procurement_id=procurement.id, tenant_id=participant.id,
                    role=ParticipantRole.buyer, status=ParticipationStatus.active))
        db.session.commit()
        return procurement.id


@pytest.fixture
def scratch_database(database_urls, tmp_path):
    """(owner URL, app URL) of a brand-new, empty database of its own: an SQLite file, or on
    PostgreSQL a database dropped after the test (the app URL is the non-owner role)."""
    import os

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    owner_url, _app_url = database_urls
    if owner_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'scratch.db'}"
        yield url, url
        return
    name = f"samspill_scratch_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(owner_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    owner = make_url(owner_url).set(database=name)
    app_url = owner.set(username="samspill_app", password=None)
    yield owner.render_as_string(hide_password=False), app_url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def instance_on(scratch_database, tmp_path, monkeypatch):
    """`instance_on(**config)`: an app on the scratch database, as the command line builds it
    (migrations run as the owner)."""
    owner_url, app_url = scratch_database
    monkeypatch.setenv("SAMSPILL_MIGRATION_DATABASE_URL", owner_url)
    monkeypatch.setenv("SAMSPILL_DEMO_PASSWORD", "demo password 1")
    apps = []

    def build(**config):
        application = create_app({
            "SQLALCHEMY_DATABASE_URI": app_url, "INSTANCE_PATH": str(tmp_path / f"inst-{len(apps)}"),
            "TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False, "RATELIMIT_STORAGE_URI": "memory://",
            "SERVER_NAME": "samspill.test", **config})
        apps.append(application)
        return application

    yield build
    for application in apps:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def plugin_package(tmp_path, monkeypatch):
    """`plugin_package(name, {relative path: text or bytes})`: a plugin *package* (with
    templates, translations, migrations ...) as a real distribution on `sys.path`; the entry
    point is the package. Returns the package's import name."""
    created: list[str] = []

    def install(name: str, files: dict, *, version: str = "1.0.0") -> str:
        package = f"samspill_test_{name}_{uuid.uuid4().hex[:6]}"
        root = tmp_path / f"site-{package}"
        for relative, content in files.items():
            path = root / package / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content))
        info = root / f"samspill_test_{name}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: samspill-test-{name}\nVersion: {version}\n")
        (info / "entry_points.txt").write_text(f"[samspill.plugins]\n{name} = {package}\n")
        monkeypatch.syspath_prepend(str(root))
        importlib.invalidate_caches()
        created.append(package)
        return package

    yield install
    for package in created:
        for module in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            sys.modules.pop(module, None)
