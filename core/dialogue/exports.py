"""Exports of questionnaire responses as CSV and XLSX.

- `internal` (project group with write access): everything, business secrets marked as such
  with the supplier's reason. It stays inside the procurement.
- `external`: the same without any business secret — the secret answers' content, their
  reasons and their files are left out, marked as withheld. Use it for anything that leaves
  the procurement.

Cells that a spreadsheet would run as a formula are neutralised (CSV/formula injection).
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Iterator
from typing import Any

from flask_babel import gettext as _

from core import audit
from core.dialogue.models import QuestionKind, QuestionnaireResponse
from core.dialogue.responses import ResponsesOverview, responses_overview
from core.errors import NotFound, ValidationError
from core.exports.kinds import new_workbook
from core.i18n import _l
from core.procurement.access import Action, require

WITHHELD = "[withheld: business secret]"
SECRET_MARK = "[BUSINESS SECRET]"  # noqa: S105  (a label, not a password)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
VARIANTS = ("internal", "external")  # `external` is the default


def internal_variant(variant: str | None) -> bool:
    """Whether `variant` asks for the internal export; None means the default (external).

    Anything but `internal` / `external` is refused (422) instead of silently giving the
    external export: a caller who misspelt `internal` must not believe it has the marked one.
    """
    if variant is None:
        return False
    if variant not in VARIANTS:
        raise ValidationError(_l("Unknown export variant \"%(variant)s\". Allowed values: \"internal\" (business "
                                 "secrets marked, inside the procurement only) and \"external\" (business secrets "
                                 "left out).", variant=variant),
                              errors={"variant": [_l("Must be one of: internal, external.")]},
                              allowed=list(VARIANTS))
    return variant == "internal"


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _display(overview: ResponsesOverview, kind: QuestionKind, value: Any) -> str:
    if value is None:
        return ""
    if kind == QuestionKind.attachment:
        names = [overview.files[uuid.UUID(i)].filename for i in value if uuid.UUID(i) in overview.files]
        return ", ".join(names)
    if isinstance(value, list):
        return "; ".join(value)
    return str(value)


def _rows(overview: ResponsesOverview, internal: bool) -> Iterator[list[Any]]:
    questions = overview.questionnaire.questions
    for response in overview.responses:
        for question in questions:
            answer = overview.answer(response, question.id)
            secret = bool(answer and answer.is_business_secret)
            if secret and not internal:
                text = WITHHELD
            else:
                text = _display(overview, question.kind, answer.value if answer else None)
            row = [response.supplier.name, response.supplier.org_number,
                   response.submitted_at.isoformat() if response.submitted_at else "",
                   question.position, question.text, text, "yes" if secret else "no"]
            if internal:
                row.append(answer.secret_reason if secret else "")
            yield [_safe(v) for v in row]


def _header(internal: bool) -> list[str]:
    header = ["supplier", "org_number", "submitted_at", "question_no", "question", "answer", "business_secret"]
    return header + ["secret_reason"] if internal else header


def _authorise(questionnaire_id: uuid.UUID, internal: bool, file_format: str,
               expected_procurement: uuid.UUID | None) -> ResponsesOverview:
    overview = responses_overview(questionnaire_id)
    procurement_id = overview.questionnaire.procurement_id
    if expected_procurement is not None and expected_procurement != procurement_id:
        raise NotFound(_l("No such questionnaire."))
    access = require(procurement_id, Action.write if internal else Action.read)
    audit.record("responses.exported", "dialogue_questionnaire", overview.questionnaire.id,
                 tenant_id=access.acting_tenant_id, procurement_id=procurement_id,
                 changes={"after": {"variant": "internal" if internal else "external", "format": file_format,
                                    "responses": len(overview.responses)}})
    return overview


def export_csv(questionnaire_id: uuid.UUID, *, internal: bool,
               procurement_id: uuid.UUID | None = None) -> tuple[str, str]:
    """(filename, CSV text). `internal` marks business secrets; external leaves them out."""
    overview = _authorise(questionnaire_id, internal, "csv", procurement_id)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_header(internal))
    writer.writerows(_rows(overview, internal))
    return _filename(overview, internal, "csv"), buffer.getvalue()


def export_xlsx(questionnaire_id: uuid.UUID, *, internal: bool,
                procurement_id: uuid.UUID | None = None) -> tuple[str, bytes]:
    """(filename, XLSX bytes): a long sheet and a side-by-side sheet (questions × suppliers)."""
    from openpyxl.styles import Alignment, Font  # noqa: PLC0415 - as `new_workbook`: on an export only

    overview = _authorise(questionnaire_id, internal, "xlsx", procurement_id)
    workbook = new_workbook()
    sheet = workbook.active
    sheet.title = "Responses"
    if internal:
        sheet.append([_("CONFIDENTIAL: contains business secrets. Do not share outside the procurement.")])
        sheet["A1"].font = Font(bold=True, color="9C0006")
    sheet.append(_header(internal))
    for row in _rows(overview, internal):
        sheet.append(row)
    side = workbook.create_sheet("Side by side")
    side.append(["#", "question"] + [_safe(r.supplier.name) for r in overview.responses])
    for question in overview.questionnaire.questions:
        cells: list[Any] = [question.position, _safe(question.text)]
        for response in overview.responses:
            answer = overview.answer(response, question.id)
            if answer is not None and answer.is_business_secret:
                cells.append(f"{SECRET_MARK} " + _display(overview, question.kind, answer.value) if internal
                             else WITHHELD)
            else:
                cells.append(_safe(_display(overview, question.kind, answer.value if answer else None)))
        side.append(cells)
    for ws in (sheet, side):
        for column in ws.iter_cols(min_row=1, max_row=1):
            ws.column_dimensions[column[0].column_letter].width = 40
        for row in ws.iter_rows():
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _filename(overview, internal, "xlsx"), buffer.getvalue()


def _filename(overview: ResponsesOverview, internal: bool, extension: str) -> str:
    variant = "internal" if internal else "external"
    return f"responses-{overview.questionnaire.id.hex[:8]}-{variant}.{extension}"


def response_as_dict(overview: ResponsesOverview, response: QuestionnaireResponse) -> dict[str, Any]:
    """One submitted response for the project group's JSON view (secrets marked, inside only)."""
    return {
        "id": response.id, "supplier": {"id": response.supplier.id, "name": response.supplier.name,
                                        "org_number": response.supplier.org_number},
        "status": response.status.value, "submitted_at": response.submitted_at, "version": response.version,
        "answers": [{"question_id": a.question_id, "value": a.value, "business_secret": a.is_business_secret,
                     "secret_reason": a.secret_reason} for a in response.answers],
    }
