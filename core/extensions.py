"""Flask extensions, created unbound here and bound to each app with `init_app`.

Flask-Migrate is the exception: importing it imports Alembic (about 10 MB resident), which a
serving worker never uses. `Migrations` stands in for its extension object: `init_app` keeps the
settings where Flask-Migrate's commands and `migrations/env.py` read them
(`app.extensions["migrate"]`), and `flask_migrate` is imported when a command first asks for the
Alembic configuration (`get_config`). The `db` command group is registered lazily too
(`core.plugin_platform.admin.cli`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_smorest import Api
from flask_wtf import CSRFProtect

from core.db import db


@dataclass
class MigrateSettings:
    """What Flask-Migrate's `_MigrateConfig` holds, read from `app.extensions["migrate"]` by its
    commands (`.migrate.get_config`, `.directory`) and by `migrations/env.py` (`.db`,
    `.configure_args`)."""

    migrate: Migrations
    db: Any
    directory: str
    configure_args: dict[str, Any] = field(default_factory=dict)

    @property
    def metadata(self):
        return self.db.metadata


class Migrations:
    """`flask_migrate.Migrate`'s part the app and its commands use, without importing it until a
    command needs the Alembic configuration."""

    def __init__(self) -> None:
        self.configure_callbacks: list[Callable[[Any], Any]] = []
        self.db: Any = None
        self.directory = "migrations"
        self.alembic_ctx_kwargs: dict[str, Any] = {}

    def init_app(self, app: Flask, db: Any, *, directory: str, **alembic_ctx_kwargs: Any) -> None:
        self.db, self.directory = db, str(directory)
        self.alembic_ctx_kwargs.update(alembic_ctx_kwargs)
        app.extensions["migrate"] = MigrateSettings(self, db, self.directory, self.alembic_ctx_kwargs)

    def configure(self, f: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """Flask-Migrate's `configure`: `f(config)` adjusts every Alembic configuration made."""
        self.configure_callbacks.append(f)
        return f

    def get_config(self, directory: str | None = None, x_arg: Any = None, opts: Any = None):
        """The Alembic configuration, made by Flask-Migrate (imported here, with Alembic)."""
        from flask_migrate import Migrate  # noqa: PLC0415 - Alembic only where a command runs

        real = Migrate(db=self.db, directory=self.directory, **self.alembic_ctx_kwargs)
        real.configure_callbacks = self.configure_callbacks
        return real.get_config(directory, x_arg, opts)


migrate = Migrations()
babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
api = Api()

__all__ = ["api", "babel", "csrf", "db", "limiter", "migrate"]
