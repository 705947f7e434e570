"""The procurement protocol as PDF: the protocol's data in a print template, set by WeasyPrint
with Debian's DejaVu fonts (`fonts-dejavu-core`), times in Europe/Oslo."""

from __future__ import annotations

import uuid

from flask import render_template
from weasyprint import HTML

from core.procurement.protocol import build_protocol


def protocol_pdf(procurement_id: uuid.UUID) -> tuple[bytes, str]:
    """(PDF bytes, a file name) — the caller must be able to read the protocol."""
    data = build_protocol(procurement_id)
    html = render_template("publication/protocol_pdf.html", protocol=data)
    pdf = HTML(string=html).write_pdf()
    return pdf, "protokoll.pdf"
