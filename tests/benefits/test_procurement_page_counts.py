"""The procurement page during benefit follow-up (contract phase, contracts signed, baselines and
measurements recorded, a lesson shared) costs at most 10 statements (issue #17, item 5): the
needs phase's baseline item is not worked out, and the lesson item is read only for its phase —
from the page's own list of lessons, so the lessons are read once, and the item still counts a
lesson shared a moment ago."""

from __future__ import annotations

import re

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


def _progress_and_lesson_reads(browser, path, count_queries) -> tuple[tuple[int, int], int]:
    """((items met, items) of the page's gate progress, statements that read lessons)."""
    with count_queries() as counted:
        response = browser.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:300]
    found = re.search(r'id="gate-progress">\D*(\d+)\D+(\d+)', html)
    assert found, html
    return (int(found.group(1)), int(found.group(2))), sum(" lessons" in s for s in counted.statements)


def test_the_lesson_item_counts_the_lessons_the_page_reads_once(world, contracted, app, count_queries):
    pid, _ = contracted
    force(app, pid, phase="contract")
    browser = world.browser("baerum")
    path = f"/t/baerum/procurements/{pid}/"
    assert browser.get(path).status_code == 200  # warm-up
    (met, total), reads = _progress_and_lesson_reads(browser, path, count_queries)
    assert reads == 1
    assert world.api("baerum").post(f"/api/v1/procurements/{pid}/lessons",
                                    json={"title": "Forankring", "body": "Start tidlig."}).status_code == 201
    (met_after, total_after), reads = _progress_and_lesson_reads(browser, path, count_queries)
    assert reads == 1
    assert (met_after, total_after) == (met + 1, total)  # the lesson item is met now
