"""The procurement page during benefit follow-up (contract phase, contracts signed, baselines and
measurements recorded, a lesson shared) costs at most 10 statements (issue #17, item 5): the
needs phase's baseline item is not worked out, and the lesson item is read only for its phase."""

from __future__ import annotations

from tests.award.test_procurement_page_counts import LIMIT
from tests.benefits.conftest import force, record_all_baselines


def test_the_procurement_page_during_benefit_follow_up(world, contracted, app, count_queries):
    pid, _ = contracted
    force(app, pid, phase="contract")
    record_all_baselines(world, pid, "asker")
    for month, value in ((1, 25), (2, 20)):
        r = world.api("asker").post(f"/api/v1/procurements/{pid}/benefits/measurements", json={
            "kpi_key": "alarm_response_time", "period": f"2026-{month:02d}", "value": value})
        assert r.status_code == 201, r.get_data(as_text=True)
    assert world.api("baerum").post(f"/api/v1/procurements/{pid}/lessons",
                                    json={"title": "Forankring", "body": "Start tidlig."}).status_code == 201
    browser = world.browser("baerum")
    path = f"/t/baerum/procurements/{pid}/"
    assert browser.get(path).status_code == 200  # warm-up
    with count_queries() as counted:
        response = browser.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:300]
    assert "Forankring" in html and 'id="lineage"' in html and 'id="gate-progress"' in html
    assert counted.count <= LIMIT, "\n\n".join(counted.statements)
    assert not any("benefit_baselines" in s for s in counted.statements)
