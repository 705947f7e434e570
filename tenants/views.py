"""Tenant space pages: members and invitations, sign-in settings, audit (the dashboard is the
web shell's, `core.web.dashboard`, on this blueprint)."""

from __future__ import annotations

import uuid

from flask import Flask, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core import audit as audit_views
from core.access import require_tenant_role
from core.db import db
from core.errors import DomainError, ValidationError
from core.identity.service import display_names
from tenants import oidc_views
from tenants import service as tenants
from tenants.models import TenantRole
from tenants.resolution import current_tenant, tenant_blueprint

bp = tenant_blueprint("tenant", __name__, template_folder="templates")


@bp.get("/admin/members")
def members():
    tenant = current_tenant()
    require_tenant_role(tenant.id, TenantRole.admin)
    return _members_page(errors={})


def _members_page(errors: dict, status: int = 200, invite_link: str | None = None, form=None):
    tenant = current_tenant()
    return render_template(
        "tenants/members.html", members=tenants.list_members(tenant),
        invitations=tenants.list_invitations(tenant), roles=[r.value for r in TenantRole],
        errors=errors, invite_link=invite_link, form=form or {},
    ), status


@bp.post("/admin/members/invite")
def invite():
    tenant = current_tenant()
    try:
        _invitation, token = tenants.invite(tenant, request.form.get("email", ""), request.form.get("role", ""))
    except (ValidationError, DomainError) as exc:
        db.session.rollback()
        if exc.status in (403, 404):
            raise
        return _members_page(_field_errors(exc), 422, form=request.form)
    db.session.commit()
    link = url_for("identity.invitation", token=token, _external=True)
    flash(_("The invitation is created. Send the link to the person."), "success")
    return _members_page({}, invite_link=link)


@bp.post("/admin/members/<uuid:membership_id>/role")
def change_role(membership_id: uuid.UUID):
    try:
        tenants.change_role(current_tenant(), membership_id, request.form.get("role", ""))
    except DomainError as exc:
        db.session.rollback()
        if exc.status in (403, 404):
            raise
        return _members_page(_field_errors(exc), exc.status)
    db.session.commit()
    flash(_("The role is changed."), "success")
    return redirect(url_for("tenant.members"))


@bp.post("/admin/members/<uuid:membership_id>/remove")
def remove_member(membership_id: uuid.UUID):
    try:
        tenants.remove_member(current_tenant(), membership_id)
    except DomainError as exc:
        db.session.rollback()
        if exc.status in (403, 404):
            raise
        return _members_page({"member": [_("A municipality needs at least one admin.")]}, exc.status)
    db.session.commit()
    flash(_("The member is removed."), "success")
    return redirect(url_for("tenant.members"))


@bp.route("/admin/sign-in", methods=["GET", "POST"])
def sign_in_settings():
    tenant = current_tenant()
    require_tenant_role(tenant.id, TenantRole.admin)
    settings = tenants.get_sign_in(tenant)
    errors: dict = {}
    if request.method == "POST":
        try:
            tenants.set_sign_in(
                tenant, issuer=request.form.get("issuer", ""), client_id=request.form.get("client_id", ""),
                client_secret=request.form.get("client_secret", ""),
                allowed_domains=request.form.get("allowed_domains", "").replace(",", " ").split(),
            )
            db.session.commit()
            flash(_("The sign-in settings are saved."), "success")
            return redirect(url_for("tenant.sign_in_settings"))
        except ValidationError as exc:
            db.session.rollback()
            errors = exc.errors
    redirect_uri = url_for("oidc.oidc_callback", slug=tenant.slug, _external=True)
    login_url = url_for("oidc.oidc_login", slug=tenant.slug, _external=True)
    return render_template("tenants/sign_in.html", settings=settings, errors=errors,
                           redirect_uri=redirect_uri, login_url=login_url,
                           form=request.form), (422 if errors else 200)


@bp.route("/admin/language", methods=["GET", "POST"])
def language_form():
    tenant = current_tenant()
    require_tenant_role(tenant.id, TenantRole.admin)
    errors: dict = {}
    if request.method == "POST":
        try:
            tenants.set_language_form(tenant, request.form.get("language_form", ""))
            db.session.commit()
            flash(_("The official language form is saved."), "success")
            return redirect(url_for("tenant.language_form"))
        except ValidationError as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template("tenants/language.html", errors=errors,
                           chosen=request.form.get("language_form", tenant.language_form)), (422 if errors else 200)


@bp.get("/admin/audit")
def audit_log():
    tenant = current_tenant()
    require_tenant_role(tenant.id, TenantRole.admin)
    page = audit_views.tenant_audit_page(tenant.id, request.args.get("cursor"))
    return render_template("tenants/audit.html", page=page, names=display_names(e.actor_id for e in page.items))


def _field_errors(exc: DomainError) -> dict:
    return exc.errors or {"email": [exc.detail]}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(oidc_views.bp)
