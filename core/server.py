"""gunicorn with the Samspill app: what `samspill serve` and `samspill demo` run.

Before the workers fork: Prometheus multiprocess mode in a fresh folder (`SAMSPILL_METRICS_DIR`,
default `<instance>/metrics`), so `/metrics` sums every worker; JSON logs (access log included,
with the request id) unless `SAMSPILL_LOG_FORMAT=text`.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from core import config as config_module
from core.ops import logs, metrics

# gunicorn's access-log atoms as one JSON object per request (request id from the response).
ACCESS_LOG_JSON = json.dumps({
    "time": "%(t)s", "logger": "access", "remote": "%(h)s", "request": "%(r)s", "status": "%(s)s",
    "bytes": "%(b)s", "duration_ms": "%(M)s", "request_id": "%({x-request-id}o)s",
})


def _child_exit(_server, worker) -> None:
    metrics.worker_exited(worker.pid)


def metrics_folder() -> Path:
    """Where the workers' metric files go (emptied when the server starts)."""
    configured = os.environ.get("SAMSPILL_METRICS_DIR")
    if configured:
        return Path(configured)
    instance = config_module.instance_path_from_env()
    base = Path(instance) if instance else Path(tempfile.gettempdir()) / f"samspill-{os.getuid()}"
    return base / "metrics"


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
    json_logs = (os.environ.get("SAMSPILL_LOG_FORMAT") or "json").strip().lower() == "json"
    if json_logs:
        os.environ["SAMSPILL_LOG_FORMAT"] = "json"  # the workers' apps log JSON too
        logs.configure()
    metrics.enable_multiprocess(metrics_folder())
    options = {
        "bind": bind,
        "workers": workers,
        "accesslog": "-",
        "access_log_format": ACCESS_LOG_JSON if json_logs else '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
        "child_exit": _child_exit,
        "timeout": 60,
        "graceful_timeout": 10,
        "forwarded_allow_ips": "127.0.0.1",
    }
    SamspillServer(options, app_factory, app_overrides).run()
