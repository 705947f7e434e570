"""The procurement page in the later phases costs at most 10 statements (issue #17, item 5): the
competition announced, the award decided (evaluation phase) and the contracts signed. A gate item
is worked out only when the page counts it (the current phase's): an announced competition scores
no tender, a signed contract's page re-reads no evaluation; the evaluation reads each tender with
its assessment, the competition with its data key and the award decision with the clock."""

from __future__ import annotations

from tests.award.conftest import CRITERIA, decided, open_for_evaluation, standstill_passed, url
from tests.competition.conftest import settings_body, tender_body

LIMIT = 10


def page_statements(w, count_queries) -> list[str]:
    """The statements of the lead officer's procurement page (after one warm-up request)."""
    browser = w.login(w.officer)
    path = f"/t/baerum/procurements/{w.pid}/"
    assert browser.get(path).status_code == 200
    with count_queries() as counted:
        response = browser.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200, html[:300]
    assert 'id="gate-progress"' in html and 'id="participant-summary"' in html and 'id="lessons"' in html
    return list(counted.statements)


def announce(w) -> None:
    w.set_phase("competition")
    assert w.api("put", url(w, "/award-criteria"), w.officer_token, json={"criteria": CRITERIA}).status_code == 200
    r = w.api("put", url(w, "/competition"), w.officer_token, json=settings_body())
    assert r.status_code == 200, r.get_data(as_text=True)
    w.qualification = r.get_json()["qualification"]
    assert w.api("post", url(w, "/competition/announce"), w.officer_token).status_code == 200


def open_and_decide(w) -> None:
    for token in (w.a, w.b):
        assert w.api("put", url(w, "/tender"), token, json=tender_body(w, submit=True)).status_code == 200
    open_for_evaluation(w)
    decided(w)


def sign_contracts(w) -> None:
    standstill_passed(w)
    assert w.api("post", url(w, "/transition"), w.officer_token, json={}).status_code == 200
    for contract in w.api("get", url(w, "/contracts"), w.officer_token).get_json()["items"]:
        token = w.officer_token if contract["buyer"] == "Bærum kommune" else w.asker_officer_token
        r = w.api("patch", f"/api/v1/contracts/{contract['id']}", token, json={"signed_on": "2026-12-20"})
        assert r.status_code == 200, r.get_data(as_text=True)


def test_the_page_in_each_later_phase(open_world, count_queries):
    w = open_world
    announce(w)
    announced = page_statements(w, count_queries)
    assert len(announced) <= LIMIT, "\n\n".join(announced)
    assert not any("competition_tenders" in s or "award_contracts" in s for s in announced)
    open_and_decide(w)
    decided = page_statements(w, count_queries)
    assert len(decided) <= LIMIT, "\n\n".join(decided)
    alone = [s.lstrip().split(None, 2)[1].rstrip(",") for s in decided]  # each statement's first column
    assert not {"competition_keys.procurement_id", "clock_timestamp()"} & set(alone), alone
    sign_contracts(w)
    signed = page_statements(w, count_queries)
    assert len(signed) <= LIMIT, "\n\n".join(signed)
    assert not any("competition_tenders" in s or "award_assessments" in s for s in signed)
