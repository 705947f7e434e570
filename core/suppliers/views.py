"""The supplier portal shell under /supplier/: start page, sign-up, email confirmation,
welcome links for people added by their admin, and the organisation's members."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.auth import current_principal, login_user
from core.db import db
from core.errors import DomainError, ValidationError
from core.extensions import limiter
from core.i18n import _l
from core.plugin_platform.host import current_host
from core.suppliers import service
from core.suppliers.models import SupplierRole
from core.web.forms import localise

bp = Blueprint("supplier", __name__, url_prefix="/supplier", template_folder="templates")


@bp.get("/")
def index():
    """The start page; the domains above add their sections (the market dialogue: yours and
    the open ones) through the hook `samspill_supplier_start_sections`."""
    principal = current_principal()
    context = service.supplier_context(principal)
    sections = []
    if principal.is_authenticated:
        sections = [section for found in current_host().call("samspill_supplier_start_sections", context=context)
                    for section in (found if isinstance(found, list) else [found]) if section]
    return render_template("suppliers/index.html", context=context, sections=sections)


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])  # registering organisations is not a bulk service
def sign_up():
    principal = current_principal()
    if service.supplier_context(principal) is not None:
        return redirect(url_for("supplier.index"))
    errors: dict = {}
    if request.method == "POST":
        form = request.form
        try:
            _org, user = service.sign_up(form.get("org_number", ""), form.get("org_name", ""),
                                         email=form.get("email", ""), name=form.get("name", ""),
                                         password=form.get("password", ""),
                                         confirm_password=form.get("confirm_password", ""))
            if not principal.is_authenticated:
                login_user(user)
            db.session.commit()
            flash(_("Your organisation is registered. Check your email for a link to confirm your address."),
                  "success")
            return redirect(url_for("supplier.index"))
        except DomainError as exc:
            db.session.rollback()
            if exc.status in (401, 403, 404):
                raise
            errors = localise(exc.errors or {"org_number": [exc.detail]})
    return render_template("suppliers/signup.html", errors=errors, form=request.form), (422 if errors else 200)


@bp.get("/verify/<token>")
def verify_email(token: str):
    service.verify_email(token)
    db.session.commit()
    flash(_("Your email address is confirmed."), "success")
    return redirect(url_for("supplier.index"))


@bp.post("/verify/resend")
def resend_verification():
    context = service.supplier_context()
    if context is not None and context.user.email_verified_at is None:
        service.send_verification(context.user)
        db.session.commit()
        flash(_("We sent a new confirmation link."), "success")
    return redirect(url_for("supplier.index"))


@bp.route("/welcome/<token>", methods=["GET", "POST"])
def welcome(token: str):
    user = service.check_welcome_token(token)
    errors: dict = {}
    if request.method == "POST":
        try:
            if request.form.get("password") != request.form.get("confirm_password"):
                raise ValidationError("", errors={"confirm_password": [_l("The passwords do not match.")]})
            user = service.welcome_user(token, request.form.get("password", ""))
            login_user(user)
            db.session.commit()
            return redirect(url_for("supplier.index"))
        except ValidationError as exc:
            db.session.rollback()
            errors = localise(exc.errors)
    return render_template("suppliers/welcome.html", email=user.email, errors=errors), (422 if errors else 200)


@bp.get("/members")
def members():
    context = service.require_supplier()
    return _members_page(context, {})


def _members_page(context, errors: dict, status: int = 200):
    return render_template("suppliers/members.html", context=context, members=service.list_members(context),
                           roles=[r.value for r in SupplierRole], errors=errors, form=request.form), status


@bp.post("/members")
def add_member():
    try:
        service.add_member(request.form.get("email", ""), request.form.get("role", ""), request.form.get("name", ""))
    except DomainError as exc:
        db.session.rollback()
        if exc.status in (401, 403, 404):
            raise
        return _members_page(service.require_supplier(), localise(exc.errors or {"email": [exc.detail]}), 422)
    db.session.commit()
    flash(_("The person is added and has been sent an email."), "success")
    return redirect(url_for("supplier.members"))


@bp.post("/members/<uuid:supplier_member_id>/role")
def change_role(supplier_member_id: uuid.UUID):
    try:
        service.change_member_role(supplier_member_id, request.form.get("role", ""))
    except DomainError as exc:
        db.session.rollback()
        if exc.status in (401, 403, 404):
            raise
        return _members_page(service.require_supplier(), localise(exc.errors or {"role": [exc.detail]}), exc.status)
    db.session.commit()
    flash(_("The role is changed."), "success")
    return redirect(url_for("supplier.members"))


@bp.post("/members/<uuid:supplier_member_id>/remove")
def remove_member(supplier_member_id: uuid.UUID):
    try:
        service.remove_member(supplier_member_id)
    except DomainError as exc:
        db.session.rollback()
        if exc.status in (401, 403, 404):
            raise
        return _members_page(service.require_supplier(), localise(exc.errors or {"member": [exc.detail]}), exc.status)
    db.session.commit()
    flash(_("The person is removed from the organisation."), "success")
    return redirect(url_for("supplier.members"))
