"""Baselines, targets and measurements: the rules of who writes what, validation, the gate item
that is met by itself (never ticked by hand), measurements after completion, direction and on-track."""

from __future__ import annotations

from core.benefits.service import on_track
from core.procurement.models import Phase, ProcurementStatus
from tests.benefits.conftest import KPI_KEYS, baseline, force, record_all_baselines


def _gate_state(world, pid, key):
    items = world.api("baerum").get(f"/api/v1/procurements/{pid}/gates").json
    return next(i["state"] for i in items if i["key"] == key)


def test_kpis_of_the_template_are_listed_for_every_buyer(world, joint):
    pid, _ = joint
    body = world.api("asker").get(f"/api/v1/procurements/{pid}/benefits").json
    assert [k["key"] for k in body["kpis"]] == KPI_KEYS
    assert [b["municipality"] for b in body["kpis"][0]["buyers"]] == ["Asker kommune", "Bærum kommune"]
    assert "Asker kommune: Responstid alarm" in body["missing_baselines"]
    assert len(body["missing_baselines"]) == 2 * len(KPI_KEYS)
    assert world.api("drammen").get(f"/api/v1/procurements/{pid}/benefits").status_code == 404


def _gate_item(world, pid, key):
    items = world.api("baerum").get(f"/api/v1/procurements/{pid}/gates").json
    return next(i for i in items if i["key"] == key)


def test_the_baseline_gate_item_is_met_when_every_pair_has_a_baseline_or_a_waiver(world, joint, app):
    pid, _ = joint
    force(app, pid, phase=Phase.needs)
    item = _gate_item(world, pid, "core-benefits-baseline")
    assert item["automatic"] is True and item["state"] == "open"
    assert "Asker kommune: Responstid alarm" in item["missing"] and len(item["missing"]) == 2 * len(KPI_KEYS)
    record_all_baselines(world, pid, "baerum")
    assert _gate_state(world, pid, "core-benefits-baseline") == "open"
    asker = world.api("asker")
    body = asker.put(f"/api/v1/procurements/{pid}/benefits/baselines", json={"baselines": [
        baseline(k) for k in KPI_KEYS[1:]]}).json
    assert body["missing_baselines"] == ["Asker kommune: Unngåtte hjemmebesøk per måned"]
    assert _gate_item(world, pid, "core-benefits-baseline")["missing"] == body["missing_baselines"]
    short = asker.put(f"/api/v1/procurements/{pid}/benefits/baselines", json={"baselines": [
        {"kpi_key": KPI_KEYS[0], "waiver_reason": "no", "owner": "Head of care"}]})
    assert short.status_code == 422 and "waiver_reason" in short.get_data(as_text=True)
    waived = asker.put(f"/api/v1/procurements/{pid}/benefits/baselines", json={"baselines": [
        {"kpi_key": KPI_KEYS[0], "waiver_reason": "Asker has no home visits to avoid today.", "owner": "Head"}]})
    assert waived.status_code == 200 and waived.json["missing_baselines"] == []
    item = _gate_item(world, pid, "core-benefits-baseline")
    assert item["state"] == "auto" and item["missing"] == []


def test_no_one_ticks_or_unticks_the_baseline_item_by_hand(world, joint, app):
    pid, _ = joint
    force(app, pid, phase=Phase.needs)
    lead = world.api("baerum")
    url = f"/api/v1/procurements/{pid}/gates"
    ticked = lead.post(url, json={"item": "core-benefits-baseline", "action": "done"})
    assert ticked.status_code == 409 and ticked.headers["Content-Type"].startswith("application/problem+json")
    assert "automatically" in ticked.json["detail"]
    assert _gate_state(world, pid, "core-benefits-baseline") == "open"
    refused = lead.post(f"/api/v1/procurements/{pid}/transition", json={})
    assert refused.status_code == 409
    missing = next(m for m in refused.json["missing"] if m["key"] == "core-benefits-baseline")
    assert "Bærum kommune: Responstid alarm" in missing["missing"]
    record_all_baselines(world, pid, "baerum")
    record_all_baselines(world, pid, "asker")
    assert _gate_state(world, pid, "core-benefits-baseline") == "auto"
    unticked = lead.post(url, json={"item": "core-benefits-baseline", "action": "reopen"})
    assert unticked.status_code == 409 and _gate_state(world, pid, "core-benefits-baseline") == "auto"
    # The gates page shows the state and the missing pairs, never a checkbox or a reopen button.
    html = world.browser("baerum").get(f"/t/baerum/procurements/{pid}/gates").get_data(as_text=True)
    assert 'id="done-core-benefits-baseline"' not in html and 'id="reopen-core-benefits-baseline"' not in html
    # A waiver with a reason is still the lead's way past the item, and it can be undone.
    assert lead.post(url, json={"item": "core-benefits-baseline", "action": "waive",
                                "reason": "Baselines follow after the dialogue."}).status_code == 200
    assert _gate_state(world, pid, "core-benefits-baseline") == "waived"
    assert lead.post(url, json={"item": "core-benefits-baseline", "action": "reopen"}).status_code == 200
    assert _gate_state(world, pid, "core-benefits-baseline") == "auto"


