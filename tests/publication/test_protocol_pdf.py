"""The protocol as PDF (WeasyPrint): readable labels, Oslo times and the audit chain's result,
read back from the PDF's text; the project group only."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

from flask_babel import force_locale, gettext
from pypdf import PdfReader

from core.db import utcnow


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_protocol_pdf_has_labels_oslo_times_and_the_chain_result(joint):
    w = joint
    w.api("post", f"/api/v1/procurements/{w.pid}/dialogue/open", w.officer_token)
    r = w.api("get", f"/api/v1/procurements/{w.pid}/protocol.pdf", w.officer_token,
              headers={"Accept-Language": "nb"})
    assert r.status_code == 200 and r.mimetype == "application/pdf" and r.data.startswith(b"%PDF")
    text = pdf_text(r.data)
    assert "Tryggere hverdag" in text and "Bærum kommune" in text and "Asker kommune" in text
    oslo_date = utcnow().astimezone(ZoneInfo("Europe/Oslo"))
    assert f"{oslo_date.day}" in text
    assert "dialogue.opened" not in text  # actions read as sentences, not codes
    with w.app.test_request_context(), force_locale("nb"):
        verified = gettext("The audit chain behind this protocol verifies.")
    assert " ".join(verified.split()) in " ".join(text.split())
    intact = w.login(w.officer).get(f"/t/baerum/procurements/{w.pid}/protocol")
    assert 'data-intact="true"' in intact.get_data(as_text=True)
    assert f'href="/t/baerum/procurements/{w.pid}/protocol.pdf"' in intact.get_data(as_text=True)
    page = w.client.get(f"/t/baerum/procurements/{w.pid}/protocol.pdf")
    assert page.status_code == 200 and page.mimetype == "application/pdf"
    assert "Tryggere hverdag" in pdf_text(page.data)


def test_protocol_pdf_is_for_the_project_group_only(joint):
    w = joint
    for token in (w.outsider_token, w.a):
        assert w.api("get", f"/api/v1/procurements/{w.pid}/protocol.pdf", token).status_code == 404
    assert w.client.get(f"/api/v1/procurements/{w.pid}/protocol.pdf").status_code in (401, 404)
