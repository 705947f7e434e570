"""The follow-up page (a chart per KPI and municipality with title, description and a table),
the forms' errors next to their fields, the benefits report (page and XLSX), the consent page,
and the arena's results: only consenting municipalities, in a bounded number of queries."""

from __future__ import annotations

import io
import re
from datetime import date

from openpyxl import load_workbook

from core.benefits import charts
from plugins.welfare_tech.content import TEMPLATE
from tests.benefits.conftest import KPI_KEYS, make_contract, record_all_baselines
from tests.conftest import csrf_token


def _measure(world, pid, slug, values):
    for i, value in enumerate(values, start=1):
        response = world.api(slug).post(f"/api/v1/procurements/{pid}/benefits/measurements", json={
            "kpi_key": "alarm_response_time", "period": f"2026-{i:02d}", "value": value})
        assert response.status_code == 201, response.get_data(as_text=True)


def _share(world, slug, share=True):
    client = world.browser(slug, "admin")
    page = client.get(f"/t/{slug}/admin/benefit-sharing")
    assert page.status_code == 200
    response = client.post(f"/t/{slug}/admin/benefit-sharing", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "share": "yes" if share else "no"})
    assert response.status_code == 303


def test_the_follow_up_page_has_an_accessible_chart_per_kpi_and_municipality(world, contracted):
    pid, _ = contracted
    record_all_baselines(world, pid, "asker")
    _measure(world, pid, "asker", [25, 20, 16, 12])
    html = world.browser("baerum").get(f"/t/baerum/procurements/{pid}/benefits").get_data(as_text=True)
    assert 'id="tab-benefits" href' in html and 'aria-current="page"' in html
    for key in KPI_KEYS:
        figure = re.search(rf'<figure class="benefit-chart" id="chart-{key}-asker">(.*?)</figure>', html, re.S)
        assert figure, key
        svg = figure.group(1)
        assert f'aria-labelledby="{key}-asker-title {key}-asker-desc"' in svg and 'role="img"' in svg
        assert f'<title id="{key}-asker-title">' in svg and f'<desc id="{key}-asker-desc">' in svg
        assert f'<table class="ds-table" data-border id="table-{key}-asker">' in svg
    chart = re.search(r'<figure class="benefit-chart" id="chart-alarm_response_time-asker">(.*?)</figure>', html,
                      re.S).group(1)
    assert chart.count("<circle") == 4 and "<path" in chart
    assert re.search(r"<desc[^>]*>[^<]*4[^<]*12", chart)  # four measurements, the latest 12
    assert 'id="chart-alarm_response_time-baerum"' not in html  # nothing recorded: no empty chart
    assert 'data-on-track="yes"' in html and "<script" not in chart
    assert "Bærum kommune: Responstid alarm" in html  # the missing pairs, in words


def test_chart_geometry_follows_the_values():
    chart = charts.build(25, 15, [(None, 25), (None, 12)])
    (x1, y1, _, _), (x2, y2, _, _) = chart.points
    assert x1 < x2 and y2 > y1  # lower value, lower on the picture (larger y)
    assert chart.target_y > chart.baseline_y
    assert charts.build(None, None, []) is None


def test_form_errors_are_shown_next_to_the_fields(world, contracted):
    pid, _ = contracted
    client = world.browser("asker")
    page = client.get(f"/t/asker/procurements/{pid}/benefits").get_data(as_text=True)
    response = client.post(f"/t/asker/procurements/{pid}/benefits/baselines", data={
        "csrf_token": csrf_token(page), "kpi_key": "alarm_response_time", "value": "mange", "owner": ""})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="f-value-error"' in html and 'id="f-owner-error"' in html and 'id="f-measured_on-error"' in html
    response = client.post(f"/t/asker/procurements/{pid}/benefits/measurements", data={
        "csrf_token": csrf_token(page), "kpi_key": "alarm_response_time", "period": "", "value": "12"})
    assert response.status_code == 422 and 'id="m-period-error"' in response.get_data(as_text=True)
    ok = client.post(f"/t/asker/procurements/{pid}/benefits/measurements", data={
        "csrf_token": csrf_token(page), "kpi_key": "alarm_response_time", "period": "2026-04", "value": "12,5"})
    assert ok.status_code == 303
    # a viewer of Asker sees the page but gets no forms
    html = world.browser("asker", "viewer").get(f"/t/asker/procurements/{pid}/benefits").get_data(as_text=True)
    assert 'id="save-baseline"' not in html and "12,5" in html


