"""JSON API of benefit realisation (contract.md, wave 2): `GET /procurements/{id}/benefits`,
`PUT …/benefits/baselines`, `POST …/benefits/measurements`, `GET /templates/{id}/results`; and
contract follow-up: `GET|POST /contracts/{id}/meetings`, `GET|POST /contracts/{id}/deviations`,
`GET|PATCH /follow-up-meetings/{id}`, `GET|PATCH /deviations/{id}` (ETag / `If-Match`)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from core.api.preconditions import etag_pattern, sent_versions
from core.benefits import followup, results, service
from core.benefits.models import SEVERITIES
from core.db import db
from core.procurement.schemas import ListArgs

bp = Blueprint("benefits_api", __name__, url_prefix="/api/v1", description="Benefit realisation")


class BaselineInSchema(Schema):
    kpi_key = fields.String(required=True, validate=validate.Length(max=80))
    value = fields.Raw(load_default=None)
    unit = fields.String(load_default="")
    measured_on = fields.String(load_default="")
    method = fields.String(load_default="")
    source = fields.String(load_default="")
    owner = fields.String(load_default="")
    waiver_reason = fields.String(load_default="")
    target_value = fields.Raw(load_default=None)
    target_date = fields.String(load_default="")


class BaselinesInSchema(Schema):
    tenant_id = fields.UUID(load_default=None, metadata={"description": "the buyer (default: the caller's only one)"})
    baselines = fields.List(fields.Nested(BaselineInSchema), required=True, validate=validate.Length(min=1, max=100))


class MeasurementInSchema(Schema):
    tenant_id = fields.UUID(load_default=None)
    kpi_key = fields.String(required=True, validate=validate.Length(max=80))
    period = fields.String(required=True, metadata={"description": "YYYY-MM"})
    value = fields.Raw(required=True)
    note = fields.String(load_default="")


class MeasurementSchema(Schema):
    id = fields.UUID()
    tenant_id = fields.UUID()
    kpi_key = fields.String()
    period = fields.Date()
    value = fields.Float()
    note = fields.String()


def _series(s: service.Series) -> dict:
    b = s.baseline
    return {"tenant_id": str(s.tenant.id), "municipality": s.tenant.name,
            "baseline": None if b is None else {
                "value": b.value, "unit": b.unit, "measured_on": b.measured_on.isoformat() if b.measured_on else None,
                "method": b.method, "source": b.source, "owner": b.owner, "waiver_reason": b.waiver_reason,
                "target_value": b.target_value, "target_date": b.target_date.isoformat() if b.target_date else None},
            "measurements": [{"period": p.isoformat(), "value": v} for p, v in s.measurements],
            "on_track": s.on_track}


def overview_json(info: service.Overview) -> dict:
    return {
        "kpis": [{"key": k.key, "name": k.name, "unit": k.unit, "direction": k.direction,
                  "description": k.description, "computed": k.is_computed,
                  "buyers": [_series(info.series[(b.tenant_id, k.key)]) for b in info.buyers]} for k in info.kpis],
        "missing_baselines": info.missing_in_words(),
        "writable_tenants": [str(t) for t in info.writable],
    }


@bp.route("/procurements/<uuid:procurement_id>/benefits")
class Benefits(MethodView):
    @bp.response(200)
    def get(self, procurement_id):
        """KPIs with every buyer's baseline, target and measurements (the project group)."""
        return overview_json(service.overview(procurement_id))


@bp.route("/procurements/<uuid:procurement_id>/benefits/baselines")
class Baselines(MethodView):
    @bp.arguments(BaselinesInSchema)
    @bp.response(200)
    def put(self, data, procurement_id):
        """Record or change the buyer's baselines and targets (each buyer writes its own; all or
        nothing). Also after the procurement is completed."""
        for item in data["baselines"]:
            service.save_baseline(procurement_id, item.pop("kpi_key"), item, data["tenant_id"])
        db.session.commit()
        return overview_json(service.overview(procurement_id))


@bp.route("/procurements/<uuid:procurement_id>/benefits/measurements")
class Measurements(MethodView):
    @bp.arguments(MeasurementInSchema)
    @bp.response(201, MeasurementSchema)
    def post(self, data, procurement_id):
        """Record the buyer's value of a KPI for a month (the same month again replaces it)."""
        row = service.record_measurement(procurement_id, data.pop("kpi_key"), data, data.pop("tenant_id"))
        db.session.commit()
        return row


@bp.route("/templates/<uuid:template_id>/results")
class TemplateResults(MethodView):
    @bp.response(200)
    def get(self, template_id):
        """Results of the municipalities that used the template and consented to share them."""
        return {"items": [r.as_dict() for r in results.for_template(template_id)]}


# --- contract follow-up ------------------------------------------------------------------------

MEETING_ETAG = etag_pattern("meeting")
DEVIATION_ETAG = etag_pattern("deviation")


class MeetingSchema(Schema):
    id = fields.UUID()
    contract_id = fields.UUID()
    held_on = fields.Date()
    title = fields.String()
    minutes = fields.String()
    version = fields.Integer()
    created_at = fields.DateTime()


class MeetingPageSchema(Schema):
    items = fields.List(fields.Nested(MeetingSchema))
    next_cursor = fields.String(allow_none=True)


class MeetingInSchema(Schema):
    held_on = fields.String(required=True, metadata={"description": "YYYY-MM-DD, not in the future"})
    title = fields.String(required=True)
    minutes = fields.String(required=True)


