"""JSON API of exports: ask for one (202 + `Location` while a worker makes it, 201 when it was
made in the request), read its status, download its file. Thin: one service call each."""

from __future__ import annotations

import uuid

from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from core import files
from core.db import db
from core.exports import schemas as s
from core.exports import service
from core.exports.models import Export, ExportStatus

blp = Blueprint("exports_api", __name__, url_prefix="/api/v1", description="Exports made by the job queue")


def export_dict(export: Export) -> dict:
    done = export.status == ExportStatus.done.value
    return {"id": export.id, "procurement_id": export.procurement_id, "kind": export.kind,
            "parameters": export.params, "status": export.status,
            "filename": export.filename or None, "content_type": export.content_type or None,
            "size": export.size, "created_at": export.created_at, "started_at": export.started_at,
            "finished_at": export.finished_at,
            "file_url": url_for("exports_api.ExportFile", export_id=export.id) if done else None}


@blp.route("/procurements/<uuid:procurement_id>/exports")
class ProcurementExports(MethodView):
    @blp.arguments(s.ExportInputSchema)
    @blp.response(202, s.ExportSchema, description="Queued for a worker; poll `Location`")
    @blp.alt_response(201, schema=s.ExportSchema, description="Made in the request (no queue configured)")
    def post(self, data, procurement_id: uuid.UUID):
        """Ask for an export of the procurement (the same access as the kind's direct download)."""
        export = service.request_export(procurement_id, data["kind"], data["parameters"])
        db.session.commit()
        queued = service.start(export)
        location = url_for("exports_api.ExportOne", export_id=export.id)
        return export_dict(export), 202 if queued else 201, {"Location": location}


@blp.route("/exports/<uuid:export_id>")
class ExportOne(MethodView):
    @blp.response(200, s.ExportSchema)
    def get(self, export_id: uuid.UUID):
        """The export's status (`file_url` once done)."""
        return export_dict(service.get(export_id))


@blp.route("/exports/<uuid:export_id>/file")
class ExportFile(MethodView):
    @blp.response(200, content_type="application/octet-stream", description="The exported file")
    def get(self, export_id: uuid.UUID):
        """The export's file, streamed from the file store (404 until it is done)."""
        export = service.ready(export_id)
        return files.download_response(export.file_key, export.filename, export.content_type)
