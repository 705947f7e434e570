"""The Smart Mat plugin's settings and extension-data schemas."""

from __future__ import annotations

from core.plugin_api import PluginSchema, fields, lazy_gettext, validate

# Stored values and the labels people see (the form's options, the read-only facts).
DELIVERY_MODEL_LABELS = {"chilled": lazy_gettext("Chilled"), "frozen": lazy_gettext("Frozen"),
                         "hot": lazy_gettext("Hot"), "mixed": lazy_gettext("Mixed")}
DELIVERY_MODELS = list(DELIVERY_MODEL_LABELS)
DELIVERY_MODEL_CHOICE = validate.OneOf(DELIVERY_MODELS, labels=list(DELIVERY_MODEL_LABELS.values()))


class SettingsSchema(PluginSchema):
    """A tenant's settings for the Smart Mat plugin (same class name as welfare_tech's on
    purpose: OpenAPI lists them as `smart_mat.Settings` and `welfare_tech.Settings`)."""

    deliveries_per_week = fields.Integer(load_default=2, validate=validate.Range(min=1, max=7),
                                         metadata={"label": lazy_gettext("Deliveries per week")})
    max_delivery_temperature = fields.Float(
        load_default=4.0, validate=validate.Range(min=-25, max=8), metadata={
            "label": lazy_gettext("Highest temperature at delivery (°C)"),
            "description": lazy_gettext("Chilled food must stay at or below this temperature.")})
    show_on_dashboard = fields.Boolean(load_default=True, metadata={
        "label": lazy_gettext("Show the food-service summary on the dashboard")})


class ProcurementDetailsSchema(PluginSchema):
    """Food-service details of a procurement (extension data `smart_mat`)."""

    expected_users = fields.Integer(load_default=None, allow_none=True,
                                    validate=validate.Range(min=0, max=1_000_000), metadata={
                                        "label": lazy_gettext("Expected users")})
    delivery_model = fields.String(load_default=None, allow_none=True,
                                   validate=DELIVERY_MODEL_CHOICE, metadata={
                                       "label": lazy_gettext("Delivery model")})
    texture_modified_food = fields.Boolean(load_default=False, metadata={
        "label": lazy_gettext("Texture-modified food is part of the service")})
