"""Marshmallow schemas of the competition API (names prefixed `Competition…` in OpenAPI)."""

from __future__ import annotations

from datetime import UTC

from marshmallow import RAISE, Schema, fields, validate


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


def Time(**kw):  # noqa: N802  (reads like a field class)
    return fields.AwareDateTime(format="iso", default_timezone=UTC, **kw)


class CompetitionPageQuery(StrictSchema):
    cursor = fields.String(load_default=None)
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class CompetitionQualificationSchema(StrictSchema):
    key = fields.String(validate=validate.Length(max=40))
    kind = fields.String(required=True, validate=validate.OneOf(["exclusion", "qualification"]))
    text = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class CompetitionSettingsInputSchema(StrictSchema):
    tender_deadline = Time(allow_none=True)
    question_deadline = Time(allow_none=True)
    opening_at = Time(allow_none=True)
    qualification = fields.List(fields.Nested(CompetitionQualificationSchema), validate=validate.Length(max=100))


class CompetitionSettingsSchema(Schema):
    procurement_id = fields.UUID()
    title = fields.String()
    procedure = fields.String(allow_none=True)
    tender_deadline = fields.DateTime(allow_none=True)
    question_deadline = fields.DateTime(allow_none=True)
    opening_at = fields.DateTime(allow_none=True)
    qualification = fields.List(fields.Dict())
    lots = fields.List(fields.Dict())
    requirements = fields.List(fields.Dict())
    announced = fields.Boolean()
    announced_at = fields.DateTime(allow_none=True)
    opened = fields.Boolean()


class CompetitionMarketEntrySchema(Schema):
    id = fields.UUID(attribute="procurement.id")
    title = fields.String(attribute="procurement.title")
    description = fields.String(attribute="procurement.description")
    procedure = fields.String(attribute="procurement.procedure", allow_none=True)
    tender_deadline = fields.DateTime(attribute="competition.tender_deadline")
    question_deadline = fields.DateTime(attribute="competition.question_deadline")
    announced_at = fields.DateTime(attribute="competition.announced_at")
    tender_status = fields.String(allow_none=True, metadata={"description": "The caller's own tender, if any"})


class CompetitionMarketPageSchema(Schema):
    items = fields.List(fields.Nested(CompetitionMarketEntrySchema))
    next_cursor = fields.String(allow_none=True)


class TenderQualificationAnswerSchema(StrictSchema):
    key = fields.String(required=True)
    answer = fields.Boolean(allow_none=True, load_default=None)
    text = fields.String(load_default="", validate=validate.Length(max=20000))


class TenderResponseSchema(StrictSchema):
    requirement_id = fields.String(required=True)
    confirmed = fields.Boolean(load_default=False)
    description = fields.String(load_default="", validate=validate.Length(max=20000))


class TenderPriceSchema(StrictSchema):
    lot_id = fields.String(allow_none=True, load_default=None)
    price_ore = fields.Integer(required=True, strict=True, validate=validate.Range(min=0, max=10**15))


class TenderSecretSchema(StrictSchema):
    part = fields.String(required=True, validate=validate.Length(min=1, max=500))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class TenderInputSchema(StrictSchema):
    qualification = fields.List(fields.Nested(TenderQualificationAnswerSchema), validate=validate.Length(max=500))
    responses = fields.List(fields.Nested(TenderResponseSchema), validate=validate.Length(max=500))
    prices = fields.List(fields.Nested(TenderPriceSchema), validate=validate.Length(max=500))
    business_secrets = fields.List(fields.Nested(TenderSecretSchema), validate=validate.Length(max=500))
    files = fields.List(fields.String(), validate=validate.Length(max=20),
                        metadata={"description": "Ids of the attached files to keep"})
    submit = fields.Boolean(load_default=False)


class TenderReceiptSchema(Schema):
    submitted_at = fields.DateTime()
    sha256 = fields.String()


class TenderSchema(Schema):
    status = fields.String(allow_none=True)
    content = fields.Dict()
    receipt = fields.Nested(TenderReceiptSchema, allow_none=True)
    withdrawn_at = fields.DateTime(allow_none=True)
    tender_deadline = fields.DateTime()


class TenderFileSchema(Schema):
    id = fields.String()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()


class TendersSchema(Schema):
    count = fields.Integer()
    opened = fields.Boolean()
    items = fields.List(fields.Dict())
    next_cursor = fields.String(allow_none=True)


class OpeningSchema(Schema):
    opened = fields.Boolean()
    opening_at = fields.DateTime(allow_none=True)
    opened_at = fields.String()
    opened_by = fields.String()
    count = fields.Integer()
    tenders = fields.List(fields.Dict())
    withdrawn = fields.List(fields.Dict())


class CompetitionQuestionInputSchema(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class CompetitionAnswerInputSchema(StrictSchema):
    questions = fields.List(fields.UUID(), required=True, validate=validate.Length(min=1, max=100))
    text = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    published_wording = fields.Dict(keys=fields.UUID(), values=fields.String(validate=validate.Length(max=5000)),
                                    load_default=dict)


class CompetitionQuestionSchema(Schema):
    id = fields.UUID()
    text = fields.String()
    created_at = fields.DateTime()


class CompetitionAnswerSchema(Schema):
    id = fields.UUID()
    text = fields.String()
    published_questions = fields.List(fields.String())
    published_at = fields.DateTime()


class CompetitionQAPageSchema(Schema):
    items = fields.List(fields.Nested(CompetitionAnswerSchema))
    next_cursor = fields.String(allow_none=True)
    open_questions = fields.List(fields.Nested(CompetitionQuestionSchema))
    latest_answer_at = fields.DateTime(allow_none=True)