class MeetingPatchSchema(Schema):
    held_on = fields.String()
    title = fields.String()
    minutes = fields.String()
    version = fields.Integer(metadata={"description": "The version you read (409 if stale); or send If-Match"})


class DeviationSchema(Schema):
    id = fields.UUID()
    contract_id = fields.UUID()
    title = fields.String()
    description = fields.String()
    severity = fields.String(metadata={"enum": list(SEVERITIES)})
    owner = fields.String()
    deadline = fields.Date()
    closed_on = fields.Date(allow_none=True)
    closing_note = fields.String()
    version = fields.Integer()
    created_at = fields.DateTime()


class DeviationPageSchema(Schema):
    items = fields.List(fields.Nested(DeviationSchema))
    next_cursor = fields.String(allow_none=True)


class DeviationInSchema(Schema):
    title = fields.String(required=True)
    description = fields.String(load_default="")
    severity = fields.String(required=True, metadata={"enum": list(SEVERITIES)})
    owner = fields.String(required=True)
    deadline = fields.String(required=True, metadata={"description": "YYYY-MM-DD"})


class DeviationPatchSchema(Schema):
    title = fields.String()
    description = fields.String()
    severity = fields.String(metadata={"enum": list(SEVERITIES)})
    owner = fields.String()
    deadline = fields.String()
    closed = fields.Boolean(metadata={"description": "true closes the deviation (with `closing_note`); final"})
    closing_note = fields.String()
    version = fields.Integer(metadata={"description": "The version you read (409 if stale); or send If-Match"})


def _etag(prefix: str, row) -> dict[str, str]:
    return {"ETag": f'"{prefix}-{row.version}"'}


@bp.route("/contracts/<uuid:contract_id>/meetings")
class ContractMeetings(MethodView):
    @bp.arguments(ListArgs, location="query")
    @bp.response(200, MeetingPageSchema)
    def get(self, args, contract_id):
        """The contract's follow-up meetings with minutes, newest first (that buyer and the lead)."""
        page = followup.contract_meetings(contract_id, cursor=args["cursor"], limit=args["limit"])
        return {"items": page.items, "next_cursor": page.next_cursor}

    @bp.arguments(MeetingInSchema)
    @bp.response(201, MeetingSchema)
    def post(self, data, contract_id):
        """Record a held meeting and its minutes (that buyer's members, the lead's managers)."""
        meeting = followup.add_contract_meeting(contract_id, data)
        db.session.commit()
        return meeting, 201, _etag("meeting", meeting)


@bp.route("/follow-up-meetings/<uuid:meeting_id>")
class FollowUpMeetingDetail(MethodView):
    @bp.response(200, MeetingSchema)
    def get(self, meeting_id):
        """One meeting; sends an ETag for `PATCH`."""
        meeting = followup.readable_meeting(meeting_id)
        return meeting, 200, _etag("meeting", meeting)

    @bp.arguments(MeetingPatchSchema)
    @bp.response(200, MeetingSchema)
    @bp.alt_response(409, schema=None, description="`version` is stale, or the procurement is cancelled")
    @bp.alt_response(412, schema=None, description="`If-Match` is stale")
    @bp.alt_response(428, schema=None, description="Neither `If-Match` nor `version` was sent")
    def patch(self, data, meeting_id):
        """Change the fields sent. Send `If-Match` (the ETag) or the `version` you read."""
        followup.readable_meeting(meeting_id)  # who cannot see it learns nothing about preconditions
        if_match, expected = sent_versions(data, MEETING_ETAG)
        meeting = followup.update_meeting(meeting_id, data, if_match=if_match, expected=expected)
        db.session.commit()
        return meeting, 200, _etag("meeting", meeting)


@bp.route("/contracts/<uuid:contract_id>/deviations")
class ContractDeviations(MethodView):
    @bp.arguments(ListArgs, location="query")
    @bp.response(200, DeviationPageSchema)
    def get(self, args, contract_id):
        """The contract's deviations (avvik), newest first (that buyer and the lead)."""
        page = followup.contract_deviations(contract_id, cursor=args["cursor"], limit=args["limit"])
        return {"items": page.items, "next_cursor": page.next_cursor}

    @bp.arguments(DeviationInSchema)
    @bp.response(201, DeviationSchema)
    def post(self, data, contract_id):
        """Open a deviation: severity (low, medium, high, critical), owner and deadline."""
        deviation = followup.add_contract_deviation(contract_id, data)
        db.session.commit()
        return deviation, 201, _etag("deviation", deviation)


@bp.route("/deviations/<uuid:deviation_id>")
class DeviationDetail(MethodView):
    @bp.response(200, DeviationSchema)
    def get(self, deviation_id):
        """One deviation; sends an ETag for `PATCH`."""
        deviation = followup.readable_deviation(deviation_id)
        return deviation, 200, _etag("deviation", deviation)

    @bp.arguments(DeviationPatchSchema)
    @bp.response(200, DeviationSchema)
    @bp.alt_response(409, schema=None, description="`version` is stale, or the deviation is closed")
    @bp.alt_response(412, schema=None, description="`If-Match` is stale")
    @bp.alt_response(428, schema=None, description="Neither `If-Match` nor `version` was sent")
    def patch(self, data, deviation_id):
        """Change an open deviation's fields, or close it (`closed: true` and `closing_note`).
        Send `If-Match` (the ETag) or the `version` you read."""
        followup.readable_deviation(deviation_id)
        if_match, expected = sent_versions(data, DEVIATION_ETAG)
        deviation = followup.update_deviation(deviation_id, data, if_match=if_match, expected=expected)
        db.session.commit()
        return deviation, 200, _etag("deviation", deviation)
