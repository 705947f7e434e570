"""The requirement specification as an XLSX workbook: one sheet of requirements with the needs
each covers, one of needs with their coverage, one of award criteria with the price formula.
Cell text that would start a formula is quoted (`safe_cell`); `add_sheet` is the one sheet
writer, also used by the evaluation report (`core.award.exports`)."""

from __future__ import annotations

import io
import uuid
from typing import TYPE_CHECKING, Any, BinaryIO

from flask_babel import gettext as _

from core.exports.kinds import ExportKind, new_workbook
from core.specification import criteria, pricing, traceability
from core.specification.labels import category_label, kind_label, source_label
from core.specification.service import reads

if TYPE_CHECKING:
    from openpyxl import Workbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """`value` as a cell may hold it: text that would start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def add_sheet(workbook: Workbook, title: str, header: list[str], rows: list[list[Any]], *, first: bool = False):
    """Add a sheet `title` (at most 31 characters; the workbook's first, empty sheet when `first`)
    with a bold `header` row and `rows` below it, every cell through `safe_cell`, text wrapped and
    the first two columns narrow. Shared by the specification's and the evaluation's exports."""
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415 - as `new_workbook`: on an export only

    sheet = workbook.active if first else workbook.create_sheet()
    sheet.title = title
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    for column in sheet.iter_cols(min_row=1, max_row=1):
        sheet.column_dimensions[column[0].column_letter].width = 18 if column[0].column <= 2 else 50
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return sheet


def export_xlsx(procurement_id: uuid.UUID) -> tuple[str, bytes]:
    """(filename, XLSX bytes) of the specification (the caller must be able to read it)."""
    matrix = traceability.build(procurement_id)
    sets = criteria.criteria_sets(procurement_id)
    statements = {traced.need.id: traceability.need_label(traced.need, 200) for traced in matrix.needs}
    requirements = matrix.requirements
    workbook = new_workbook()
    add_sheet(workbook, _("Requirements"),
           [_("Number"), _("Kind"), _("Category"), _("Title"), _("Requirement"), _("Source"), _("Needs covered")],
           [[r.ref, kind_label(r.kind.value), category_label(r.category), r.title, r.text, source_label(r.source.value),
             "\n".join(statements[n] for n in r.need_ids if n in statements)] for r in requirements], first=True)
    add_sheet(workbook, _("Traceability"), [_("Priority"), _("Covered"), _("Need"), _("Requirements")],
           [[t.need.priority, _("Yes") if t.covered else _("No"), t.need.statement,
             ", ".join(r.ref for r in t.requirements)] for t in matrix.needs])
    rows = []
    for criteria_set in sets:
        for node in criteria_set.nodes:
            c = node.criterion
            rows.append([criteria_set.lot.title if criteria_set.lot else "", c.name, c.weight, c.description,
                         str(pricing.FORMULAS[c.price_model]) if c.price_model else ""])
            rows += [[criteria_set.lot.title if criteria_set.lot else "", "– " + sub.name, sub.weight,
                      sub.description, ""] for sub in node.children]
    add_sheet(workbook, _("Award criteria"), [_("Lot"), _("Criterion"), _("Weight"), _("Description"),
                                           _("Price formula")], rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return f"requirements-{procurement_id.hex[:8]}.xlsx", buffer.getvalue()



def _check_export(procurement_id: uuid.UUID, params: dict[str, Any]) -> dict[str, Any]:
    reads(procurement_id)  # as the direct download: the procurement's participants
    return {}


def _render_export(procurement_id: uuid.UUID, params: dict[str, Any], out: BinaryIO) -> str:
    name, body = export_xlsx(procurement_id)
    out.write(body)
    return name


EXPORT_KIND = ExportKind("requirements", "xlsx", XLSX_TYPE, _check_export, _render_export)
