"""Marshmallow schemas of the exports API (described in the OpenAPI document)."""

from __future__ import annotations

from marshmallow import Schema, fields


class ExportInputSchema(Schema):
    kind = fields.String(required=True, metadata={"description": "`requirements`, `evaluation`, `benefits`, "
                                                                "`protocol` (what the installed packages offer)"})
    parameters = fields.Dict(load_default=dict, metadata={"description": "the kind's parameters, e.g. "
                                                                         "`{\"buyer\": \"<tenant slug>\"}` "
                                                                         "for `benefits`"})


class ExportSchema(Schema):
    id = fields.UUID()
    procurement_id = fields.UUID()
    kind = fields.String()
    parameters = fields.Dict()
    status = fields.String(metadata={"description": "queued, running, done or failed"})
    filename = fields.String(allow_none=True)
    content_type = fields.String(allow_none=True)
    size = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    file_url = fields.String(allow_none=True, metadata={"description": "where to download it once done"})
