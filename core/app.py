"""The application factory: configuration, extensions, blueprints, plugins, error handlers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask

from core import config as config_module
from core.extensions import api, babel, csrf, db, limiter, migrate

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build one Samspill application. `config` overrides environment settings (tests)."""
    instance_path = (config or {}).get("INSTANCE_PATH") or config_module.instance_path_from_env()
    app = Flask(
        "samspill",
        instance_path=os.path.abspath(instance_path) if instance_path else None,
        instance_relative_config=True,
        static_folder=str(Path(__file__).parent / "web" / "static"),
        template_folder=str(Path(__file__).parent / "web" / "templates"),
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(config_module.build_config(app.instance_path))
    if config:
        app.config.update(config)
        if "SQLALCHEMY_DATABASE_URI" in config and "SQLALCHEMY_ENGINE_OPTIONS" not in config:
            app.config["SQLALCHEMY_ENGINE_OPTIONS"] = config_module.engine_options(
                config["SQLALCHEMY_DATABASE_URI"]
            )
    _init_extensions(app)
    _register_domains(app)
    return app


def _init_extensions(app: Flask) -> None:
    from core import database_errors, i18n, input_safety

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, compare_type=True, render_as_batch=True)
    i18n.init_app(app, babel)
    csrf.init_app(app)
    input_safety.init_app(app)  # NUL, unpaired surrogates, JSON depth: refused before any view
    database_errors.register(app)  # lost connection 503, unforeseen races 409
    limiter.init_app(app)
    from core.plugin_platform.extension_data import openapi_spec_kwargs

    api.init_app(app, spec_kwargs=openapi_spec_kwargs(app))  # plugin schemas as <plugin>.<Name>
    _sqlite_pragmas(app)


def _sqlite_pragmas(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def _register_domains(app: Flask) -> None:
    """Blueprints of every domain package, in one visible order."""
    from core import auth, errors, web
    from core.api import register_api
    from core.identity import views as identity_views
    from core.procurement import models as _procurement_models  # noqa: F401  (tables)
    from tenants import views as tenant_views

    auth.init_app(app)
    errors.register_error_handlers(app)
    web.init_app(app)
    identity_views.init_app(app)
    tenant_views.init_app(app)
    from core.plugin_platform import admin as plugins_admin  # plugins before the domains that read their contributions

    plugins_admin.init_app(app)
    from core import library, procurement

    procurement.init_app(app)
    library.init_app(app)
    from core import dialogue, notifications, suppliers  # after the procurement domain (demo order)

    notifications.init_app(app)
    suppliers.init_app(app)
    dialogue.init_app(app)
    from core import transfer  # above the library and the dialogue it combines

    transfer.init_app(app)
    register_api(app, api)
    import bench  # the benchmark harness: its commands, and benchmark-only endpoints by env

    bench.init_app(app)
    from core import cli

    cli.init_app(app)
