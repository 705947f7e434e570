"""Needs mapping and files pages: add, edit, reorder, delete and import needs; upload evidence
and other files, download them, delete them."""

from __future__ import annotations

import uuid

from flask import render_template, request, url_for
from flask_babel import gettext as _

from core.library import service as library
from core.procurement import attachments, needs
from core.procurement.access import require
from core.procurement.forms import perform
from core.procurement.models import NeedSource
from core.procurement.views import page_context
from tenants.resolution import tenant_blueprint

bp = tenant_blueprint("procurement_needs", __name__, "/procurements", template_folder="templates")


def _page(procurement_id, errors: dict, status: int = 200, form=None, editing=None):
    access = require(procurement_id)
    items = needs.list_needs(procurement_id)
    files = attachments.list_attachments(procurement_id)
    evidence: dict = {}
    for attachment in files:
        evidence.setdefault(attachment.need_id, []).append(attachment)
    catalogues = [t for t in library.list_visible(limit=50).items if t.latest_version_id]
    return render_template("procurement/needs.html", **page_context(access, "needs"), needs=items,
                           evidence=evidence, sources=[s.value for s in NeedSource], errors=errors,
                           form=form or {}, editing=editing, catalogues=catalogues,
                           import_options=[(str(t.latest_version_id), t.title) for t in catalogues],
                           origin=library.origin_of(access.procurement)), status


def _back(procurement_id):
    return url_for("procurement_needs.show", procurement_id=procurement_id)


def _act(procurement_id, action, success, editing=None):
    return perform(action, success=success, redirect_to=_back(procurement_id),
                   on_error=lambda errs, status: _page(procurement_id, errs, status, request.form, editing))


@bp.get("/<uuid:procurement_id>/needs")
def show(procurement_id):
    editing = request.args.get("edit")
    return _page(procurement_id, {}, editing=editing)


@bp.post("/<uuid:procurement_id>/needs")
def add(procurement_id):
    return _act(procurement_id, lambda: needs.add_need(procurement_id, request.form.to_dict()), _("The need is added."))


@bp.post("/<uuid:procurement_id>/needs/<uuid:need_id>")
def update(procurement_id, need_id):
    return _act(procurement_id, lambda: needs.update_need(procurement_id, need_id, request.form.to_dict()),
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