def test_the_benefits_report_per_buyer_as_a_page_and_xlsx(world, contracted):
    pid, _ = contracted
    record_all_baselines(world, pid, "asker")
    _measure(world, pid, "asker", [25, 12])
    client = world.browser("baerum")
    page = client.get(f"/t/baerum/procurements/{pid}/benefits/report?buyer=asker")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="report-title"' in html and "Asker kommune" in html and 'id="report-alarm_response_time"' in html
    assert client.get(f"/t/baerum/procurements/{pid}/benefits/report?buyer=drammen").status_code == 404
    xlsx = client.get(f"/t/baerum/procurements/{pid}/benefits/report.xlsx?buyer=asker")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(xlsx.data))
    rows = list(book.worksheets[0].values)
    alarm = next(r for r in rows if r[0] == "Responstid alarm")
    assert alarm[2] == 25 and alarm[8] == 12
    assert len(list(book.worksheets[1].values)) == 1 + 2


def test_the_arena_shows_consenting_municipalities_results_only(world, contracted):
    pid, tid = contracted
    record_all_baselines(world, pid, "asker", value=25)
    record_all_baselines(world, pid, "baerum", value=30)
    _measure(world, pid, "asker", [20, 12])
    _measure(world, pid, "baerum", [28, 18])
    drammen = world.api("drammen", "viewer")
    assert drammen.get(f"/api/v1/templates/{tid}/results").json["items"] == []  # no consent yet
    _share(world, "asker")
    items = drammen.get(f"/api/v1/templates/{tid}/results").json["items"]
    assert {i["municipality"] for i in items} == {"Asker kommune"}
    alarm = next(i for i in items if i["kpi"] == "alarm_response_time")
    assert (alarm["baseline"], alarm["latest"], alarm["change"], alarm["improved"]) == (25, 12, -13, True)
    html = world.browser("drammen", "viewer").get(f"/arena/templates/{tid}").get_data(as_text=True)
    assert 'id="results"' in html and "Asker kommune:" in html and "25,0 → 12,0" in html
    assert "Bærum kommune:" not in html
    _share(world, "asker", share=False)
    assert drammen.get(f"/api/v1/templates/{tid}/results").json["items"] == []


def test_the_consent_page_is_for_admins(world):
    client = world.browser("asker", "officer")
    page = client.get("/t/asker/admin/benefit-sharing")
    assert page.status_code == 200
    response = client.post("/t/asker/admin/benefit-sharing", data={
        "csrf_token": csrf_token(page.get_data(as_text=True)), "share": "yes"})
    assert response.status_code == 403


def test_arena_results_cost_a_bounded_number_of_queries(world, make, app, count_queries):
    baerum = world.api("baerum")
    tid = baerum.post("/api/v1/tenants/baerum/templates", json={"content": TEMPLATE, "visibility": "all"}).json[
        "template_id"]
    drammen = world.api("drammen", "viewer")

    def measure_queries():
        with count_queries() as counter:
            assert drammen.get(f"/api/v1/templates/{tid}/results").status_code == 200
        return counter.count

    assert drammen.get(f"/api/v1/templates/{tid}/results").status_code == 200  # warm: the token's first use
    counts = []
    for n in range(3):
        slug = f"town{n}"
        world.tenants[slug] = make.tenant(slug, f"Town {n}")
        pid = world.procurement(slug, template=tid, title=f"Town {n}")["id"]
        make_contract(app, pid, world.tenants[slug], starts_on=date(2025, 1, 1), signed_on=date(2024, 12, 1))
        record_all_baselines(world, pid, slug)
        _measure(world, pid, slug, [20, 15])
        _share(world, slug)
        counts.append(measure_queries())
    assert len(drammen.get(f"/api/v1/templates/{tid}/results").json["items"]) == 3 * len(KPI_KEYS)
    assert counts[0] == counts[1] == counts[2], counts
    assert counts[-1] <= 10, counts


def test_the_follow_up_page_and_api_cost_the_same_queries_whatever_the_data(world, contracted, count_queries):
    pid, _ = contracted
    api, browser = world.api("baerum"), world.browser("baerum")
    page_url, api_url = f"/t/baerum/procurements/{pid}/benefits", f"/api/v1/procurements/{pid}/benefits"
    assert browser.get(page_url).status_code == 200 and api.get(api_url).status_code == 200  # warm

    def counts():
        with count_queries() as on_page:
            assert browser.get(page_url).status_code == 200
        with count_queries() as on_api:
            assert api.get(api_url).status_code == 200
        return on_page.count, on_api.count

    record_all_baselines(world, pid, "asker")
    _measure(world, pid, "asker", [25])
    few = counts()
    record_all_baselines(world, pid, "baerum")
    _measure(world, pid, "asker", [25, 20, 18, 16, 14, 12])
    _measure(world, pid, "baerum", [30, 28, 26])
    assert counts() == few, few
