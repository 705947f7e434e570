"""The rules of benefit realisation.

- Reading needs read access to the procurement (its participants; others get 404).
- Each buyer writes only its own values: the caller must be a member (or more) of the buyer
  tenant and that tenant must take part as lead or buyer. Another buyer's values answer 403
  (the caller sees them but may not change them); a tenant that is not a buyer answers 404.
- Follow-up is deliberately *not* frozen with the procurement: baselines, targets and
  measurements are accepted after completion (`ensure_active` is not called); a cancelled
  procurement takes no more values.
- The needs-phase gate item `core-benefits-baseline` is automatic only (`gate_checks`): met
  when every KPI × buyer pair has a baseline or a waiver with a reason, otherwise open with
  the missing pairs in words; no one ticks it by hand.
- Measurements are monthly (a period is the first day of a month), not in the future, and
  only from the buyer's contract start: a buyer without a signed contract records none.
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select

from core import audit
from core.access import require_tenant_role
from core.benefits.kpis import Kpi, buyers, kpis_for
from core.benefits.models import Baseline, Measurement
from core.db import db
from core.errors import Conflict, Forbidden, NotFound, ValidationError
from core.i18n import _l
from core.library import lessons
from core.plugin_platform.host import current_host, emit
from core.procurement.access import ProcurementAccess, require
from core.procurement.gates import Deferred
from core.procurement.models import (
    Participation,
    Procurement,
    ProcurementStatus,
)
from tenants.models import ROLE_RANK, Tenant, TenantRole

OSLO = ZoneInfo("Europe/Oslo")
BASELINE_ITEM = "core-benefits-baseline"
LESSON_ITEM = "core-lesson-learned"
MIN_REASON = 5
TEXT_LIMITS = {"unit": 60, "method": 4000, "source": 300, "owner": 200, "waiver_reason": 2000}


def this_month() -> date:
    today = datetime.now(OSLO).date()
    return today.replace(day=1)


@dataclass
class Series:
    """One buyer's values of one KPI."""

    kpi: Kpi
    tenant: Any
    baseline: Baseline | None
    measurements: list[tuple[date, float]] = field(default_factory=list)

    @property
    def latest(self) -> tuple[date, float] | None:
        return self.measurements[-1] if self.measurements else None

    @property
    def on_track(self) -> bool | None:
        """Whether the latest value is on track: towards the target (or, without one, better
        than the baseline) in the KPI's direction; None when there is nothing to compare."""
        return on_track(self.kpi.direction, self.latest[1] if self.latest else None,
                        self.baseline.value if self.baseline else None,
                        self.baseline.target_value if self.baseline else None)


def on_track(direction: str, value: float | None, baseline: float | None, target: float | None) -> bool | None:
    if value is None:
        return None
    reference = target if target is not None else baseline
    if reference is None:
        return None
    if direction == "decrease":
        return value <= reference if target is not None else value < reference
    return value >= reference if target is not None else value > reference


@dataclass
class Overview:
    access: ProcurementAccess
    kpis: list[Kpi]
    buyers: list[Participation]
    series: dict[tuple[uuid.UUID, str], Series]
    writable: list[uuid.UUID]

    @property
    def procurement(self) -> Procurement:
        return self.access.procurement

    def missing(self) -> list[tuple[Participation, Kpi]]:
        return [(b, k) for b in self.buyers for k in self.kpis if not k.is_computed
                and self.series[(b.tenant_id, k.key)].baseline is None]

    def missing_in_words(self) -> list[str]:
        return [f"{b.tenant.name}: {k.name}" for b, k in self.missing()]


def _writable_tenants(access: ProcurementAccess, buyer_rows: list[Participation]) -> list[uuid.UUID]:
    buyer_ids = {b.tenant_id for b in buyer_rows}
    result = []
    for tenant_id in access.participations:
        role = access.principal.role_in(tenant_id)
        if tenant_id in buyer_ids and role is not None and ROLE_RANK[role] >= ROLE_RANK[TenantRole.member]:
            result.append(tenant_id)
    return result


