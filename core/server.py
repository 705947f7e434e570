"""gunicorn with the Samspill app: what `samspill serve` and `samspill demo` run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication


class SamspillServer(BaseApplication):
    """Runs the app factory in each gunicorn worker, like `gunicorn wsgi:app`. The factory is
    handed in by the command that serves (`core.console` binds it), so this module sits below
    the app factory and does not import it."""

    def __init__(self, options: dict[str, Any], app_factory: Callable[..., Flask],
                 app_overrides: dict[str, Any] | None = None):
        self.options = options
        self.app_factory = app_factory
        self.app_overrides = app_overrides
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:
                self.cfg.set(key.lower(), value)

    def load(self):
        return self.app_factory(self.app_overrides)


def serve(bind: str, workers: int, app_factory: Callable[..., Flask],
          app_overrides: dict[str, Any] | None = None) -> None:
    options = {
        "bind": bind,
        "workers": workers,
        "accesslog": "-",
        "access_log_format": '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
        "timeout": 60,
        "graceful_timeout": 10,
        "forwarded_allow_ips": "127.0.0.1",
    }
    SamspillServer(options, app_factory, app_overrides).run()
