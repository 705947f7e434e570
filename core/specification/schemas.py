"""Marshmallow schemas of the specification API (names prefixed `Specification…` in OpenAPI).
Input schemas describe the fields; the services check the rules (at least one need, weights)."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class SpecificationPageQuery(StrictSchema):
    cursor = fields.String(load_default=None)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    lot_id = fields.UUID(load_default=None)


class SpecificationRequirementSchema(Schema):
    id = fields.UUID()
    procurement_id = fields.UUID()
    lot_id = fields.UUID(allow_none=True)
    position = fields.Integer()
    ref = fields.String(metadata={"description": "The requirement's number (the library's or template's "
                                                 "reference, or K-nnn)"})
    title = fields.String()
    text = fields.String()
    kind = fields.String(metadata={"description": "`absolute` (must, «skal») or `evaluated` (should, «bør»)"})
    category = fields.String()
    source = fields.String(metadata={"description": "`template`, `library` or `own`"})
    source_ref = fields.String()
    needs = fields.List(fields.UUID(), attribute="need_ids")
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class SpecificationRequirementPageSchema(Schema):
    items = fields.List(fields.Nested(SpecificationRequirementSchema))
    next_cursor = fields.String(allow_none=True)


class SpecificationRequirementInputSchema(StrictSchema):
    title = fields.String(metadata={"description": "Short title (≤300)"})
    text = fields.String(metadata={"description": "The requirement (1-10000); say what, not how"})
    kind = fields.String(metadata={"description": "`absolute` or `evaluated`"})
    category = fields.String()
    needs = fields.List(fields.UUID(), metadata={"description": "Ids of the needs it answers (at least one)"})
    lot_id = fields.UUID(allow_none=True)
    library_ref = fields.String(metadata={"description": "Pick from the domain library: the item's `key`; "
                                                         "title, text, kind and category are copied unless given"})


class SpecificationRequirementPatchSchema(StrictSchema):
    title = fields.String()
    text = fields.String()
    kind = fields.String()
    category = fields.String()
    needs = fields.List(fields.UUID())
    lot_id = fields.UUID(allow_none=True)
    version = fields.Integer(metadata={"description": "Send it back (or If-Match with the ETag) when changing"})


class SpecificationLibraryItemSchema(Schema):
    key = fields.String(metadata={"description": "Send as `library_ref` to pick it"})
    ref = fields.String()
    title = fields.String()
    text = fields.String()
    kind = fields.String(attribute="kind.value")
    category = fields.String()
    standards = fields.List(fields.String())


class SpecificationTracedRequirementSchema(Schema):
    id = fields.UUID()
    ref = fields.String()
    title = fields.String()
    kind = fields.String()


class SpecificationTracedNeedSchema(Schema):
    id = fields.UUID()
    statement = fields.String()
    priority = fields.Integer()
    covered = fields.Boolean()
    requirements = fields.List(fields.Nested(SpecificationTracedRequirementSchema))


class SpecificationTraceabilitySchema(Schema):
    needs = fields.List(fields.Nested(SpecificationTracedNeedSchema))
    uncovered_priority_1 = fields.List(fields.Nested(SpecificationTracedNeedSchema))
    untraced_requirements = fields.List(fields.Nested(SpecificationTracedRequirementSchema))
    complete = fields.Boolean(metadata={"description": "Every priority-1 need is covered"})


class SpecificationSubCriterionSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    description = fields.String()
    weight = fields.Integer()


class SpecificationCriterionSchema(SpecificationSubCriterionSchema):
    lot_id = fields.UUID(allow_none=True)
    is_price = fields.Boolean()
    price_model = fields.String(allow_none=True)
    formula = fields.String(allow_none=True, metadata={"description": "The price model's formula, as shown "
                                                                      "to suppliers"})
    sub_criteria = fields.List(fields.Nested(SpecificationSubCriterionSchema))


class SpecificationCriteriaSchema(Schema):
    criteria = fields.List(fields.Nested(SpecificationCriterionSchema))
    complete = fields.Boolean(metadata={"description": "Weights add up to 100 and a price model is declared"})
    missing = fields.List(fields.String())


class SpecificationSubCriterionInputSchema(StrictSchema):
    name = fields.String()
    description = fields.String()
    weight = fields.Raw(metadata={"description": "Whole points; the sub-criteria add up to the parent's weight"})


class SpecificationCriterionInputSchema(SpecificationSubCriterionInputSchema):
    lot_id = fields.UUID(allow_none=True)
    is_price = fields.Boolean()
    price_model = fields.String(allow_none=True, metadata={"description": "`lowest_proportional` or "
                                                                          "`linear_deduction` (price criterion)"})
    sub_criteria = fields.List(fields.Nested(SpecificationSubCriterionInputSchema))


class SpecificationCriteriaInputSchema(StrictSchema):
    criteria = fields.List(fields.Nested(SpecificationCriterionInputSchema), required=True,
                           metadata={"description": "Top-level weights add up to 100 per lot (else 422 with `sums`)"})


class SpecificationTenderInputSchema(StrictSchema):
    name = fields.String()
    price = fields.Raw(metadata={"description": "The tender's price in kroner (above 0)"})
    scores = fields.Dict(keys=fields.String(), values=fields.Raw(),
                         metadata={"description": "`{criterion id: score 0-10}` for every non-price criterion "
                                                  "(sub-criteria where a criterion has them)"})


class SpecificationSimulationInputSchema(StrictSchema):
    lot_id = fields.UUID(allow_none=True, load_default=None)
    tenders = fields.List(fields.Nested(SpecificationTenderInputSchema), required=True)


class SpecificationPointsSchema(Schema):
    criterion_id = fields.UUID()
    name = fields.String()
    points = fields.Decimal(as_string=True)


class SpecificationRankedTenderSchema(Schema):
    name = fields.String()
    price = fields.Decimal(as_string=True)
    total = fields.Decimal(as_string=True)
    rank = fields.Integer()
    tied = fields.Boolean(metadata={"description": "Shares its rank with another tender"})
    points = fields.List(fields.Nested(SpecificationPointsSchema))


class SpecificationSimulationSchema(Schema):
    ranking = fields.List(fields.Nested(SpecificationRankedTenderSchema))


class SpecificationLotSchema(Schema):
    id = fields.UUID()
    position = fields.Integer()
    title = fields.String()
    description = fields.String()


class SpecificationLotInputSchema(StrictSchema):
    id = fields.UUID(allow_none=True, metadata={"description": "Keep an existing lot (omit for a new one)"})
    title = fields.String()
    description = fields.String()


class SpecificationLotsInputSchema(StrictSchema):
    lots = fields.List(fields.Nested(SpecificationLotInputSchema), required=True,
                       metadata={"description": "Every lot, in order; lots left out are removed"})
