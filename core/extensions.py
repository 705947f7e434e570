"""Flask extensions, created unbound here and bound to each app with `init_app`.

Flask-Migrate is the exception: importing it imports Alembic (about 10 MB resident), which a
serving worker never uses. `Migrations` stands in for its extension object: `init_app` keeps the
settings where Flask-Migrate's commands and `migrations/env.py` read them
(`app.extensions["migrate"]`), and `flask_migrate` is imported when a command first asks for the
Alembic configuration (`get_config`). The `db` command group is registered lazily too
(`core.plugin_platform.admin.cli`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import flask_smorest
from flask import Flask
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
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


class Api(flask_smorest.Api):
    """flask-smorest's `Api`, writing the OpenAPI document when it is first read instead of while
    the app is built.

    Documenting the API's operations (marshmallow schemas resolved and deep-copied by apispec)
    was most of building an app: about a second on a busy 2-core host, paid by every worker at
    start and by every test's app, while only `/api/v1/openapi.json`, the docs page and
    `samspill plugins list` read the document. `document(step)` queues a step; reading `spec`
    runs the queued steps first, in the order they were queued, so the document is the one
    flask-smorest writes (`tests/foundation/test_app_build_shared.py` compares them). A step
    queued with `on_error` (a plugin's blueprint) reports its failure there and the rest of the
    document is still written. A lock makes a second thread's first read wait until the document
    is whole (a threaded server such as `flask run`); the thread that writes may read its own
    half-written document (a step that reads `spec`).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._queued: list[tuple[Callable[[], Any], Callable[[Exception], None] | None]] = []
        self._writing = False
        self._lock = threading.RLock()
        self._spec: Any = None
        super().__init__(*args, **kwargs)

    @property
    def spec(self) -> Any:
        if self._queued or self._writing:  # the lock only while a document is to be written
            with self._lock:
                self._write_queued()
        return self._spec

    def _write_queued(self) -> None:
        if self._writing:  # a step of this thread's own write reads the document
            return
        self._writing = True
        try:
            while self._queued:
                step, on_error = self._queued.pop(0)
                try:
                    step()
                except Exception as exc:
                    if on_error is None:
                        raise
                    on_error(exc)
        finally:
            self._writing = False

    @spec.setter
    def spec(self, value: Any) -> None:  # `init_app`: a new app's document
        self._queued = []
        self._spec = value

    def write(self) -> Any:
        """Run every queued step now (the document's plugin problems are reported now)."""
        return self.spec

    def document(self, step: Callable[[], Any], on_error: Callable[[Exception], None] | None = None) -> None:
        """Run `step` (which writes into `self.spec`) when the document is first read."""
        self._queued.append((step, on_error))

    def register_blueprint(self, blp: Any, *, parameters: Any = None,
                           on_error: Callable[[Exception], None] | None = None, **options: Any) -> None:
        """flask-smorest's `register_blueprint`, with the documenting queued (`document`)."""
        name = options.get("name", blp.name)
        app = self._app
        app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        app.register_blueprint(blp, **options)

        def write() -> None:
            blp.register_views_in_doc(self, app, self._spec, name=name, parameters=parameters)
            self._spec.tag({"name": name, "description": blp.description})

        self.document(write, on_error)

    def _register_responses(self) -> None:
        self.document(super()._register_responses)

    def _register_etag_headers(self) -> None:
        self.document(super()._register_etag_headers)

    def _register_pagination_header(self) -> None:
        self.document(super()._register_pagination_header)


migrate = Migrations()
babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
api = Api()

__all__ = ["api", "babel", "csrf", "db", "limiter", "migrate"]
