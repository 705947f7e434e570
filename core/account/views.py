"""Sign-in pages, the account page (password, API tokens) and invitation links (blueprint `identity`)."""

from __future__ import annotations

import uuid

from flask import (
    Blueprint,
    Flask,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from core.access import require_user
from core.auth import current_principal, login_user, logout_user, user_entity
from core.db import db
from core.errors import ValidationError
from core.extensions import limiter
from core.identity import service as identity
from tenants import service as tenants

bp = Blueprint("identity", __name__, template_folder="templates")


def _signin_limit() -> str:
    return current_app.config["SAMSPILL_SIGNIN_LIMIT"]


def _signin_key() -> str:
    email = (request.form.get("email") or "").strip().lower()
    return f"signin:{request.remote_addr}:{email}"


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("web.index")


@bp.get("/signin")
def sign_in():
    return render_template("identity/signin.html", next=request.args.get("next", ""), errors={})


@bp.post("/signin")
@limiter.limit(_signin_limit, key_func=_signin_key, deduct_when=lambda r: r.status_code == 401,
               methods=["POST"])
def sign_in_post():
    email, password = request.form.get("email", ""), request.form.get("password", "")
    missing = {}
    if not email.strip():
        missing["email"] = [_("Enter your email address.")]
    if not password:
        missing["password"] = [_("Enter your password.")]
    if missing:  # not a failed attempt: nothing was tried, so the throttle does not count it
        return render_template("identity/signin.html", next=request.form.get("next", ""), email=email,
                               errors=missing), 422
    user = identity.authenticate(email, password)
    if user is None:
        message = _("The email or password is wrong.")
        return render_template("identity/signin.html", next=request.form.get("next", ""),
                               email=email, failure=message, errors={}), 401
    login_user(user)
    db.session.commit()
    return redirect(_safe_next(request.form.get("next")))


@bp.post("/signout")
def sign_out():
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("web.index"))


@bp.get("/account")
def account():
    principal = require_user()
    return render_template("identity/account.html", tokens=identity.list_tokens(principal.user), errors={})


@bp.post("/account/password")
def change_password():
    principal = require_user()
    try:
        if request.form.get("new_password") != request.form.get("confirm_password"):
            raise ValidationError("", errors={"confirm_password": [_("The passwords do not match.")]})
        user = user_entity(principal)
        identity.change_password(user, request.form.get("current_password", ""),
                                 request.form.get("new_password", ""))
    except ValidationError as exc:
        db.session.rollback()
        errors = {("new_password" if name == "password" else name): messages  # the form's field name
                  for name, messages in exc.errors.items()}
        return render_template("identity/account.html", tokens=identity.list_tokens(principal.user),
                               errors=errors), 422
    login_user(user)  # this session stays; all others end (its new generation)
    db.session.commit()
    flash(_("Your password is changed. Other sessions were signed out."), "success")
    return redirect(url_for("identity.account"))


@bp.post("/account/tokens")
def create_token():
    principal = require_user()
    try:
        days = int(request.form.get("expires_in_days") or current_app.config["SAMSPILL_TOKEN_DEFAULT_DAYS"])
        issued = identity.create_token(principal.user, request.form.get("name", ""), days)
    except (ValueError, ValidationError) as exc:
        db.session.rollback()
        errors = exc.errors if isinstance(exc, ValidationError) else {"expires_in_days": [_("1 to 366 days.")]}
        return render_template("identity/account.html", tokens=identity.list_tokens(principal.user),
                               errors=errors), 422
    db.session.commit()
    return render_template("identity/account.html", tokens=identity.list_tokens(principal.user),
                           new_secret=issued.secret, errors={})


@bp.post("/account/tokens/<uuid:token_id>/revoke")
def revoke_token(token_id: uuid.UUID):
    principal = require_user()
    identity.revoke_token(principal.user, token_id)
    db.session.commit()
    flash(_("The token is revoked."), "success")
    return redirect(url_for("identity.account"))


@bp.route("/invite/<token>", methods=["GET", "POST"])
def invitation(token: str):
    invitation = tenants.find_invitation(token)
    principal = current_principal()
    errors: dict = {}
    if request.method == "POST":
        try:
            user = principal.user
            if user is None:
                existing = identity.find_user_by_email(invitation.email)
                if existing is not None:
                    return redirect(url_for("identity.sign_in", next=request.path))
                if request.form.get("password") != request.form.get("confirm_password"):
                    raise ValidationError("", errors={"confirm_password": [_("The passwords do not match.")]})
                user = identity.create_user(invitation.email, name=request.form.get("name", ""),
                                            password=request.form.get("password", ""))
            membership = tenants.accept_invitation(token, user)
            # Before the commit: afterwards the new membership is outside this request's scope.
            target = url_for("tenant.dashboard", slug=membership.tenant.slug)
            login_user(user)
            db.session.commit()
            return redirect(target)
        except ValidationError as exc:
            db.session.rollback()
            errors = exc.errors
            invitation = tenants.find_invitation(token)  # reloaded: the rollback expired it
    tenant_name = tenants.tenant_name(invitation.tenant_id)
    return render_template("identity/invitation.html", invitation=invitation, tenant_name=tenant_name,
                           errors=errors), (422 if errors else 200)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
