"""Operability: request ids, structured JSON logs, Prometheus metrics at `/metrics` and the
readiness report behind `/readyz`.

`init_app(app)` installs the request-id and metrics request hooks and the `/metrics` page; the
pieces live in `requestid`, `logs`, `metrics` and `readiness`.
"""

from __future__ import annotations

from flask import Flask

from core.ops import logs, metrics, requestid


def init_app(app: Flask) -> None:
    """Request ids and metrics for every request, `/metrics`, JSON logs when configured."""
    requestid.init_app(app)
    metrics.init_app(app)
    logs.configure_from(app.config.get("SAMSPILL_LOG_FORMAT"))
