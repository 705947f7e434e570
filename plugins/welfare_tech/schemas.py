"""The welfare-technology plugin's settings and extension-data schemas."""

from __future__ import annotations

from core.plugin_api import PluginSchema, fields, lazy_gettext, validate

# Stored values and the labels people see (the form's options, the read-only facts).
RESPONSE_CENTRE_LABELS = {"municipal": lazy_gettext("Municipal response centre"),
                          "intermunicipal": lazy_gettext("Intermunicipal response centre"),
                          "external": lazy_gettext("External response centre")}
TECHNOLOGY_LABELS = {"safety_alarm": lazy_gettext("Safety alarm"), "fall_detection": lazy_gettext("Fall detection"),
                     "location": lazy_gettext("Location (GPS)"),
                     "digital_supervision": lazy_gettext("Digital supervision"),
                     "medicine_dispenser": lazy_gettext("Medicine dispenser"), "other": lazy_gettext("Other")}
RESPONSE_CENTRE_MODELS = list(RESPONSE_CENTRE_LABELS)
TECHNOLOGIES = list(TECHNOLOGY_LABELS)
RESPONSE_CENTRE_CHOICE = validate.OneOf(RESPONSE_CENTRE_MODELS, labels=list(RESPONSE_CENTRE_LABELS.values()))
TECHNOLOGY_CHOICE = validate.OneOf(TECHNOLOGIES, labels=list(TECHNOLOGY_LABELS.values()))


class SettingsSchema(PluginSchema):
    """A tenant's settings for the welfare-technology plugin."""

    show_standards = fields.Boolean(load_default=True, metadata={
        "label": lazy_gettext("Show referenced standards in the requirement library")})
    response_time_target_minutes = fields.Integer(
        load_default=30, validate=validate.Range(min=1, max=240), metadata={
            "label": lazy_gettext("Target alarm response time (minutes)"),
            "description": lazy_gettext("Used as the target for the alarm response time KPI.")})
    response_centre = fields.String(load_default="", validate=validate.Length(max=200), metadata={
        "label": lazy_gettext("Current response centre")})


class ProcurementDetailsSchema(PluginSchema):
    """Welfare-technology details of a procurement (extension data `welfare_tech`)."""

    alarm_users = fields.Integer(load_default=None, allow_none=True,
                                 validate=validate.Range(min=0, max=1_000_000), metadata={
                                     "label": lazy_gettext("Safety-alarm users today")})
    response_centre_model = fields.String(
        load_default=None, allow_none=True, validate=RESPONSE_CENTRE_CHOICE,
        metadata={"label": lazy_gettext("Response centre model")})
    scaip_required = fields.Boolean(load_default=True, metadata={
        "label": lazy_gettext("Require alarms over SCAIP / CLC/TS 50134-9")})
    dpia_planned_on = fields.Date(load_default=None, allow_none=True, metadata={
        "label": lazy_gettext("Data protection impact assessment planned on")})


class NeedDetailsSchema(PluginSchema):
    """Which technology a need points towards (extension data on needs)."""

    technology = fields.String(load_default=None, allow_none=True,
                               validate=TECHNOLOGY_CHOICE, metadata={
                                   "label": lazy_gettext("Technology in question")})
