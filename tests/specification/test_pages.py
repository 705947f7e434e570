"""The specification's pages: the requirement list with the advice text, add with need
checkboxes (a message next to the field without one), pick from the library, traceability,
criteria with a wrong sum shown next to the table, the simulation, and the XLSX export."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from core.db import db
from tests.conftest import csrf_token
from tests.specification.conftest import CRITERIA, requirement


def _plugin_template_version(app):
    from core.library.models import Template, TemplateSource
    from core.library.platform import sync_plugin_templates

    with app.app_context():
        sync_plugin_templates()
        db.session.commit()
        template = db.session.execute(select(Template).where(
            Template.source == TemplateSource.plugin, Template.owner_key == "welfare_tech",
            Template.key == "tryggere-hverdag")).scalar_one()
        return template.latest_version_id


def _url(spec, tail=""):
    return f"/t/baerum/procurements/{spec.pid}/specification/{tail}"


def test_requirement_page_adds_with_needs_and_shows_errors_next_to_the_field(world, spec):
    browser = world.browser("baerum")
    page = browser.get(_url(spec))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="functional-advice"' in html and 'id="tab-requirements"' in html
    token = csrf_token(html)
    refused = browser.post(_url(spec, "requirements"), data={"csrf_token": token, "text": "Skal varsle",
                                                             "kind": "absolute"})
    assert refused.status_code == 422
    assert 'id="f-needs-error"' in refused.get_data(as_text=True)
    added = browser.post(_url(spec, "requirements"), data={
        "csrf_token": token, "text": "Løsningen skal varsle ved fall.", "kind": "absolute",
        "category": "function", "needs": [spec.needs[0]["id"], spec.needs[1]["id"]]})
    assert added.status_code == 303
    listed = browser.get(_url(spec)).get_data(as_text=True)
    assert "Løsningen skal varsle ved fall." in listed
    picked = browser.post(_url(spec, "requirements/from-library"), data={
        "csrf_token": token, "library_ref": "welfare_tech:WT-SEC-01", "needs": [spec.needs[2]["id"]]})
    assert picked.status_code == 303
    assert "Normen" in browser.get(_url(spec)).get_data(as_text=True)
    trace = browser.get(_url(spec, "traceability"))
    assert trace.status_code == 200 and 'data-covered="true"' in trace.get_data(as_text=True)


def test_criteria_page_saves_rows_refuses_a_wrong_sum_and_simulates(world, spec):
    browser = world.browser("baerum")
    page = browser.get(_url(spec, "award-criteria"))
    assert page.status_code == 200
    token = csrf_token(page.get_data(as_text=True))
    rows = [("criterion", "Kvalitet", "40", ""), ("sub", "Brukervennlighet", "25", ""),
            ("sub", "Treffsikkerhet", "15", ""), ("price", "Pris", "30", "lowest_proportional"),
            ("criterion", "Gevinst", "20", "")]
    form = {"csrf_token": token, "rows": str(len(rows))}
    for i, (level, name, weight, model) in enumerate(rows):
        form |= {f"row-{i}-level": level, f"row-{i}-name": name, f"row-{i}-weight": weight,
                 f"row-{i}-price_model": model}
    wrong = browser.post(_url(spec, "award-criteria"), data=form)
    assert wrong.status_code == 422 and "90" in wrong.get_data(as_text=True)
    form["row-4-weight"] = "30"
    assert browser.post(_url(spec, "award-criteria"), data=form).status_code == 303
    shown = browser.get(_url(spec, "award-criteria")).get_data(as_text=True)
    assert 'id="criteria-complete"' in shown and 'id="price-formula"' in shown
    api = world.api("baerum")
    body = api.get(f"{spec.base}/award-criteria").json
    leaves = [s["id"] for s in body["criteria"][0]["sub_criteria"]] + [body["criteria"][2]["id"]]
    sim = {"csrf_token": token}
    for i, price in enumerate(("100", "200")):
        sim |= {f"tender-{i}-name": f"T{i}", f"tender-{i}-price": price}
        sim |= {f"tender-{i}-score-{leaf}": "10" for leaf in leaves}
    result = browser.post(_url(spec, "award-criteria/simulation"), data=sim)
    html = result.get_data(as_text=True)
    assert result.status_code == 200 and 'id="ranking-table"' in html and "100.00" in html


def test_xlsx_export_holds_requirements_needs_and_criteria(world, spec):
    api = world.api("baerum")
    requirement(api, spec, text="=Løsningen skal varsle ved fall.", needs=spec.needs[:2], title="Fall")
    api.put(f"{spec.base}/award-criteria", json={"criteria": CRITERIA})
    response = api.get(f"{spec.base}/requirements.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Requirements", "Traceability", "Award criteria"]
    rows = list(book["Requirements"].iter_rows(values_only=True))
    assert rows[1][0] == "K-001" and rows[1][3] == "Fall"
    assert rows[1][4] == "'=Løsningen skal varsle ved fall."  # never a formula
    assert spec.needs[1]["statement"] in rows[1][6]
    trace = list(book["Traceability"].iter_rows(values_only=True))
    assert [r[3] or "" for r in trace[1:]] == ["K-001", "K-001", ""]
    criteria_rows = list(book["Award criteria"].iter_rows(values_only=True))
    assert [r[1] for r in criteria_rows[1:]] == ["Kvalitet", "– Brukervennlighet", "– Treffsikkerhet", "Pris",
                                                 "Implementering og gevinst"]
    assert "lowest price" in criteria_rows[4][4]


def test_a_requirement_under_another_procurements_url_is_404(world, spec):
    api = world.api("baerum")
    rid = requirement(api, spec).json["id"]
    other = world.procurement(title="Annen anskaffelse")
    browser = world.browser("baerum")
    token = csrf_token(browser.get(_url(spec)).get_data(as_text=True))
    wrong = f"/t/baerum/procurements/{other['id']}/specification/requirements/{rid}"
    assert browser.post(wrong + "/delete", data={"csrf_token": token}).status_code == 404
    assert browser.post(wrong, data={"csrf_token": token, "text": "x"}).status_code == 404
    assert api.get(f"/api/v1/requirements/{rid}").status_code == 200  # still there