def overview(procurement_id: uuid.UUID, *, access: ProcurementAccess | None = None) -> Overview:
    """Everything the follow-up page, the report and the API show: four queries whatever the
    number of KPIs and buyers (access, buyers, baselines, measurements)."""
    access = access or require(procurement_id)
    procurement = access.procurement
    kpis = kpis_for(procurement)
    buyer_rows = buyers(procurement.id)
    baselines = {(b.tenant_id, b.kpi_key): b for b in db.session.execute(
        select(Baseline).where(Baseline.procurement_id == procurement.id)).scalars()}
    points: dict[tuple[uuid.UUID, str], list[tuple[date, float]]] = {}
    for row in db.session.execute(
            select(Measurement.tenant_id, Measurement.kpi_key, Measurement.period, Measurement.value)
            .where(Measurement.procurement_id == procurement.id).order_by(Measurement.period)):
        points.setdefault((row.tenant_id, row.kpi_key), []).append((row.period, row.value))
    series = {}
    for buyer in buyer_rows:
        for kpi in kpis:
            key = (buyer.tenant_id, kpi.key)
            values = points.get(key, [])
            if kpi.is_computed:
                values = sorted(values + [(p, v) for p, v in kpi.computed.get(buyer.tenant_id, [])
                                          if isinstance(p, date)])
            series[key] = Series(kpi, buyer.tenant, baselines.get(key), values)
    return Overview(access, kpis, buyer_rows, series, _writable_tenants(access, buyer_rows))


# --- writing ---------------------------------------------------------------------------------

def _writer(procurement_id: uuid.UUID, tenant_id: uuid.UUID | None) -> tuple[Overview, uuid.UUID]:
    access = require(procurement_id)
    info = overview(procurement_id, access=access)
    if info.procurement.status == ProcurementStatus.cancelled:
        raise Conflict(_l("The procurement is cancelled; no more benefit values are recorded."))
    if not info.writable:
        raise Forbidden(_l("Only the municipality's own people record its benefit values."))
    if tenant_id is None:
        if len(info.writable) != 1:
            raise ValidationError(_l("Choose the municipality the values are for."),
                                  errors={"tenant_id": [_l("Choose one of your municipalities.")]})
        tenant_id = info.writable[0]
    if tenant_id not in {b.tenant_id for b in info.buyers}:
        raise NotFound(_l("No such buyer in this procurement."))
    if tenant_id not in info.writable:
        raise Forbidden(_l("Only the municipality's own people record its benefit values."))
    return info, tenant_id


def _kpi_of(info: Overview, key: Any) -> Kpi:
    kpi = next((k for k in info.kpis if k.key == key), None)
    if kpi is None:
        raise ValidationError(_l("Choose one of the procurement's KPIs."),
                              errors={"kpi_key": [_l("Choose one of the procurement's KPIs.")]})
    if kpi.is_computed:
        raise ValidationError(_l("This KPI is computed from a plugin's data."),
                              errors={"kpi_key": [_l("This KPI is computed; its values cannot be typed in.")]})
    return kpi


def parse_number(value: Any, field_name: str, errors: dict, *, required: bool) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors[field_name] = [_l("Enter a number.")]
        return None
    if isinstance(value, bool):
        errors[field_name] = [_l("Enter a number.")]
        return None
    try:
        number = float(value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
                       if isinstance(value, str) else value)
    except (TypeError, ValueError):
        errors[field_name] = [_l("Enter a number.")]
        return None
    if not math.isfinite(number) or abs(number) > 1e12:
        errors[field_name] = [_l("Enter a number.")]
        return None
    return number


def parse_date(value: Any, field_name: str, errors: dict, *, required: bool) -> date | None:
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        if required:
            errors[field_name] = [_l("Enter a date.")]
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[field_name] = [_l("Enter a date as YYYY-MM-DD.")]
        return None


