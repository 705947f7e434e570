"""Supplier isolation: supplier A gets 404 on supplier B's response, minutes, unpublished
question, files, exports and calendar entries — through the API, the supplier portal, the
project-group pages, file downloads, exports and iCalendar."""

from __future__ import annotations

import io

from icalendar import Calendar

from tests.dialogue.helpers import answer_body, make_questionnaire
from tests.dialogue.test_meetings import make_round


def _b_everything(w) -> dict:
    """B asks (unanswered), submits a response with a file, books a meeting with minutes."""
    q = make_questionnaire(w)
    upload = w.api("post", f"/api/v1/questionnaires/{q['id']}/response/attachments", w.b,
                   data={"question_id": q["questions"][3]["id"], "file": (io.BytesIO(b"B sin fil\n"), "b.txt")},
                   content_type="multipart/form-data")
    body = answer_body(q, "B sitt hemmelige svar")
    body["answers"].append({"question_id": q["questions"][3]["id"], "value": [upload.json["id"]]})
    assert w.api("put", f"/api/v1/questionnaires/{q['id']}/response", w.b, json=body).status_code == 200
    question = w.api("post", f"/api/v1/procurements/{w.pid}/questions", w.b, json={"text": "B spør i fortrolighet"})
    rnd = make_round(w)
    slot = rnd["slots"][0]["id"]
    assert w.api("post", f"/api/v1/meeting-slots/{slot}/booking", w.b, json={}).status_code == 201
    w.api("put", f"/api/v1/meeting-slots/{slot}/minutes", w.officer_token, json={"minutes": "Referat med B"})
    return {"questionnaire": q["id"], "file": upload.json["id"], "question": question.json["id"], "slot": slot}


def test_supplier_a_gets_404_on_everything_of_b_through_the_api(open_world):
    w = open_world
    b = _b_everything(w)
    not_found = [
        ("get", f"/api/v1/questionnaires/{b['questionnaire']}/responses"),
        ("get", f"/api/v1/questionnaires/{b['questionnaire']}/export?format=csv&variant=external"),
        ("get", f"/api/v1/questionnaires/{b['questionnaire']}/export?format=xlsx&variant=internal"),
        ("get", f"/api/v1/dialogue-attachments/{b['file']}"),
        ("get", f"/api/v1/meeting-slots/{b['slot']}/minutes"),
        ("put", f"/api/v1/meeting-slots/{b['slot']}/minutes"),
        ("delete", f"/api/v1/meeting-slots/{b['slot']}/booking"),
        ("post", f"/api/v1/questions/{b['question']}/answer"),
        ("get", f"/api/v1/procurements/{w.pid}/registrations"),
    ]
    for method, path in not_found:
        kwargs = {}
        if method in ("put", "post"):
            kwargs = {"json": {"minutes": "x"} if "minutes" in path else {"text": "x"}}
        response = w.api(method, path, w.a, **kwargs)
        assert response.status_code == 404, (method, path, response.status_code)
        assert "B sitt" not in response.get_data(as_text=True)
    # What A may read contains nothing of B's.
    own = w.api("get", f"/api/v1/questionnaires/{b['questionnaire']}/response", w.a).json
    assert own["status"] == "none" and own["answers"] == [] and own["files"] == []
    qa = w.api("get", f"/api/v1/procurements/{w.pid}/questions", w.a).json
    assert "B spør" not in str(qa)
    slots = w.api("get", f"/api/v1/procurements/{w.pid}/meeting-slots", w.a).json
    assert "Omsorgsdata" not in str(slots)
    ics = w.api("get", f"/api/v1/procurements/{w.pid}/calendar.ics", w.a).get_data()
    assert [str(e["summary"]) for e in Calendar.from_ical(ics).walk("VEVENT")] == []
    # B reaches all of it (the control that the paths are right).
    assert w.api("get", f"/api/v1/dialogue-attachments/{b['file']}", w.b).get_data() == b"B sin fil\n"
    assert w.api("get", f"/api/v1/meeting-slots/{b['slot']}/minutes", w.b).status_code == 200


def test_supplier_a_gets_404_on_b_through_the_pages(open_world):
    w = open_world
    b = _b_everything(w)
    w.login(w.a_user)
    base = f"/supplier/dialogues/{w.pid}"
    for path in (f"{base}/files/{b['file']}", f"{base}/meetings/{b['slot']}/minutes",
                 f"/t/baerum/procurements/{w.pid}/dialogue/questions/{b['question']}",
                 f"/t/baerum/procurements/{w.pid}/dialogue/questionnaires/{b['questionnaire']}/responses",
                 f"/t/baerum/procurements/{w.pid}/dialogue/questionnaires/{b['questionnaire']}/export.csv",
                 f"/t/baerum/procurements/{w.pid}/dialogue/files/{b['file']}",
                 f"/t/baerum/procurements/{w.pid}/dialogue/calendar.ics"):
        response = w.client.get(path)
        assert response.status_code == 404, (path, response.status_code)
        assert "B sitt" not in response.get_data(as_text=True)
    assert w.client.post(f"{base}/meetings/{b['slot']}/cancel").status_code == 404
    for path in (f"{base}/questions", f"{base}/meetings", f"{base}/questionnaires/{b['questionnaire']}"):
        page = w.client.get(path)
        assert page.status_code == 200, path
        text = page.get_data(as_text=True)
        assert "B spør" not in text and "B sitt" not in text and "b.txt" not in text and "Omsorgsdata" not in text
    ics = w.client.get(f"{base}/calendar.ics").get_data()
    assert list(Calendar.from_ical(ics).walk("VEVENT")) == []
    # B's own portal shows B's things (control).
    w.login(w.b_user)
    assert w.client.get(f"{base}/files/{b['file']}").get_data() == b"B sin fil\n"
    assert "Referat med B" in w.client.get(f"{base}/meetings/{b['slot']}/minutes").get_data(as_text=True)


def test_presentations_are_for_registered_suppliers_only(open_world):
    from tests.dialogue.test_conference import put_conference

    w = open_world
    put_conference(w)
    w.login(w.officer)
    w.client.post(f"/t/baerum/procurements/{w.pid}/dialogue/conference/presentations",
                  data={"file": (io.BytesIO(b"slides\n"), "slides.txt")}, content_type="multipart/form-data")
    [presentation] = w.api("get", f"/api/v1/procurements/{w.pid}/conference", w.a).json["presentations"]
    assert w.api("get", presentation["url"], w.b).status_code == 200
    assert w.api("get", presentation["url"], w.c).status_code == 404  # not registered
    assert w.api("get", presentation["url"], w.outsider_token).status_code == 404


def test_project_group_cannot_read_drafts(open_world):
    w = open_world
    q = make_questionnaire(w)
    upload = w.api("post", f"/api/v1/questionnaires/{q['id']}/response/attachments", w.a,
                   data={"question_id": q["questions"][3]["id"], "file": (io.BytesIO(b"utkast\n"), "u.txt")},
                   content_type="multipart/form-data")
    assert upload.status_code == 201
    assert w.api("get", f"/api/v1/dialogue-attachments/{upload.json['id']}", w.officer_token).status_code == 404
    assert w.api("get", f"/api/v1/dialogue-attachments/{upload.json['id']}", w.a).status_code == 200
