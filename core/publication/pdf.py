"""The procurement protocol as PDF: the protocol's data in a print template, set by WeasyPrint
with Debian's DejaVu fonts (`fonts-dejavu-core`), times in Europe/Oslo."""

from __future__ import annotations

import uuid
from typing import Any, BinaryIO

from flask import render_template

from core.exports.kinds import PDF, ExportKind
from core.procurement.access import require
from core.procurement.protocol import build_protocol


def protocol_pdf(procurement_id: uuid.UUID) -> tuple[bytes, str]:
    """(PDF bytes, a file name) — the caller must be able to read the protocol."""
    from weasyprint import HTML  # noqa: PLC0415 - ~30 MB per worker, loaded for a PDF only

    data = build_protocol(procurement_id)
    html = render_template("publication/protocol_pdf.html", protocol=data)
    pdf = HTML(string=html).write_pdf()
    return pdf, "protokoll.pdf"


def _check_export(procurement_id: uuid.UUID, params: dict[str, Any]) -> dict[str, Any]:
    require(procurement_id)  # as the direct download (the protocol's own read rule)
    return {}


def _render_export(procurement_id: uuid.UUID, params: dict[str, Any], out: BinaryIO) -> str:
    body, filename = protocol_pdf(procurement_id)
    out.write(body)
    return filename


EXPORT_KIND = ExportKind("protocol", "pdf", PDF, _check_export, _render_export)
