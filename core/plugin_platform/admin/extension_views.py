"""The page where a procurement's plugin extension data is read and edited:
/t/<slug>/procurements/<id>/extensions (one form per plugin the lead tenant enabled)."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.db import db
from core.errors import DomainError
from core.plugin_platform import extension_data
from core.plugin_platform.admin import forms
from tenants.resolution import tenant_blueprint

bp = tenant_blueprint("extension_data", __name__,
                      url_prefix="/procurements/<uuid:procurement_id>/extensions",
                      template_folder="templates")


def _page(procurement_id: uuid.UUID, errors: dict | None = None, submitted: dict | None = None,
          status: int = 200):

    access, data, schemas = extension_data.procurement_extensions(procurement_id)
    sections = forms.extension_sections(schemas, data, submitted=submitted, errors=errors)
    return render_template("plugins_admin/extensions.html", procurement=access.procurement,
                           sections=sections, can_write=access.can("write")), status


@bp.get("")
def show(procurement_id: uuid.UUID):
    return _page(procurement_id)


@bp.post("/<namespace>")
def save(procurement_id: uuid.UUID, namespace: str):
    _access, _data, schemas = extension_data.procurement_extensions(procurement_id)
    schema = schemas.get(namespace)
    submitted = forms.parse_form(schema, request.form, prefix=f"{namespace}--") if schema else {}
    version = request.form.get("version", "")
    try:
        extension_data.set_procurement_extension(
            procurement_id, namespace, submitted, int(version) if version.isdigit() else None)
    except DomainError as exc:
        db.session.rollback()
        if exc.status in (403, 404):
            raise
        errors = (exc.errors or {}).get("extension") or {namespace: {"_": [exc.detail]}}
        if exc.status == 412:
            errors = {namespace: {"_": [exc.detail]}}
        return _page(procurement_id, errors, {namespace: submitted}, exc.status)
    db.session.commit()
    flash(_("The information is saved."), "success")
    return redirect(url_for("extension_data.show", procurement_id=procurement_id))
