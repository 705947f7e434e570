"""Tenant admin pages for plugins: /t/<slug>/admin/plugins/ (enable, disable, settings)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.access import require_tenant_role
from core.db import db
from core.errors import DomainError
from core.plugin_platform import state as service
from core.plugin_platform.admin import forms
from tenants.models import TenantRole
from tenants.resolution import current_tenant, tenant_blueprint

bp = tenant_blueprint("plugins_admin", __name__, url_prefix="/admin/plugins",
                      template_folder="templates")


def _admin():
    tenant = current_tenant()
    require_tenant_role(tenant.id, TenantRole.admin)
    return tenant


def _version() -> int | None:
    raw = request.form.get("version", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else None


@bp.get("/")
def index():
    tenant = _admin()
    return render_template("plugins_admin/index.html", plugins=service.states_for(tenant))


def _plugin_page(name: str, errors: dict, status: int = 200, submitted: dict | None = None):
    tenant = current_tenant()
    state = service.state_for(tenant, name)
    schema = service.settings_schema(name) if state.status == "active" else None
    values = {**(state.settings or {}), **(submitted or {})}
    fields = forms.form_fields(schema, values) if schema else []
    return render_template("plugins_admin/plugin.html", plugin=state, fields=fields,
                           errors=errors), status


@bp.get("/<name>")
def plugin(name: str):
    _admin()
    return _plugin_page(name, {})


@bp.post("/<name>/settings")
def settings(name: str):
    tenant = _admin()
    schema = service.settings_schema(name)
    submitted = forms.parse_form(schema, request.form) if schema else {}
    try:
        service.update_settings(tenant, name, submitted, expected_version=_version())
    except DomainError as exc:
        db.session.rollback()
        if exc.status in (403, 404):
            raise
        return _plugin_page(name, exc.errors or {"settings": [exc.detail]}, exc.status,
                            submitted=request.form.to_dict())
    db.session.commit()
    flash(_("The settings are saved."), "success")
    return redirect(url_for("plugins_admin.plugin", name=name))


def _set_enabled(name: str, enabled: bool):
    tenant = _admin()
    try:
        service.set_enabled(tenant, name, enabled, expected_version=_version())
    except DomainError as exc:
        db.session.rollback()
        if exc.status in (403, 404):
            raise
        flash(exc.detail, "error")
        return render_template("plugins_admin/index.html",
                               plugins=service.states_for(tenant)), exc.status
    db.session.commit()
    flash(_("%(name)s is enabled.", name=name) if enabled else _("%(name)s is disabled.", name=name),
          "success")
    return redirect(url_for("plugins_admin.index"))


@bp.post("/<name>/enable")
def enable(name: str):
    return _set_enabled(name, True)


@bp.post("/<name>/disable")
def disable(name: str):
    return _set_enabled(name, False)
