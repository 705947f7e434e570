"""Contract follow-up: meetings with minutes, deviations with severity, owner, deadline and
closing, option deadlines (reminded by the award package); visible to that buyer and the lead, no one else; and
measurements start with the buyer's signed contract."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from core import isolation
from core.award.models import Contract
from core.benefits.models import Deviation
from core.db import db
from tests.benefits.conftest import make_contract
from tests.conftest import csrf_token


def _post(client, url, data):
    page = client.get(url.rsplit("/benefits", 1)[0] + "/benefits")
    return client.post(url, data={"csrf_token": csrf_token(page.get_data(as_text=True)), **data})


def test_meetings_and_deviations_are_recorded_and_closed_by_the_buyer(world, joint, app):
    pid, _ = joint
    contract = make_contract(app, pid, world.tenant("asker"), starts_on=date(2026, 1, 1))
    asker = world.browser("asker")
    base = f"/t/asker/procurements/{pid}/benefits"
    bad = _post(asker, base + "/meetings", {"contract": contract, "title": "", "held_on": "2026-02-30",
                                             "minutes": "x"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'id="meeting-1-title-error"' in html and 'id="meeting-1-held_on-error"' in html
    assert _post(asker, base + "/meetings", {"contract": contract, "title": "First follow-up", "held_on": "2026-02-10",
                                             "minutes": "Alarms answered on time."}).status_code == 303
    assert _post(asker, base + "/deviations", {"contract": contract, "title": "Sensor offline", "severity": "bogus",
                                               "owner": "Kari", "deadline": "2026-03-01"}).status_code == 422
    assert _post(asker, base + "/deviations", {"contract": contract, "title": "Sensor offline", "severity": "high",
                                               "owner": "Kari", "deadline": "2026-03-01"}).status_code == 303
    with app.app_context(), isolation.system_scope():
        deviation = db.session.execute(select(Deviation)).scalar_one()
        assert (deviation.severity, deviation.owner, deviation.closed_on) == ("high", "Kari", None)
        deviation_id = str(deviation.id)
    assert _post(asker, base + "/deviations/close", {"deviation": deviation_id, "closing_note": ""}).status_code == 422
    assert _post(asker, base + "/deviations/close", {"deviation": deviation_id,
                                                     "closing_note": "Sensor replaced."}).status_code == 303
    html = asker.get(base).get_data(as_text=True)
    assert 'data-severity="high" data-closed="yes"' in html and "Alarms answered on time." in html


def test_follow_up_is_visible_to_that_buyer_and_the_lead_only(world, joint, app):
    pid, _ = joint
    asker_contract = make_contract(app, pid, world.tenant("asker"))
    baerum_contract = make_contract(app, pid, world.tenant("baerum"))
    lead_page = world.browser("baerum").get(f"/t/baerum/procurements/{pid}/benefits").get_data(as_text=True)
    assert f'id="contract-{asker_contract}"' in lead_page and f'id="contract-{baerum_contract}"' in lead_page
    asker = world.browser("asker")
    asker_page = asker.get(f"/t/asker/procurements/{pid}/benefits").get_data(as_text=True)
    assert f'id="contract-{asker_contract}"' in asker_page and f'id="contract-{baerum_contract}"' not in asker_page
    # Asker cannot write on Bærum's contract (it cannot see it: 404); the lead can write on Asker's
    assert _post(asker, f"/t/asker/procurements/{pid}/benefits/meetings", {
        "contract": baerum_contract, "title": "x", "held_on": "2026-02-10", "minutes": "y"}).status_code == 404
    assert _post(world.browser("baerum"), f"/t/baerum/procurements/{pid}/benefits/meetings", {
        "contract": asker_contract, "title": "Lead visit", "held_on": "2026-02-10",
        "minutes": "y"}).status_code == 303
    assert world.browser("drammen").get(f"/t/drammen/procurements/{pid}/benefits").status_code == 404


def test_option_deadlines_are_listed(world, joint, app):
    pid, _ = joint
    soon = (datetime.now(UTC) + timedelta(days=20)).date()
    make_contract(app, pid, world.tenant("asker"), options=[
        {"description": "Extension 1 year", "exercise_by": soon.isoformat(), "remind_days": 30}])
    html = world.browser("asker").get(f"/t/asker/procurements/{pid}/benefits").get_data(as_text=True)
    assert "Extension 1 year" in html and soon.isoformat() in html
    assert (soon - timedelta(days=30)).isoformat() in html  # from when the award package reminds


def test_measurements_start_with_the_buyers_signed_contract(world, joint, app):
    pid, _ = joint
    url = f"/api/v1/procurements/{pid}/benefits/measurements"
    asker = world.api("asker")
    march = {"kpi_key": "alarm_response_time", "period": "2026-03", "value": 20}
    # No contract at all, then an unsigned one: no measurement yet, said next to the month.
    refused = asker.post(url, json=march)
    assert refused.status_code == 422 and "period" in refused.json["errors"], refused.json
    contract = make_contract(app, pid, world.tenant("asker"), starts_on=date(2026, 3, 15))
    refused = asker.post(url, json=march)
    assert refused.status_code == 422 and "period" in refused.json["errors"], refused.json
    with app.app_context(), isolation.system_scope():
        db.session.get(Contract, uuid.UUID(contract)).signed_on = date(2026, 3, 1)
        db.session.commit()
    early = asker.post(url, json={**march, "period": "2026-02"})
    assert early.status_code == 422 and "period" in early.json["errors"]
    assert asker.post(url, json=march).status_code == 201
    # Bærum has no signed contract: nothing is recorded for it, whatever the month
    assert world.api("baerum").post(url, json={**march, "period": "2025-01"}).status_code == 422
    body = asker.get(f"/api/v1/procurements/{pid}/benefits").json
    values = [(b["municipality"], m["period"]) for k in body["kpis"] for b in k["buyers"] for m in b["measurements"]]
    assert values == [("Asker kommune", "2026-03-01")]


def test_a_signed_contract_without_a_start_date_starts_the_month_it_is_signed(world, joint, app):
    pid, _ = joint
    make_contract(app, pid, world.tenant("asker"), signed_on=date(2026, 2, 20))
    url = f"/api/v1/procurements/{pid}/benefits/measurements"
    asker = world.api("asker")
    assert asker.post(url, json={"kpi_key": "alarm_response_time", "period": "2026-01", "value": 9}).status_code == 422
    assert asker.post(url, json={"kpi_key": "alarm_response_time", "period": "2026-02", "value": 9}).status_code == 201