def test_a_buyer_cannot_write_another_buyers_values(world, joint):
    pid, _ = joint
    asker_id = str(world.tenant("asker").id)
    baerum = world.api("baerum")
    refused = baerum.put(f"/api/v1/procurements/{pid}/benefits/baselines",
                         json={"tenant_id": asker_id, "baselines": [baseline(KPI_KEYS[0])]})
    assert refused.status_code == 403
    assert baerum.post(f"/api/v1/procurements/{pid}/benefits/measurements",
                       json={"tenant_id": asker_id, "kpi_key": KPI_KEYS[0], "period": "2026-05",
                             "value": 3}).status_code == 403
    drammen_id = str(world.tenant("drammen").id)
    assert baerum.put(f"/api/v1/procurements/{pid}/benefits/baselines",
                      json={"tenant_id": drammen_id, "baselines": [baseline(KPI_KEYS[0])]}).status_code == 404
    assert world.api("drammen").post(f"/api/v1/procurements/{pid}/benefits/measurements",
                                     json={"kpi_key": KPI_KEYS[0], "period": "2026-05", "value": 3}).status_code == 404
    assert world.api("asker", "viewer").post(f"/api/v1/procurements/{pid}/benefits/measurements",
                                             json={"kpi_key": KPI_KEYS[0], "period": "2026-05",
                                                   "value": 3}).status_code == 403  # a viewer writes for no one
    body = world.api("asker").get(f"/api/v1/procurements/{pid}/benefits").json
    assert all(b["baseline"] is None and b["measurements"] == [] for k in body["kpis"] for b in k["buyers"])


def test_bad_input_is_422_next_to_the_field_and_nothing_is_written(world, contracted):
    pid, _ = contracted
    asker = world.api("asker")
    for bad, field in ((baseline(KPI_KEYS[0], value="many"), "value"),
                       (baseline(KPI_KEYS[0], measured_on="31.01.2026"), "measured_on"),
                       (baseline(KPI_KEYS[0], owner=""), "owner"),
                       (baseline("no-such-kpi"), "kpi_key"),
                       (baseline(KPI_KEYS[0], value="nan"), "value")):
        response = asker.put(f"/api/v1/procurements/{pid}/benefits/baselines",
                             json={"baselines": [baseline(KPI_KEYS[1]), bad]})
        assert response.status_code == 422, bad
        assert field in response.json["errors"], response.json
    for bad, field in (({"period": "May", "value": 1}, "period"), ({"period": "2026-05", "value": ""}, "value"),
                       ({"period": "2999-01", "value": 1}, "period")):
        response = asker.post(f"/api/v1/procurements/{pid}/benefits/measurements",
                              json={"kpi_key": KPI_KEYS[0], **bad})
        assert response.status_code == 422 and field in response.json["errors"], bad
    body = asker.get(f"/api/v1/procurements/{pid}/benefits").json
    assert all(b["baseline"] is None and b["measurements"] == [] for k in body["kpis"] for b in k["buyers"])


def test_measurements_per_month_replace_and_are_accepted_after_completion(world, contracted, app):
    pid, _ = contracted
    asker = world.api("asker")
    url = f"/api/v1/procurements/{pid}/benefits/measurements"
    march = {"kpi_key": "alarm_response_time", "period": "2026-03"}
    assert asker.post(url, json={**march, "value": "20,5"}).status_code == 201
    assert asker.post(url, json={**march, "value": 19}).status_code == 201
    force(app, pid, phase=Phase.contract, status=ProcurementStatus.completed)
    lead = world.api("baerum")
    # the procurement is frozen, the follow-up is not
    version = lead.get(f"/api/v1/procurements/{pid}").json["version"]
    assert lead.patch(f"/api/v1/procurements/{pid}", json={"title": "x", "version": version}).status_code == 409
    assert asker.post(url, json={"kpi_key": "alarm_response_time", "period": "2026-04", "value": 15}).status_code == 201
    assert asker.put(f"/api/v1/procurements/{pid}/benefits/baselines",
                     json={"baselines": [baseline("alarm_response_time", target_value=12)]}).status_code == 200
    kpi = next(k for k in asker.get(f"/api/v1/procurements/{pid}/benefits").json["kpis"]
               if k["key"] == "alarm_response_time")
    mine = next(b for b in kpi["buyers"] if b["municipality"] == "Asker kommune")
    assert mine["measurements"] == [{"period": "2026-03-01", "value": 19.0}, {"period": "2026-04-01", "value": 15.0}]
    assert mine["on_track"] is False  # 15 minutes, target 12, lower is better


def test_direction_decides_on_track():
    assert on_track("decrease", 12, 25, 15) is True
    assert on_track("decrease", 16, 25, 15) is False
    assert on_track("increase", 16, 10, 15) is True
    assert on_track("increase", 11, 10, None) is True   # no target: better than the baseline
    assert on_track("decrease", 26, 25, None) is False
    assert on_track("increase", None, 10, 15) is None


def test_completing_needs_a_lesson_learned_or_a_waiver(world, joint, app):
    pid, _ = joint
    force(app, pid, phase=Phase.contract)
    lead = world.api("baerum")
    refused = lead.post(f"/api/v1/procurements/{pid}/transition", json={})
    assert refused.status_code == 409
    assert "core-lesson-learned" in {m["key"] for m in refused.json["missing"]}
    item = next(i for i in lead.get(f"/api/v1/procurements/{pid}/gates").json if i["key"] == "core-lesson-learned")
    assert item["state"] == "open" and item["automatic"] is True
    assert lead.post(f"/api/v1/procurements/{pid}/lessons", json={"title": "Measure early",
                                                                   "body": "Baselines took months."}).status_code == 201
    item = next(i for i in lead.get(f"/api/v1/procurements/{pid}/gates").json if i["key"] == "core-lesson-learned")
    assert item["state"] == "auto"


def test_a_cancelled_procurement_takes_no_more_values(world, joint, app):
    pid, _ = joint
    force(app, pid, status=ProcurementStatus.cancelled)
    response = world.api("asker").post(f"/api/v1/procurements/{pid}/benefits/measurements",
                                       json={"kpi_key": KPI_KEYS[0], "period": "2026-05", "value": 3})
    assert response.status_code == 409
