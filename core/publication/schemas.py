"""Marshmallow schemas of the publication API (described in the OpenAPI document)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from core.publication.models import NoticeKind


class PublicationNoticeInputSchema(Schema):
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in NoticeKind]))


class PublicationNoticeFailureSchema(Schema):
    rule = fields.String()
    message = fields.String()
    location = fields.String()


class PublicationNoticeSchema(Schema):
    id = fields.UUID()
    procurement_id = fields.UUID()
    kind = fields.String()
    subtype = fields.String(metadata={"description": "eForms notice subtype: 4 or E2 (prior information), "
                                                     "16/E3 (contract), 29/E4 (award)"})
    created_at = fields.DateTime()
    validation = fields.Dict(metadata={"description": "`valid`, `xsd_errors`, `failed_assertions`, `failures`"})
    doffin = fields.Dict(metadata={"description": "`status` (manual, pending, sent, failed), `id`, `reply_status`, "
                                                  "`attempts`, `sent_at`, `last_error`"})
    xml_url = fields.String()


class PublicationNoticeListSchema(Schema):
    items = fields.List(fields.Nested(PublicationNoticeSchema))


class FeedQuery(Schema):
    since = fields.AwareDateTime(load_default=None, metadata={"description": "releases published at or after"})
    cursor = fields.String(load_default=None)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))


class ReleasePageSchema(Schema):
    releases = fields.List(fields.Dict())
    next_cursor = fields.String(allow_none=True)


class OcdsPackageSchema(Schema):
    class Meta:
        unknown = "include"

    uri = fields.String()
    version = fields.String()
    publishedDate = fields.String()  # noqa: N815 - OCDS field name
    publisher = fields.Dict()
    license = fields.String()
    publicationPolicy = fields.String()  # noqa: N815 - OCDS field name
    releases = fields.List(fields.Dict())
    records = fields.List(fields.Dict())
