"""The OpenID Connect sign-in routes: /t/<slug>/auth/oidc/login and .../callback."""

from __future__ import annotations

from flask import Blueprint, redirect, request, session, url_for

from core.auth import login_user
from core.db import db
from tenants import oidc

bp = Blueprint("oidc", __name__, url_prefix="/t/<slug>/auth/oidc")


def _redirect_uri(slug: str) -> str:
    return url_for("oidc.oidc_callback", slug=slug, _external=True)


@bp.get("/login")
def oidc_login(slug: str):
    settings = oidc.load_settings(slug)
    url, pending = oidc.start(settings, _redirect_uri(slug))
    session["oidc"] = pending
    return redirect(url)


@bp.get("/callback")
def oidc_callback(slug: str):
    settings = oidc.load_settings(slug)
    pending = session.pop("oidc", None)
    try:
        user = oidc.finish(settings, pending, request.args.to_dict(), _redirect_uri(slug))
    except Exception:
        db.session.rollback()
        raise
    login_user(user)
    db.session.commit()
    return redirect(url_for("tenant.dashboard", slug=slug))
