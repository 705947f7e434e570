"""The award pages: the committee declares impartiality on the page before the report shows;
the printable report and its spreadsheet; the tenderer's own letter in the portal (in Bokmål)."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.award.conftest import decided


def test_group_page_declaration_report_and_xlsx(opened):
    w = opened
    client = w.login(w.officer)
    base = f"/t/baerum/procurements/{w.pid}/award/"
    page = client.get(base)
    assert page.status_code == 200 and 'id="impartiality-form"' in page.get_data(as_text=True)
    r = client.post(base + "impartiality", data={"conflict": "yes", "statement": ""})
    assert r.status_code == 422 and 'id="f-statement-error"' in r.get_data(as_text=True)
    decided(w)  # declares through the API and decides
    html = client.get(base, headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert 'id="evaluation-report"' in html and "74.00" in html
    assert 'data-buyer="asker"' in html and 'id="award-decision"' in html
    xlsx = client.get(base + "evaluation.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    totals = [row for row in sheet.iter_rows(values_only=True) if row[5] in ("74.00", "72.00")]
    assert len(totals) == 2
    # an outsider's tenant page: 404
    outsider = w.login(w.outsider, w.app.test_client())
    assert outsider.get(f"/t/drammen/procurements/{w.pid}/award/").status_code == 404


def test_tenderer_reads_its_own_letter_in_the_portal(opened):
    w = opened
    decided(w)
    client = w.login(w.b_user)
    html = client.get(f"/supplier/award/{w.pid}/", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert 'id="own-total-1"' in html and "72.00" in html and "74.00" in html
    other = w.login(w.c_user, w.app.test_client())
    assert other.get(f"/supplier/award/{w.pid}/").status_code == 404
