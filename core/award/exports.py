"""The evaluation report as an XLSX workbook: per lot, per tender and criterion the consensus
score, its motivation and the weighted points, with totals and rank. Cell text that would start
a formula is quoted (the specification's public `add_sheet`)."""

from __future__ import annotations

import io
import shutil
import uuid
from typing import Any, BinaryIO

from flask_babel import gettext as _

from core.award import scoring
from core.award.scoring import LotResult, shown
from core.db import db
from core.exports.kinds import ExportKind, new_workbook
from core.procurement.models import Procurement
from core.specification.exports import XLSX_TYPE, add_sheet

__all__ = ["EXPORT_KIND", "XLSX_TYPE", "evaluation_workbook"]


def evaluation_workbook(procurement: Procurement, results: list[LotResult]) -> io.BytesIO:
    workbook = new_workbook()
    header = [_("Tenderer"), _("Criterion"), _("Weight"), _("Consensus score"), _("Motivation"),
              _("Weighted points")]
    for index, result in enumerate(results):
        rows: list[list[Any]] = []
        for entry in result.ranked:
            for criterion in result.criteria:
                consensus = entry["consensus"].get(str(criterion.id), {})
                points = entry["points"].get(str(criterion.id))
                rows.append([entry["supplier"], criterion.name, criterion.weight,
                             _("Price") if criterion.is_price else consensus.get("score"),
                             consensus.get("motivation", ""), shown(points) if points is not None else ""])
            tie = " (" + _("tie") + ")" if entry["tied"] else ""
            rows.append([entry["supplier"], _("Total"), 100, "", _("Rank %(rank)s", rank=entry["rank"]) + tie,
                         shown(entry["total"])])
        title = (result.lot_title or procurement.title)[:31]
        add_sheet(workbook, title, header, rows, first=index == 0)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    return data


def _check_export(procurement_id: uuid.UUID, params: dict[str, Any]) -> dict[str, Any]:
    scoring.require_evaluation_reader(procurement_id)  # as the direct download
    return {}


def _render_export(procurement_id: uuid.UUID, params: dict[str, Any], out: BinaryIO) -> str:
    procurement = db.session.get(Procurement, procurement_id)
    shutil.copyfileobj(evaluation_workbook(procurement, scoring.evaluate(procurement_id)), out)
    return "evaluering.xlsx"


EXPORT_KIND = ExportKind("evaluation", "xlsx", XLSX_TYPE, _check_export, _render_export)
