"""The forms' CSRF token, signed once per session secret instead of on every page.

Flask-WTF's `csrf_token()` signs the session's CSRF secret anew on every request (a serializer,
a key derivation and an HMAC; every page's layout has two forms). The signature's timestamp
only matters with a time limit, and ours is off (`WTF_CSRF_TIME_LIMIT = None`): then a token
signed once for a secret is as good as a new one, so it is kept per secret key and session
secret and handed out again. The check of posted tokens is Flask-WTF's, unchanged; a new secret
(a new session) gets a new token; with a time limit or a custom field or key Flask-WTF signs as
before.
"""

from __future__ import annotations

from flask import Flask, current_app, g, session
from flask_wtf.csrf import generate_csrf

FIELD = "csrf_token"
_MAX_KEPT = 4096
_signed: dict[tuple, str] = {}


def csrf_token() -> str:
    """The signed CSRF token of this session (the Jinja global `csrf_token()`)."""
    token = g.get(FIELD)
    if token is not None:
        return token
    config = current_app.config
    raw = session.get(FIELD)
    if (config.get("WTF_CSRF_TIME_LIMIT") is not None or config.get("WTF_CSRF_SECRET_KEY")
            or config.get("WTF_CSRF_FIELD_NAME", FIELD) != FIELD or not isinstance(raw, str)):
        return generate_csrf()
    key = (current_app.secret_key, raw)
    token = _signed.get(key)
    if token is None:
        token = generate_csrf()
        if len(_signed) >= _MAX_KEPT:
            _signed.clear()
        _signed[key] = token
    setattr(g, FIELD, token)  # where Flask-WTF's own `generate_csrf` finds it (forms' hidden tags)
    return token


def _template_context() -> dict:
    return {"csrf_token": csrf_token}


def init_app(app: Flask) -> None:
    """After Flask-WTF's `init_app`: its global and context processor hand templates its own
    `generate_csrf`; this processor runs after its one, so templates get this one."""
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(_template_context)
