"""The tenant's own templates (`/t/<slug>/templates/`): import a template file, edit the draft,
publish versions, choose who can see them, export versions as files."""

from __future__ import annotations

import json

from flask import render_template, request, url_for
from flask_babel import gettext as _

from core.errors import NotFound, ValidationError
from core.i18n import _l
from core.library import service
from core.library.format import dump_template, parse_template_file
from core.library.models import VersionStatus
from core.web.forms import perform
from tenants.resolution import current_tenant, tenant_blueprint

bp = tenant_blueprint("library", __name__, "/templates", template_folder="templates")
MAX_TEMPLATE_BYTES = 2 * 1024 * 1024


@bp.get("/")
def index(errors: dict | None = None, status: int = 200):
    return render_template("library/tenant_templates.html", templates=service.tenant_templates(current_tenant()),
                           errors=errors or {}, form=request.form), status


@bp.post("/import")
def import_file():
    def run():
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise ValidationError(_l("Choose a file."), errors={"file": [_("Choose a template file (.json).")]})
        raw = upload.stream.read(MAX_TEMPLATE_BYTES + 1)
        if len(raw) > MAX_TEMPLATE_BYTES:
            raise ValidationError(_l("The file is too large."), errors={"file": [_("At most 2 MB.")]})
        return service.create_template(current_tenant(), parse_template_file(raw),
                                       visibility=request.form.get("visibility", "private"),
                                       shared_with=request.form.get("shared_with", "").replace(",", " ").split(),
                                       publish=request.form.get("publish") == "1")

    return perform(run, success=_("The template is imported."),
                   redirect_to=lambda v: url_for("library.show", template_id=v.template_id),
                   on_error=lambda errs, status: index(errs, status))


def _show(template_id, errors: dict, status: int = 200, draft_text: str | None = None):
    template = service.get_visible_template(template_id)
    if not service.owns(template) or template.owner_tenant_id != current_tenant().id:
        raise NotFound(_l("No such template."))
    versions = service.list_versions(template)
    draft = next((v for v in versions if v.status == VersionStatus.draft), None)
    latest = draft or (versions[0] if versions else None)
    return render_template(
        "library/tenant_template.html", template=template, versions=versions, draft=draft, errors=errors,
        shares=", ".join(s.tenant.slug for s in service.shares_of(template)),
        draft_text=draft_text if draft_text is not None else (dump_template(latest.content) if latest else "")), status


@bp.get("/<uuid:template_id>")
def show(template_id):
    return _show(template_id, {})


@bp.post("/<uuid:template_id>/draft")
def save_draft(template_id):
    def run():
        try:
            content = json.loads(request.form.get("content", ""))
        except ValueError:
            raise ValidationError(_l("Not JSON."), errors={"content": [_("The content is not valid JSON.")]}) from None
        return service.save_draft(template_id, content, request.form.get("changelog", ""))

    return perform(run, success=_("The draft is saved."), redirect_to=url_for("library.show", template_id=template_id),
                   on_error=lambda errs, status: _show(template_id, errs, status, request.form.get("content", "")))


@bp.post("/<uuid:template_id>/publish")
def publish(template_id):
    return perform(lambda: service.publish_draft(template_id), success=_("The version is published."),
                   redirect_to=url_for("library.show", template_id=template_id),
                   on_error=lambda errs, status: _show(template_id, errs, status))


@bp.post("/<uuid:template_id>/visibility")
def visibility(template_id):
    return perform(lambda: service.set_visibility(template_id, request.form.get("visibility", ""),
                                                  request.form.get("shared_with", "").replace(",", " ").split()),
                   success=_("Who can see the template is saved."),
                   redirect_to=url_for("library.show", template_id=template_id),
                   on_error=lambda errs, status: _show(template_id, errs, status))
