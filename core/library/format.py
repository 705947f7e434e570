"""The template file format `samspill.template/1`, validated by marshmallow.

Documented in docs/template-format.md. The first-party plugins' `TEMPLATE` dicts are written in
this format, and so are the platform templates in `platform_templates/`. Unknown keys are
refused so that a typo never silently drops content; plugin data goes under `extension`.
"""

from __future__ import annotations

import json
from typing import Any

from flask_babel import gettext
from marshmallow import RAISE, Schema, fields, post_load, validate, validates_schema
from marshmallow import ValidationError as SchemaError

from core.errors import ValidationError
from core.i18n import _l
from core.library.models import FORMAT
from core.procurement.fields import clean_cpv_code
from core.procurement.models import Phase, Procedure

KEY = validate.Regexp(r"^[a-z0-9][a-z0-9_.:-]{0,79}$", error=_l("Lower-case letters, digits, '-', '_', '.', ':'."))
MAX_ITEMS = validate.Length(max=500)


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class NeedSchema(_Strict):
    statement = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    user_group = fields.String(load_default="", validate=validate.Length(max=200))
    source = fields.String(required=True, validate=validate.OneOf(["interview", "workshop", "observation", "survey"]))
    priority = fields.Integer(load_default=2, strict=True, validate=validate.Range(1, 3))
    key = fields.String(validate=KEY)
    theme = fields.String(validate=validate.Length(max=200))


class QuestionSchema(_Strict):
    key = fields.String(required=True, validate=KEY)
    kind = fields.String(required=True,
                         validate=validate.OneOf(["text", "choice", "multichoice", "attachment", "number"]))
    text = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    required = fields.Boolean(load_default=False)
    choices = fields.List(fields.String(validate=validate.Length(min=1, max=500)), load_default=list,
                          validate=validate.Length(max=50))

    @validates_schema
    def _choices(self, data, **kwargs):
        if data["kind"] in ("choice", "multichoice") and len(data.get("choices") or []) < 2:
            raise SchemaError(gettext("A choice question needs at least two choices."), "choices")


class RequirementSchema(_Strict):
    ref = fields.String(required=True, validate=validate.Length(min=1, max=40))
    category = fields.String(required=True, validate=KEY)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    text = fields.String(required=True, validate=validate.Length(min=1, max=10000))
    kind = fields.String(required=True, validate=validate.OneOf(["must", "should"]))
    standards = fields.List(fields.String(validate=validate.Length(max=300)), validate=validate.Length(max=20))
    # Keys of the template's needs it answers; a key no need has is ignored when copied.
    needs = fields.List(fields.String(validate=KEY), validate=validate.Length(max=50))


class SubCriterionSchema(_Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    weight = fields.Integer(required=True, strict=True, validate=validate.Range(0, 100))
    description = fields.String(load_default="", validate=validate.Length(max=5000))


class AwardCriterionSchema(_Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    weight = fields.Integer(required=True, strict=True, validate=validate.Range(0, 100))
    description = fields.String(load_default="", validate=validate.Length(max=5000))
    price_model = fields.String(validate=validate.OneOf(["lowest_proportional", "linear_deduction"]))
    sub_criteria = fields.List(fields.Nested(SubCriterionSchema), validate=validate.Length(max=20))

    @validates_schema
    def _parts(self, data, **kwargs):
        subs = data.get("sub_criteria") or []
        if subs and sum(s["weight"] for s in subs) != data["weight"]:
            raise SchemaError(gettext("The sub-criteria weights must add up to the criterion's weight."),
                              "sub_criteria")
        if subs and data.get("price_model"):
            raise SchemaError(gettext("The price criterion has no sub-criteria."), "sub_criteria")


class GateItemSchema(_Strict):
    phase = fields.String(required=True, validate=validate.OneOf([p.value for p in Phase]))
    key = fields.String(required=True, validate=KEY)
    text = fields.String(required=True, validate=validate.Length(min=1, max=500))


class KpiSchema(_Strict):
    key = fields.String(required=True, validate=KEY)
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    unit = fields.String(load_default="", validate=validate.Length(max=100))
    direction = fields.String(required=True, validate=validate.OneOf(["increase", "decrease"]))
    description = fields.String(load_default="", validate=validate.Length(max=5000))


class TemplateSchema(_Strict):
    format = fields.String(required=True, validate=validate.Equal(FORMAT, error=f"Only {FORMAT} is understood."))
    key = fields.String(required=True, validate=KEY)
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    summary = fields.String(load_default="", validate=validate.Length(max=5000))
    domain = fields.String(load_default=None, allow_none=True, validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$"))
    procedure = fields.String(load_default=None, allow_none=True, validate=validate.OneOf([p.value for p in Procedure]))
    cpv_codes = fields.List(fields.String(), load_default=list, validate=validate.Length(max=20))
    needs = fields.List(fields.Nested(NeedSchema), load_default=list, validate=MAX_ITEMS)
    texts = fields.Dict(keys=fields.String(validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$")),
                        values=fields.String(validate=validate.Length(max=50000)), load_default=dict)
    questionnaire = fields.List(fields.Nested(QuestionSchema), load_default=list, validate=MAX_ITEMS)
    requirements = fields.List(fields.Nested(RequirementSchema), load_default=list, validate=MAX_ITEMS)
    award_criteria = fields.List(fields.Nested(AwardCriterionSchema), load_default=list,
                                 validate=validate.Length(max=30))
    gate_items = fields.List(fields.Nested(GateItemSchema), load_default=list, validate=validate.Length(max=100))
    kpis = fields.List(fields.Nested(KpiSchema), load_default=list, validate=validate.Length(max=100))
    extension = fields.Dict(keys=fields.String(validate=KEY), load_default=dict)

    @validates_schema
    def _consistency(self, data, **kwargs):
        for code in data.get("cpv_codes", []):
            try:
                clean_cpv_code(code)
            except ValidationError as exc:
                raise SchemaError(exc.detail, "cpv_codes") from None
        weights = [c["weight"] for c in data.get("award_criteria", [])]
        if weights and sum(weights) != 100:
            raise SchemaError(gettext("Award criteria weights must add up to 100."), "award_criteria")
        for section, key in (("questionnaire", "key"), ("requirements", "ref"), ("gate_items", "key"), ("kpis", "key")):
            keys = [item[key] for item in data.get(section, [])]
            if len(keys) != len(set(keys)):
                raise SchemaError(gettext("Each %(key)s must be unique.", key=key), section)

    @post_load
    def _normalise(self, data, **kwargs):
        data["cpv_codes"] = [clean_cpv_code(c) for c in data["cpv_codes"]]
        return data


def validate_template(data: Any) -> dict[str, Any]:
    """Validated, normalised template content; problems as ValidationError(errors={path: msgs})."""
    if not isinstance(data, dict):
        raise ValidationError(_l("A template is a JSON object."),
                              errors={"content": [_l("A JSON object is expected.")]})
    try:
        return TemplateSchema().load(data)
    except SchemaError as exc:
        raise ValidationError(_l("The template is not valid."), errors={"content": exc.messages}) from None


def parse_template_file(raw: bytes | str) -> dict[str, Any]:
    """A template file (UTF-8 JSON) -> validated content."""
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ValidationError(_l("The file is not JSON."), errors={"file": [_l("Not a JSON file.")]}) from None
    return validate_template(data)


def dump_template(content: dict[str, Any]) -> str:
    """The file form of a template: stable key order, UTF-8, readable."""
    return json.dumps(content, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
