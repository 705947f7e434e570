"""The web shell: start page, language switch, health checks and security headers."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, jsonify, redirect, render_template, request, session, url_for

from core.auth import current_principal, user_entity
from core.db import db
from core.i18n import LOCALES
from core.ops import readiness
from core.web import csrf_tokens, layout, output_escape, template_globals, urls
from core.web import dashboard as _dashboard  # noqa: F401  (the tenant dashboard's route)

bp = Blueprint("web", __name__)
HSTS_MAX_AGE = 365 * 24 * 3600


@bp.get("/")
def index():
    principal = current_principal()
    if principal.is_authenticated and not principal.memberships and principal.extra.get("supplier"):
        return redirect(url_for("supplier.index"))  # a supplier's home is the supplier portal
    if principal.is_authenticated and len(principal.memberships) == 1:
        only = next(iter(principal.memberships.values()))
        return redirect(url_for("tenant.dashboard", slug=only.slug))
    return render_template("index.html", memberships=list(principal.memberships.values()))


@bp.post("/lang")
def set_language():
    code = request.form.get("lang", "nb")
    if code in LOCALES:
        session["lang"] = code
        principal = current_principal()
        if principal.user is not None and principal.user.locale != code:
            user_entity(principal).locale = code
            db.session.commit()
    target = request.form.get("next") or url_for("web.index")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("web.index")
    return redirect(target)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    body, status = readiness.report()
    return jsonify(body), status


_SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Content-Security-Policy",
     "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'"),
)
# Secure cookies mean the instance is served over HTTPS: browsers must never fall back to plain
# http for it (one year; no includeSubDomains, the operator's other hosts are not ours to decide).
_HSTS = ("Strict-Transport-Security", f"max-age={HSTS_MAX_AGE}")
_HTTPS_HEADERS = tuple((name, name.lower(), value) for name, value in (*_SECURITY_HEADERS, _HSTS))
_HTTP_HEADERS = tuple((name, name.lower(), value) for name, value in _SECURITY_HEADERS)


def _security_headers(response):
    """The security headers a view did not set itself (constant values; one pass over the
    response's headers instead of a scan per header)."""
    wanted = _HTTPS_HEADERS if current_app.config.get("SESSION_COOKIE_SECURE") else _HTTP_HEADERS
    headers = response.headers
    present = {name.lower() for name, _value in headers}
    for name, lower, value in wanted:
        if lower not in present:
            headers.add(name, value)
    return response


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    template_globals.init_app(app)  # before any template is loaded
    app.jinja_env.code_generator_class = output_escape.OutputEscapingCodeGenerator  # likewise
    urls.init_app(app)
    layout.init_app(app)
    csrf_tokens.init_app(app)
    app.after_request(_security_headers)

    @app.context_processor
    def inject_endpoints():
        return {"url_endpoints": app.view_functions}

    @app.teardown_request
    def _end_transaction(exc):
        if exc is not None:
            db.session.rollback()
