"""The benefits report per buyer for the municipal council: the printable page's rows and an
XLSX workbook with the same numbers (one sheet of KPIs, one of every measurement)."""

from __future__ import annotations

import io
import uuid
from typing import Any, BinaryIO

from flask_babel import gettext as _

from core.benefits.service import Overview, Series, overview
from core.errors import NotFound, ValidationError
from core.exports.kinds import XLSX, ExportKind, new_workbook
from core.i18n import _l


def for_buyer(procurement_id: uuid.UUID, slug: str) -> tuple[Overview, Any, list[Series]]:
    """(overview, the buyer's tenant, its series per KPI); 404 for a tenant that is not a buyer."""
    info = overview(procurement_id)
    buyer = next((b for b in info.buyers if b.tenant.slug == slug), None)
    if buyer is None:
        raise NotFound(_l("No such buyer in this procurement."))
    return info, buyer.tenant, [info.series[(buyer.tenant_id, k.key)] for k in info.kpis]


def _cell(value: Any) -> Any:
    text = str(value) if isinstance(value, str) else value
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@"):
        return "'" + text  # never a formula from typed text
    return text


def xlsx(procurement_id: uuid.UUID, slug: str, labels: dict[str, str]) -> tuple[str, bytes]:
    """(filename, workbook bytes); `labels` are the column headings in the reader's language."""
    info, tenant, series = for_buyer(procurement_id, slug)
    book = new_workbook()
    sheet = book.active
    sheet.title = labels["kpis"][:31]
    sheet.append([labels[k] for k in ("kpi", "unit", "baseline", "baseline_date", "method", "source", "owner",
                                      "target", "latest", "latest_period", "on_track")])
    for s in series:
        b = s.baseline
        sheet.append([_cell(s.kpi.name), _cell(b.unit if b else s.kpi.unit), b.value if b else None,
                      b.measured_on if b else None, _cell(b.method if b else ""), _cell(b.source if b else ""),
                      _cell(b.owner if b else ""), b.target_value if b else None,
                      s.latest[1] if s.latest else None, s.latest[0] if s.latest else None,
                      {True: labels["yes"], False: labels["no"], None: ""}[s.on_track]])
    values = book.create_sheet(labels["measurements"][:31])
    values.append([labels["kpi"], labels["period"], labels["value"]])
    for s in series:
        for period, value in s.measurements:
            values.append([_cell(s.kpi.name), period, value])
    buffer = io.BytesIO()
    book.save(buffer)
    return f"benefits-{tenant.slug}.xlsx", buffer.getvalue()


def xlsx_labels() -> dict[str, str]:
    """The workbook's headings in the reader's language."""
    return {"kpis": _("Benefit indicators"), "measurements": _("Measurements"), "kpi": _("Indicator"),
            "unit": _("Unit"), "baseline": _("Baseline"), "baseline_date": _("Baseline date"),
            "method": _("Method"), "source": _("Source"), "owner": _("Benefit owner"), "target": _("Target"),
            "latest": _("Latest value"), "latest_period": _("Latest month"), "on_track": _("On track"),
            "period": _("Month"), "value": _("Value"), "yes": _("yes"), "no": _("no")}


def _check_export(procurement_id: uuid.UUID, params: dict[str, Any]) -> dict[str, Any]:
    buyer = params.get("buyer")
    if not isinstance(buyer, str) or not buyer:
        raise ValidationError(_l("Say which buyer the report is for."),
                              errors={"parameters": [_l("Give the buyer's short name as \"buyer\".")]})
    for_buyer(procurement_id, buyer)  # as the direct download: the procurement's participants, a real buyer
    return {"buyer": buyer}


def _render_export(procurement_id: uuid.UUID, params: dict[str, Any], out: BinaryIO) -> str:
    filename, data = xlsx(procurement_id, params["buyer"], xlsx_labels())
    out.write(data)
    return filename


EXPORT_KIND = ExportKind("benefits", "xlsx", XLSX, _check_export, _render_export)
