"""A plugin adds a KPI computed from its own data (`samspill_computed_kpis`): listed with its
values per municipality, charted, and not typed in by hand."""

from __future__ import annotations

from datetime import date

from tests.benefits.conftest import KPI_KEYS
from tests.conftest import add_internal_plugin


def test_a_plugin_adds_a_computed_kpi_with_its_values(world, joint, app):
    pid, _ = joint
    asker_id = world.tenant("asker").id

    def samspill_computed_kpis(procurement):
        return [{"key": "alarms_logged", "name": "Alarms logged", "unit": "per month", "direction": "decrease",
                 "description": "From the alarm log.",
                 "measurements": [{"tenant_id": asker_id, "period": date(2026, 1, 1), "value": 40},
                                  {"tenant_id": asker_id, "period": date(2026, 2, 1), "value": "35"},
                                  {"tenant_id": asker_id, "period": date(2026, 3, 1), "value": "not a number"}]},
                {"key": KPI_KEYS[0], "name": "A second definition of a template KPI is ignored"}]

    add_internal_plugin(app, "alarm_log", samspill_computed_kpis=samspill_computed_kpis)
    body = world.api("asker").get(f"/api/v1/procurements/{pid}/benefits").json
    assert [k["key"] for k in body["kpis"]] == [*KPI_KEYS, "alarms_logged"]
    computed = body["kpis"][-1]
    assert computed["computed"] is True
    asker = next(b for b in computed["buyers"] if b["municipality"] == "Asker kommune")
    assert asker["measurements"] == [{"period": "2026-01-01", "value": 40.0}, {"period": "2026-02-01", "value": 35.0}]
    assert not any("Alarms logged" in text for text in body["missing_baselines"])  # nothing to type in
    refused = world.api("asker").post(f"/api/v1/procurements/{pid}/benefits/measurements",
                                      json={"kpi_key": "alarms_logged", "period": "2026-03", "value": 1})
    assert refused.status_code == 422 and "kpi_key" in refused.json["errors"]
    html = world.browser("asker").get(f"/t/asker/procurements/{pid}/benefits").get_data(as_text=True)
    assert 'id="chart-alarms_logged-asker"' in html
