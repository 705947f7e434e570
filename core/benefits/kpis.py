"""Which KPIs a procurement follows up and who its buyers are.

KPIs come from the template version the procurement started from (`kpis`), from the lead
tenant's domain plugins (`samspill_benefit_kpis`) and from plugins that compute KPIs from their
own data (`samspill_computed_kpis`); the first definition of a key wins. The buyers are the
active participants with the lead or buyer role (each signs its own contract).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from core.db import db
from core.library.models import TemplateVersion
from core.plugin_platform.host import call_for_procurement, call_for_tenant
from core.plugin_platform.wiring import as_list
from core.procurement.models import ParticipantRole, Participation, ParticipationStatus, Procurement

DIRECTIONS = ("increase", "decrease")


@dataclass
class Kpi:
    key: str
    name: str
    unit: str = ""
    direction: str = "increase"
    description: str = ""
    source: str = "template"
    # computed KPIs: {tenant_id: [(period date, value)]} from the plugin's own data
    computed: dict[Any, list[tuple[Any, float]]] = field(default_factory=dict)

    @property
    def is_computed(self) -> bool:
        return self.source.startswith("computed:")


def _kpi(raw: Any, source: str) -> Kpi | None:
    if not isinstance(raw, dict) or not raw.get("key") or not raw.get("name"):
        return None
    direction = raw.get("direction") if raw.get("direction") in DIRECTIONS else "increase"
    return Kpi(str(raw["key"])[:80], str(raw["name"]), str(raw.get("unit") or ""), direction,
               str(raw.get("description") or ""), source)


def _computed_values(raw: dict) -> dict[Any, list[tuple[Any, float]]]:
    values: dict[Any, list[tuple[Any, float]]] = {}
    for item in as_list(raw.get("measurements")):
        try:
            value = float(item["value"])
            if math.isfinite(value):
                values.setdefault(item["tenant_id"], []).append((item["period"], value))
        except (KeyError, TypeError, ValueError):
            continue
    return {tenant: sorted(points) for tenant, points in values.items()}


def kpis_for(procurement: Procurement) -> list[Kpi]:
    """The procurement's KPIs in a stable order (template first, then plugins)."""
    found: dict[str, Kpi] = {}
    if procurement.template_version_id is not None:
        content = db.session.execute(select(TemplateVersion.content).where(
            TemplateVersion.id == procurement.template_version_id)).scalar_one_or_none() or {}
        for raw in content.get("kpis") or []:
            if (kpi := _kpi(raw, "template")) is not None:
                found.setdefault(kpi.key, kpi)
    if procurement.domain:
        for result in as_list(call_for_tenant("samspill_benefit_kpis", procurement.lead_tenant_id,
                                                  domain=procurement.domain)):
            for raw in as_list(result):
                if (kpi := _kpi(raw, "plugin")) is not None:
                    found.setdefault(kpi.key, kpi)
    for result in as_list(call_for_procurement("samspill_computed_kpis", procurement)):
        for raw in as_list(result):
            if (kpi := _kpi(raw, "computed:" + str(raw.get("key") if isinstance(raw, dict) else ""))) is not None \
                    and kpi.key not in found:
                kpi.computed = _computed_values(raw)
                found[kpi.key] = kpi
    return list(found.values())


def buyers(procurement_id) -> list[Participation]:
    """The active lead and buyers, by municipality name."""
    rows = db.session.execute(select(Participation).where(
        Participation.procurement_id == procurement_id,
        Participation.status == ParticipationStatus.active,
        Participation.role.in_([ParticipantRole.lead, ParticipantRole.buyer]))).scalars().all()
    return sorted(rows, key=lambda p: p.tenant.name)