def parse_period(value: Any, errors: dict) -> date | None:
    text = str(value or "").strip()
    try:
        year, month = text[:7].split("-")
        period = date(int(year), int(month), 1)
        if len(text) not in (7, 10) or period.year < 2000:
            raise ValueError
    except ValueError:
        errors["period"] = [_l("Enter a month as YYYY-MM.")]
        return None
    return period


def _text(data: dict, name: str, errors: dict, *, required: bool = False) -> str:
    text = str(data.get(name) or "").strip()
    if len(text) > TEXT_LIMITS[name]:
        errors[name] = [_l("At most %(max)d characters.", max=TEXT_LIMITS[name])]
    elif required and not text:
        errors[name] = [_l("Fill in this field.")]
    return text


def clean_baseline(data: dict[str, Any], kpi: Kpi) -> dict[str, Any]:
    """A baseline (value, date, method, source and benefit owner required) or a waiver (a
    reason and no value); a target is optional."""
    errors: dict[str, list] = {}
    waiver = _text(data, "waiver_reason", errors)
    has_value = str(data.get("value") if data.get("value") is not None else "").strip() != ""
    if waiver and has_value:
        errors["waiver_reason"] = [_l("Give either a baseline or a reason for not having one.")]
    if waiver and not has_value and len(waiver) < MIN_REASON:
        errors["waiver_reason"] = [_l("Write why (%(min)d-2000 characters).", min=MIN_REASON)]
    needed = not waiver
    clean = {
        "value": parse_number(data.get("value"), "value", errors, required=needed),
        "unit": _text(data, "unit", errors) or kpi.unit,
        "measured_on": parse_date(data.get("measured_on"), "measured_on", errors, required=needed),
        "method": _text(data, "method", errors, required=needed),
        "source": _text(data, "source", errors, required=needed),
        "owner": _text(data, "owner", errors, required=True),
        "waiver_reason": waiver,
        "target_value": parse_number(data.get("target_value"), "target_value", errors, required=False),
        "target_date": parse_date(data.get("target_date"), "target_date", errors, required=False),
    }
    if clean["measured_on"] and clean["measured_on"] > datetime.now(OSLO).date():
        errors["measured_on"] = [_l("A baseline is measured before today.")]
    if errors:
        raise ValidationError(_l("The baseline is not complete."), errors=errors)
    return clean


def save_baseline(procurement_id: uuid.UUID, kpi_key: str, data: dict[str, Any],
                  tenant_id: uuid.UUID | None = None) -> Baseline:
    """Record (or change) a buyer's baseline and target for one KPI."""
    info, tenant_id = _writer(procurement_id, tenant_id)
    kpi = _kpi_of(info, kpi_key)
    clean = clean_baseline(data, kpi)
    baseline = info.series[(tenant_id, kpi.key)].baseline
    before = None
    if baseline is None:
        baseline = Baseline(procurement_id=procurement_id, tenant_id=tenant_id, kpi_key=kpi.key)
        db.session.add(baseline)
    else:
        before = {name: _plain(getattr(baseline, name)) for name in clean}
    for name, value in clean.items():
        setattr(baseline, name, value)
    baseline.by_id = info.access.principal.user.id
    db.session.flush()
    audit.record("benefit.baseline_saved", "benefit_baseline", baseline.id, tenant_id=tenant_id,
                 procurement_id=procurement_id, changes=audit.diff(before, {k: _plain(v) for k, v in clean.items()})
                 if before else {"after": {k: _plain(v) for k, v in clean.items()}, "kpi": kpi.key})
    return baseline


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def contract_start(procurement: Procurement, tenant_id: uuid.UUID) -> date | None:
    """The buyer's contract start from the contract domain (`samspill_contract_start`), or None."""
    start = current_host().call("samspill_contract_start", procurement=procurement, tenant_id=tenant_id)
    if isinstance(start, datetime):
        return start.astimezone(OSLO).date()
    return start if isinstance(start, date) else None


