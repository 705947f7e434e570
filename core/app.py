"""The application factory: configuration, extensions, the plugin host with the platform's own
packages as internal plugins, and the shells (auth, errors, web, API, CLI) that gather them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from core import (
    auth,
    cli,
    database_errors,
    db_cursor,  # noqa: F401 - registers the lazily describing psycopg cursor
    errors,
    i18n,
    input_safety,
    ops,
    read_only,
    session_cookie,
    web,
)
from core import config as config_module
from core.account import views as account_views
from core.api import register_api
from core.award import plugin as award
from core.benefits import plugin as benefits
from core.competition import plugin as competition
from core.dialogue import plugin as dialogue
from core.exports import plugin as exports
from core.extensions import api, babel, csrf, db, limiter, migrate
from core.flask_app import App
from core.jobs import plugin as jobs
from core.library import plugin as library
from core.notifications import plugin as notifications
from core.plugin_platform import wiring
from core.plugin_platform.admin import hooks as plugin_admin
from core.plugin_platform.extension_data import openapi_spec_kwargs
from core.plugin_platform.host import create_host
from core.plugin_platform.models import PLUGIN_CHOICES_FACT
from core.procurement import plugin as procurement
from core.publication import plugin as publication
from core.routing import Rule
from core.specification import plugin as specification
from core.suppliers import plugin as suppliers
from core.transfer import plugin as transfer
from tenants import views as tenant_views

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")

# The platform's own packages, registered as internal plugins (always on, never chosen per
# tenant) and called in this order; third-party plugins are called before them, so `tryfirst`
# puts the procurement domain's dashboard panel first. Instance plugins (the benchmark harness)
# come from the entry-point group `samspill.instance_plugins`.
DEFAULT_PLUGINS = (
    ("samspill", plugin_admin),
    ("jobs", jobs),
    ("library", library),
    ("procurement", procurement),
    ("exports", exports),
    ("notifications", notifications),
    ("suppliers", suppliers),
    ("specification", specification),
    ("dialogue", dialogue),
    ("competition", competition),
    ("award", award),
    ("transfer", transfer),
    ("benefits", benefits),
    ("publication", publication),
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build one Samspill application. `config` overrides environment settings (tests)."""
    instance_path = (config or {}).get("INSTANCE_PATH") or config_module.instance_path_from_env()
    app = App(
        "samspill",
        instance_path=os.path.abspath(instance_path) if instance_path else None,
        instance_relative_config=True,
        static_folder=str(Path(__file__).parent / "web" / "static"),
        template_folder=str(Path(__file__).parent / "web" / "templates"),
    )
    app.url_rule_class = Rule  # URL builders compiled once per process (core.routing)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(config_module.build_config(app.instance_path))
    if config:
        app.config.update(config)
        if "SQLALCHEMY_DATABASE_URI" in config and "SQLALCHEMY_ENGINE_OPTIONS" not in config:
            app.config["SQLALCHEMY_ENGINE_OPTIONS"] = config_module.engine_options(
                config["SQLALCHEMY_DATABASE_URI"]
            )
    config_module.apply_base_url(app.config)
    _init_extensions(app)
    _register_domains(app)
    read_only.init_app(app)  # last: ends a read-only request's transaction before other teardowns
    proxies = int(app.config.get("SAMSPILL_PROXY_COUNT") or 0)
    if proxies:  # behind nginx / a load balancer: the client's address and scheme from its headers
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    return app


def _init_extensions(app: Flask) -> None:
    ops.init_app(app)  # request ids and timing before anything else runs
    session_cookie.init_app(app)  # the cookie re-signed only when changed or every few minutes
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, compare_type=True, render_as_batch=True)
    i18n.init_app(app, babel)
    csrf.init_app(app)
    input_safety.init_app(app)  # NUL, unpaired surrogates, JSON depth: refused before any view
    database_errors.register(app)  # lost connection 503, unforeseen races 409
    database_errors.init_pool(app)  # ping pooled connections only after they sat idle
    limiter.init_app(app)
    api.init_app(app, spec_kwargs=openapi_spec_kwargs(app))  # plugin schemas as <plugin>.<Name>
    _sqlite_pragmas(app)


def _sqlite_pragmas(app: Flask) -> None:
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return

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
    """The plugin host with every package of the platform as an internal plugin, then the
    shells (auth, errors, web, API, CLI) that gather what the plugins contribute."""
    host = create_host(app, DEFAULT_PLUGINS)
    auth.init_app(app, facts=[PLUGIN_CHOICES_FACT,
                              *(fact for found in host.call("samspill_principal_facts") for fact in found or ())])
    errors.register_error_handlers(app)
    web.init_app(app)
    account_views.init_app(app)
    tenant_views.init_app(app)
    host.call("samspill_setup_app", app=app)
    wiring.init_app(app, host)
    register_api(app, api)
    cli.init_app(app)
