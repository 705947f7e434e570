"""The contract follow-up API: meetings with minutes and deviations (avvik) per contract — keyset
pages, create, change with ETag / If-Match or `version`, close a deviation — visible to that
buyer and the lead only (404 otherwise), problem+json for bad input, bounded queries."""

from __future__ import annotations

from datetime import date

from core.procurement.models import ProcurementStatus
from tests.benefits.conftest import force, make_contract

MEETING = {"held_on": "2026-02-10", "title": "First follow-up", "minutes": "Alarms answered on time."}
DEVIATION = {"title": "Sensor offline", "severity": "high", "owner": "Kari", "deadline": "2026-03-01"}


def _contracts(world, joint, app):
    pid, _ = joint
    asker = make_contract(app, pid, world.tenant("asker"), starts_on=date(2026, 1, 1))
    baerum = make_contract(app, pid, world.tenant("baerum"), starts_on=date(2026, 1, 1))
    return pid, asker, baerum


def test_meetings_are_listed_created_and_changed_by_that_buyer(world, joint, app):
    _, contract, _ = _contracts(world, joint, app)
    asker = world.api("asker")
    url = f"/api/v1/contracts/{contract}/meetings"
    created = asker.post(url, json=MEETING)
    assert created.status_code == 201, created.get_data(as_text=True)
    meeting = created.json
    assert (meeting["title"], meeting["held_on"], meeting["version"]) == ("First follow-up", "2026-02-10", 1)
    assert created.headers["ETag"] == '"meeting-1"'
    listed = asker.get(url).json
    assert [m["id"] for m in listed["items"]] == [meeting["id"]] and listed["next_cursor"] is None
    detail = f"/api/v1/follow-up-meetings/{meeting['id']}"
    etag = asker.get(detail).headers["ETag"]
    assert asker.patch(detail, json={"minutes": "x"}).status_code == 428  # neither If-Match nor version
    changed = asker.patch(detail, json={"minutes": "Two alarms late; the supplier explains."},
                          headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.json["minutes"].startswith("Two alarms late")
    assert changed.headers["ETag"] == '"meeting-2"'
    stale = asker.patch(detail, json={"title": "Lost"}, headers={"If-Match": etag})
    assert stale.status_code == 412 and stale.headers["Content-Type"].startswith("application/problem+json")
    assert asker.patch(detail, json={"title": "Lost", "version": 1}).status_code == 409
    assert asker.get(detail).json["title"] == "First follow-up"
    # The lead's manager writes on Asker's contract too.
    assert world.api("baerum").patch(detail, json={"title": "Quarterly follow-up", "version": 2}).status_code == 200


def test_bad_input_is_a_precise_problem_and_nothing_is_written(world, joint, app):
    _, contract, _ = _contracts(world, joint, app)
    asker = world.api("asker")
    bad = asker.post(f"/api/v1/contracts/{contract}/meetings",
                     json={"held_on": "2999-01-01", "title": "", "minutes": "m"})
    assert bad.status_code == 422 and bad.headers["Content-Type"].startswith("application/problem+json")
    assert {"held_on", "title"} <= set(bad.json["errors"])
    bad = asker.post(f"/api/v1/contracts/{contract}/deviations", json={**DEVIATION, "severity": "bogus",
                                                                         "deadline": "1.3.2026"})
    assert bad.status_code == 422 and {"severity", "deadline"} <= set(bad.json["errors"])
    assert asker.get(f"/api/v1/contracts/{contract}/meetings").json["items"] == []
    assert asker.get(f"/api/v1/contracts/{contract}/deviations").json["items"] == []
    assert asker.get(f"/api/v1/contracts/{contract}/deviations?cursor=nonsense").status_code == 422
    assert asker.get(f"/api/v1/contracts/{contract}/deviations?limit=1000").status_code == 422


def test_deviations_are_opened_changed_and_closed_once(world, joint, app):
    _, contract, _ = _contracts(world, joint, app)
    asker = world.api("asker")
    deviation = asker.post(f"/api/v1/contracts/{contract}/deviations", json=DEVIATION).json
    assert (deviation["severity"], deviation["owner"], deviation["closed_on"]) == ("high", "Kari", None)
    url = f"/api/v1/deviations/{deviation['id']}"
    assert asker.patch(url, json={"severity": "critical", "owner": "Ola", "version": 1}).status_code == 200
    no_note = asker.patch(url, json={"closed": True, "closing_note": "", "version": 2})
    assert no_note.status_code == 422 and "closing_note" in no_note.json["errors"]
    closed = asker.patch(url, json={"closed": True, "closing_note": "Sensor replaced.", "version": 2})
    assert closed.status_code == 200, closed.get_data(as_text=True)
    assert closed.json["closed_on"] and closed.json["closing_note"] == "Sensor replaced."
    assert (closed.json["severity"], closed.json["owner"]) == ("critical", "Ola")
    again = asker.patch(url, json={"title": "Reopened?", "version": 3})
    assert again.status_code == 409 and again.headers["Content-Type"].startswith("application/problem+json")


def test_only_that_buyer_and_the_lead_see_a_contracts_follow_up(world, joint, app):
    _, asker_contract, baerum_contract = _contracts(world, joint, app)
    lead, asker = world.api("baerum"), world.api("asker")
    meeting = lead.post(f"/api/v1/contracts/{baerum_contract}/meetings", json=MEETING).json
    deviation = lead.post(f"/api/v1/contracts/{baerum_contract}/deviations", json=DEVIATION).json
    # Asker (another buyer) and Drammen (no participant) get 404 for Bærum's contract and its rows.
    for outsider in (asker, world.api("drammen")):
        assert outsider.get(f"/api/v1/contracts/{baerum_contract}/meetings").status_code == 404
        assert outsider.post(f"/api/v1/contracts/{baerum_contract}/deviations", json=DEVIATION).status_code == 404
        assert outsider.get(f"/api/v1/follow-up-meetings/{meeting['id']}").status_code == 404
        assert outsider.patch(f"/api/v1/deviations/{deviation['id']}", json={"title": "x"},
                              headers={"If-Match": '"deviation-1"'}).status_code == 404
        assert outsider.patch(f"/api/v1/follow-up-meetings/{meeting['id']}", json={"title": "x"}).status_code == 404
    # The lead sees Asker's contract; an Asker viewer reads but does not write.
    assert asker.post(f"/api/v1/contracts/{asker_contract}/meetings", json=MEETING).status_code == 201
    assert len(lead.get(f"/api/v1/contracts/{asker_contract}/meetings").json["items"]) == 1
    viewer = world.api("asker", "viewer")
    assert len(viewer.get(f"/api/v1/contracts/{asker_contract}/meetings").json["items"]) == 1
    assert viewer.post(f"/api/v1/contracts/{asker_contract}/meetings", json=MEETING).status_code == 403
    assert lead.get(f"/api/v1/deviations/{deviation['id']}").status_code == 200


def test_follow_up_goes_on_after_completion_but_not_after_cancellation(world, joint, app):
    pid, contract, _ = _contracts(world, joint, app)
    asker = world.api("asker")
    force(app, pid, status=ProcurementStatus.completed)
    assert asker.post(f"/api/v1/contracts/{contract}/meetings", json=MEETING).status_code == 201
    force(app, pid, status=ProcurementStatus.cancelled)
    refused = asker.post(f"/api/v1/contracts/{contract}/deviations", json=DEVIATION)
    assert refused.status_code == 409


def test_lists_are_keyset_pages_in_a_bounded_number_of_queries(world, joint, app, count_queries):
    _, contract, _ = _contracts(world, joint, app)
    asker = world.api("asker")
    url = f"/api/v1/contracts/{contract}/deviations"
    assert asker.get(url).status_code == 200  # warm

    def queries(path):
        with count_queries() as counter:
            response = asker.get(path)
            assert response.status_code == 200
        return counter.count, response.json

    few, _ = queries(url)
    for n in range(5):
        assert asker.post(url, json={**DEVIATION, "title": f"Deviation {n}"}).status_code == 201
    many, first = queries(url + "?limit=2")
    assert many == few, (few, many)
    assert [d["title"] for d in first["items"]] == ["Deviation 4", "Deviation 3"]
    seen = [d["title"] for d in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        count, page = queries(f"{url}?limit=2&cursor={cursor}")
        assert count == few
        seen += [d["title"] for d in page["items"]]
        cursor = page["next_cursor"]
    assert seen == [f"Deviation {n}" for n in range(4, -1, -1)]
