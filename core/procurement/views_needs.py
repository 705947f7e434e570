"""Needs mapping and files pages: add, edit, reorder, delete and import needs; upload evidence
and other files, download them, delete them.

The need form shows the `need` extension fields of the plugins the lead tenant enabled (inputs
`extension--<plugin>--<field>`, built from the plugin's schema like the domain-details page)."""

from __future__ import annotations

import uuid

from flask import render_template, request, url_for
from flask_babel import gettext as _

from core.plugin_platform.admin import forms as extension_forms
from core.plugin_platform.extension_data import schemas_for
from core.procurement import attachments, library_link, needs
from core.procurement.access import require
from core.procurement.models import NeedSource
from core.procurement.views import page_context
from core.web.forms import perform
from tenants.resolution import tenant_blueprint

bp = tenant_blueprint("procurement_needs", __name__, "/procurements", template_folder="templates")


EXTENSION = "extension--"  # input names of the plugins' need fields: extension--<plugin>--<field>


def _extension_schemas(procurement) -> dict:
    return schemas_for(procurement, needs.NEED_TARGET)


def _extension_forms(schemas: dict, items, form, errors: dict, editing) -> dict:
    """Plugin field sections for the add form (key None) and the need being edited."""
    nested = extension_forms.nest_errors(errors, EXTENSION)
    submitted = extension_forms.parse_extension_form(schemas, form, prefix=EXTENSION) if form else None
    result = {None: extension_forms.extension_sections(
        schemas, {}, submitted=None if editing else submitted, errors=None if editing else nested, prefix=EXTENSION)}
    for need in items:
        if str(need.id) == editing:
            result[editing] = extension_forms.extension_sections(
                schemas, need.extension or {}, submitted=submitted, errors=nested, prefix=EXTENSION)
    return result


def _page(procurement_id, errors: dict, status: int = 200, form=None, editing=None):
    access = require(procurement_id)
    items = needs.list_needs(procurement_id)
    schemas = _extension_schemas(access.procurement)
    files = attachments.list_attachments(procurement_id)
    evidence: dict = {}
    for attachment in files:
        evidence.setdefault(attachment.need_id, []).append(attachment)
    catalogues = library_link.need_catalogues(limit=50)
    return render_template("procurement/needs.html", **page_context(access, "needs"), needs=items,
                           evidence=evidence, sources=[s.value for s in NeedSource], errors=errors,
                           form=form or {}, editing=editing, catalogues=catalogues,
                           extension_forms=_extension_forms(schemas, items, form, errors, editing),
                           import_options=[(str(t.latest_version_id), t.title) for t in catalogues],
                           origin=library_link.origin(access.procurement)), status


def _back(procurement_id):
    return url_for("procurement_needs.show", procurement_id=procurement_id)


def _act(procurement_id, action, success, editing=None):
    return perform(action, success=success, redirect_to=_back(procurement_id),
                   on_error=lambda errs, status: _page(procurement_id, errs, status, request.form, editing))


@bp.get("/<uuid:procurement_id>/needs")
def show(procurement_id):
    editing = request.args.get("edit")
    return _page(procurement_id, {}, editing=editing)


def _need_data(procurement_id, *, adding: bool) -> dict:
    """The submitted need; with the plugins' fields as `extension` (when adding, a plugin's
    section left entirely empty is left out, so the need carries no data of that plugin)."""
    data = request.form.to_dict()
    schemas = _extension_schemas(require(procurement_id).procurement)
    if schemas:
        extension = extension_forms.parse_extension_form(schemas, request.form, prefix=EXTENSION)
        if adding:
            extension = {ns: values for ns, values in extension.items()
                         if any(v not in (None, "", []) for v in values.values())}
        data["extension"] = extension
    return data


@bp.post("/<uuid:procurement_id>/needs")
def add(procurement_id):
    return _act(procurement_id, lambda: needs.add_need(procurement_id, _need_data(procurement_id, adding=True)),
                _("The need is added."))


@bp.post("/<uuid:procurement_id>/needs/<uuid:need_id>")
def update(procurement_id, need_id):
    return _act(procurement_id,
                lambda: needs.update_need(procurement_id, need_id, _need_data(procurement_id, adding=False)),
                _("The need is saved."), editing=str(need_id))


@bp.post("/<uuid:procurement_id>/needs/<uuid:need_id>/delete")
def delete(procurement_id, need_id):
    return _act(procurement_id, lambda: needs.delete_need(procurement_id, need_id), _("The need is deleted."))


@bp.post("/<uuid:procurement_id>/needs/<uuid:need_id>/move")
def move(procurement_id, need_id):
    return _act(procurement_id, lambda: needs.move_need(procurement_id, need_id, request.form.get("direction", "")),
                "")


@bp.post("/<uuid:procurement_id>/needs/import")
def import_needs(procurement_id):
    def run():
        try:
            version_id = uuid.UUID(request.form.get("version_id", ""))
        except ValueError:
            version_id = uuid.UUID(int=0)
        return needs.import_needs(procurement_id, version_id)

    return _act(procurement_id, run, _("The needs are imported from the template."))


@bp.post("/<uuid:procurement_id>/attachments")
def upload(procurement_id):
    upload = request.files.get("file")

    def run():
        try:
            need_id = uuid.UUID(request.form["need_id"]) if request.form.get("need_id") else None
        except ValueError:
            need_id = uuid.UUID(int=0)  # answers "no such need"
        return attachments.upload(procurement_id, upload.stream if upload else None,
                                  upload.filename if upload else "", need_id=need_id)

    return _act(procurement_id, run, _("The file is uploaded."))


@bp.get("/<uuid:procurement_id>/attachments/<uuid:attachment_id>")
def download(procurement_id, attachment_id):
    return attachments.download(procurement_id, attachment_id)


@bp.post("/<uuid:procurement_id>/attachments/<uuid:attachment_id>/delete")
def delete_attachment(procurement_id, attachment_id):
    return _act(procurement_id, lambda: attachments.delete(procurement_id, attachment_id), _("The file is deleted."))
