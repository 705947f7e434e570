"""The request id: taken from `X-Request-Id` when the caller (nginx, a load balancer) sends a
sane one, generated otherwise; answered in `X-Request-Id`, written into every log line of the
request and handed to the jobs the request queues (`core.jobs` carries it in the message)."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

from flask import Flask, request

HEADER = "X-Request-Id"
_SANE = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_current: ContextVar[str | None] = ContextVar("samspill_request_id", default=None)


def current() -> str | None:
    """The request id of the request or job being handled, or None."""
    return _current.get()


def bind(value: str | None):
    """Make `value` the current request id (a job taking over its request's id); returns the
    token for `reset`."""
    return _current.set(value)


def reset(token) -> None:
    _current.reset(token)


def from_header(value: str | None) -> str:
    """The caller's id if it is short and plain, else a fresh one (never log what we did not
    check: an id with newlines or 10 kB would poison the log)."""
    if value and _SANE.fullmatch(value):
        return value
    return uuid.uuid4().hex


def _begin() -> None:
    _current.set(from_header(request.headers.get(HEADER)))


def _answer(response):
    value = _current.get()
    if value:
        response.headers[HEADER] = value
    return response


def init_app(app: Flask) -> None:
    # First of all before_request functions, so every log line of the request carries the id.
    app.before_request_funcs.setdefault(None, []).insert(0, _begin)
    app.after_request(_answer)
