"""JSON API of benefit realisation (contract.md, wave 2): `GET /procurements/{id}/benefits`,
`PUT …/benefits/baselines`, `POST …/benefits/measurements`, `GET /templates/{id}/results`."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from core.benefits import results, service
from core.db import db

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