def record_measurement(procurement_id: uuid.UUID, kpi_key: str, data: dict[str, Any],
                       tenant_id: uuid.UUID | None = None) -> Measurement:
    """A buyer's value for one month (a second value for the same month replaces the first)."""
    info, tenant_id = _writer(procurement_id, tenant_id)
    kpi = _kpi_of(info, kpi_key)
    errors: dict[str, list] = {}
    period = parse_period(data.get("period"), errors)
    value = parse_number(data.get("value"), "value", errors, required=True)
    note = str(data.get("note") or "").strip()
    if len(note) > 500:
        errors["note"] = [_l("At most %(max)d characters.", max=500)]
    if period is not None and period > this_month():
        errors["period"] = [_l("A measurement is for this month or an earlier one.")]
    start = contract_start(info.procurement, tenant_id) if period is not None else None
    if period is not None and start is None:
        errors["period"] = [_l("Measurements start with the municipality's signed contract; "
                               "no contract is signed yet.")]
    elif start is not None and period < start.replace(day=1):
        errors["period"] = [_l("Measurements start with the contract (%(date)s).", date=start.isoformat())]
    if errors:
        raise ValidationError(_l("The measurement is not complete."), errors=errors)
    row = db.session.execute(select(Measurement).where(
        Measurement.procurement_id == procurement_id, Measurement.tenant_id == tenant_id,
        Measurement.kpi_key == kpi.key, Measurement.period == period)).scalar_one_or_none()
    before = None
    if row is None:
        row = Measurement(procurement_id=procurement_id, tenant_id=tenant_id, kpi_key=kpi.key, period=period,
                          value=value, note=note)
        db.session.add(row)
    else:
        before = {"value": row.value, "note": row.note}
        row.value, row.note = value, note
    row.by_id = info.access.principal.user.id
    db.session.flush()
    audit.record("benefit.measured", "benefit_measurement", row.id, tenant_id=tenant_id,
                 procurement_id=procurement_id,
                 changes={"before": before, "after": {"name": kpi.name, "kpi": kpi.key, "period": period.isoformat(),
                                                      "value": value, "note": note}})
    tenant = db.session.get(Tenant, tenant_id)
    if tenant is not None and tenant.share_benefit_results:
        # The buyer shares its results: the value is published (OCDS implementation stage).
        emit("artefact_published", info.procurement, artefact_type="benefit_measurement", artefact=row)
    return row


# --- gate checks -----------------------------------------------------------------------------

def missing_baselines(procurement: Procurement) -> list[str]:
    """The KPI × buyer pairs without a baseline or a waiver, in words ("Asker kommune: Alarm
    response time"); two queries besides the KPIs (buyers, baselines)."""
    kpis = [k for k in kpis_for(procurement) if not k.is_computed]
    if not kpis:
        return []
    recorded = {(row.tenant_id, row.kpi_key) for row in db.session.execute(
        select(Baseline.tenant_id, Baseline.kpi_key).where(Baseline.procurement_id == procurement.id))}
    return [f"{b.tenant.name}: {k.name}" for b in buyers(procurement.id) for k in kpis
            if (b.tenant_id, k.key) not in recorded]


def gate_checks(procurement: Procurement) -> Deferred:
    """The baseline item (every KPI × buyer pair has a baseline or a waiver) and the
    lesson-learned item (the procurement has a lesson learned)."""
    def lesson_missing() -> list[str]:
        found = lessons.has_lesson(procurement.id)  # the page's lesson list, when it read it first
        return [] if found else [str(_l("No lesson learned is written yet."))]

    return Deferred({BASELINE_ITEM: lambda: missing_baselines(procurement), LESSON_ITEM: lesson_missing})


# --- consent ---------------------------------------------------------------------------------

def set_sharing(tenant_id: uuid.UUID, share: bool) -> None:
    """An admin of the tenant decides whether its results are shown in the learning arena."""
    require_tenant_role(tenant_id, TenantRole.admin)
    tenant = db.session.get(Tenant, tenant_id)
    before = tenant.share_benefit_results
    tenant.share_benefit_results = bool(share)
    db.session.flush()
    audit.record("tenant.benefit_sharing", "tenant", tenant.id, tenant_id=tenant.id,
                 changes={"before": {"share": before}, "after": {"share": bool(share)}})
