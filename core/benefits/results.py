"""Results in the learning arena: for a template, every municipality that bought with a
procurement started from it *and consented* (`Tenant.share_benefit_results`), its baseline,
latest value and change per KPI, with the measurements for a chart.

The arena is read by every tenant, so this reads across tenants on purpose (system scope) and
filters explicitly: only baselines with a value, only consenting tenants, only procurements
started from the template. Four queries whatever the number of municipalities: the template,
its latest version (the KPI names), baselines with their tenants, measurements.

`shared_for_procurement` gives the same results for one procurement's consenting buyers (the open
data of publication's OCDS implementation stage): baseline, target and latest value per KPI.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select

from core import isolation
from core.benefits.kpis import kpis_for
from core.benefits.models import Baseline, Measurement
from core.benefits.service import on_track
from core.db import db
from core.library import service as library
from core.library.models import Template, TemplateUse, TemplateVersion
from core.procurement.models import Procurement
from tenants.models import Tenant


@dataclass
class Result:
    tenant_name: str
    kpi_key: str
    kpi_name: str
    unit: str
    direction: str
    baseline: float
    target: float | None
    measurements: list[tuple[date, float]] = field(default_factory=list)
    tenant_id: uuid.UUID | None = None
    target_date: date | None = None

    @property
    def latest(self) -> float | None:
        return self.measurements[-1][1] if self.measurements else None

    @property
    def change(self) -> float | None:
        return None if self.latest is None else self.latest - self.baseline

    @property
    def improved(self) -> bool | None:
        return on_track(self.direction, self.latest, self.baseline, None)

    @property
    def on_target(self) -> bool | None:
        """The latest value against the target (else the baseline) in the KPI's direction."""
        return on_track(self.direction, self.latest, self.baseline, self.target)

    def as_dict(self) -> dict[str, Any]:
        return {"municipality": self.tenant_name, "kpi": self.kpi_key, "name": self.kpi_name, "unit": self.unit,
                "direction": self.direction, "baseline": self.baseline, "target": self.target,
                "latest": self.latest, "latest_period": self.measurements[-1][0].isoformat()
                if self.measurements else None, "change": self.change, "improved": self.improved}


def _kpi_definitions(template: Template) -> dict[str, dict]:
    version = db.session.get(TemplateVersion, template.latest_version_id) if template.latest_version_id else None
    content = (version.content if version is not None else {}) or {}
    return {k["key"]: k for k in content.get("kpis") or [] if isinstance(k, dict) and k.get("key")}


def for_template(template_id: uuid.UUID) -> list[Result]:
    """The consenting municipalities' results for a template the caller may see (else 404)."""
    template = library.get_visible_template(template_id)
    definitions = _kpi_definitions(template)
    used = select(TemplateUse.procurement_id).where(TemplateUse.template_id == template.id)
    # Deliberately across tenants: other municipalities' results, consent checked below.
    with isolation.system_scope():
        rows = db.session.execute(
            select(Baseline.procurement_id, Baseline.tenant_id, Baseline.kpi_key, Baseline.value, Baseline.unit,
                   Baseline.target_value, Tenant.name)
            .join(Tenant, Tenant.id == Baseline.tenant_id)
            .where(Baseline.procurement_id.in_(used), Baseline.value.is_not(None),
                   Tenant.share_benefit_results.is_(True))
            .order_by(Tenant.name, Baseline.kpi_key)).all()
        points: dict[tuple, list[tuple[date, float]]] = {}
        if rows:
            tenants = {r.tenant_id for r in rows}
            for m in db.session.execute(
                    select(Measurement.procurement_id, Measurement.tenant_id, Measurement.kpi_key,
                           Measurement.period, Measurement.value)
                    .where(Measurement.procurement_id.in_(used), Measurement.tenant_id.in_(tenants))
                    .order_by(Measurement.period)):
                points.setdefault((m.procurement_id, m.tenant_id, m.kpi_key), []).append((m.period, m.value))
    results = []
    for r in rows:
        definition = definitions.get(r.kpi_key, {})
        results.append(Result(r.name, r.kpi_key, str(definition.get("name") or r.kpi_key),
                              r.unit or str(definition.get("unit") or ""),
                              definition.get("direction") if definition.get("direction") in ("increase", "decrease")
                              else "increase", r.value, r.target_value,
                              points.get((r.procurement_id, r.tenant_id, r.kpi_key), [])))
    return results


def shared_for_procurement(procurement: Procurement) -> list[Result]:
    """Each consenting buyer's results in `procurement` (baseline, target, latest measurement per
    KPI), by municipality and KPI; the caller decides who may read the procurement.

    Read in system scope with explicit filters (only tenants that share their results, only
    baselines with a value: a waived one is never shown). One query (the latest month per buyer and
    KPI is picked in SQL) plus the KPI definitions, whatever the number of measurements.
    """
    newest = (select(Measurement.tenant_id, Measurement.kpi_key, func.max(Measurement.period).label("period"))
              .where(Measurement.procurement_id == procurement.id)
              .group_by(Measurement.tenant_id, Measurement.kpi_key).subquery())
    with isolation.system_scope():  # several buyers' rows; consent is the filter
        rows = db.session.execute(
            select(Baseline.tenant_id, Baseline.kpi_key, Baseline.value, Baseline.unit, Baseline.target_value,
                   Baseline.target_date, Tenant.name, Measurement.period, Measurement.value.label("latest"))
            .join(Tenant, Tenant.id == Baseline.tenant_id)
            .outerjoin(newest, and_(newest.c.tenant_id == Baseline.tenant_id, newest.c.kpi_key == Baseline.kpi_key))
            .outerjoin(Measurement, and_(Measurement.procurement_id == procurement.id,
                                         Measurement.tenant_id == newest.c.tenant_id,
                                         Measurement.kpi_key == newest.c.kpi_key,
                                         Measurement.period == newest.c.period))
            .where(Baseline.procurement_id == procurement.id, Baseline.value.is_not(None),
                   Tenant.share_benefit_results.is_(True))
            .order_by(Tenant.name, Baseline.kpi_key).limit(1000)).all()
    if not rows:
        return []
    definitions = {kpi.key: kpi for kpi in kpis_for(procurement)}
    results = []
    for r in rows:
        kpi = definitions.get(r.kpi_key)
        point = (r.period, r.latest) if r.period is not None else None
        if kpi is not None and kpi.is_computed:  # a plugin's own values, never typed in
            computed = [p for p in kpi.computed.get(r.tenant_id, []) if isinstance(p[0], date)]
            point = computed[-1] if computed else point
        results.append(Result(r.name, r.kpi_key, kpi.name if kpi else r.kpi_key, r.unit or (kpi.unit if kpi else ""),
                              kpi.direction if kpi else "increase", r.value, r.target_value,
                              [point] if point else [], tenant_id=r.tenant_id, target_date=r.target_date))
    return results
