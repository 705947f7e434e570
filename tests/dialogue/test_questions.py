"""Questions and answers: same information to all, asker anonymised, several answered together,
later registrants see earlier answers; unanswered questions stay between asker and buyer."""

from __future__ import annotations

from sqlalchemy import select

from core.db import db


def ask(w, token, text):
    r = w.api("post", f"/api/v1/procurements/{w.pid}/questions", token, json={"text": text})
    assert r.status_code == 201, r.get_data(as_text=True)
    return r.json["id"]


def qa(w, token):
    r = w.api("get", f"/api/v1/procurements/{w.pid}/questions", token)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.json


def test_unanswered_question_seen_by_asker_and_project_group_only(open_world):
    w = open_world
    ask(w, w.a, "Trygg Teknologi spør: støttes SCAIP?")
    assert [q["text"] for q in qa(w, w.a)["open_questions"]] == ["Trygg Teknologi spør: støttes SCAIP?"]
    assert qa(w, w.b)["open_questions"] == [] and qa(w, w.b)["items"] == []
    for token in (w.officer_token, w.asker_member_token):  # both municipalities of the joint procurement
        [seen] = qa(w, token)["open_questions"]
        assert seen["supplier"]["name"] == "Trygg Teknologi AS"
    # Not registered, or not a supplier at all: 404.
    assert w.api("get", f"/api/v1/procurements/{w.pid}/questions", w.c).status_code == 404
    assert w.api("get", f"/api/v1/procurements/{w.pid}/questions", w.outsider_token).status_code == 404
    # The supplier portal page of B shows nothing of A's question.
    w.login(w.b_user)
    page = w.client.get(f"/supplier/dialogues/{w.pid}/questions").get_data(as_text=True)
    assert "støttes SCAIP" not in page


def test_answer_published_to_all_registered_with_asker_anonymised(open_world):
    w = open_world
    qid = ask(w, w.a, "Trygg Teknologi AS lurer på: hvor mange brukere?")
    r = w.api("post", f"/api/v1/questions/{qid}/answer", w.officer_token,
              json={"text": "Om lag 4 000 brukere.", "published_wording": {qid: "Hvor mange brukere omfattes?"}})
    assert r.status_code == 201, r.get_data(as_text=True)
    for token in (w.a, w.b):
        [item] = qa(w, token)["items"]
        assert item["questions"] == ["Hvor mange brukere omfattes?"] and item["answer"] == "Om lag 4 000 brukere."
        assert "Trygg Teknologi" not in str(item)
    assert qa(w, w.a)["items"][0]["yours"] is True and qa(w, w.b)["items"][0]["yours"] is False
    # The HTML page of B shows the answer but nothing that names the asker.
    w.login(w.b_user)
    page = w.client.get(f"/supplier/dialogues/{w.pid}/questions").get_data(as_text=True)
    assert "Om lag 4 000 brukere." in page and "Trygg Teknologi" not in page and "lurer på" not in page
    # Everyone registered was notified, the same message.
    from core.notifications.models import OutboxMessage

    with w.app.app_context():
        told = [m for m in db.session.execute(select(OutboxMessage)).scalars() if "answer" in m.subject.lower()
                or "svar" in m.subject.lower()]
    assert {m.to_address for m in told} == {"post@trygg.test", "post@omsorg.test"}
    assert len({m.body for m in told}) == 1


def test_later_registrant_sees_earlier_answers(open_world):
    w = open_world
    qid = ask(w, w.a, "Spørsmål 1")
    w.api("post", f"/api/v1/questions/{qid}/answer", w.officer_token, json={"text": "Svar 1"})
    assert w.api("post", f"/api/v1/procurements/{w.pid}/registrations", w.c).status_code == 201
    assert [i["answer"] for i in qa(w, w.c)["items"]] == ["Svar 1"]


def test_several_questions_answered_together(open_world):
    w = open_world
    q1, q2, q3 = ask(w, w.a, "Pris?"), ask(w, w.b, "Prismodell?"), ask(w, w.b, "Tidsplan?")
    r = w.api("post", f"/api/v1/questions/{q1}/answer", w.asker_officer_token,
              json={"text": "Vi ønsker innspill på prismodeller.", "also": [q2]})
    assert r.status_code == 201, r.get_data(as_text=True)
    assert r.json["questions"] == ["Pris?", "Prismodell?"]
    group = qa(w, w.officer_token)
    assert [q["id"] for q in group["open_questions"]] == [q3]
    # An answered question cannot be answered again; questions of another dialogue are refused.
    again = w.api("post", f"/api/v1/questions/{q2}/answer", w.officer_token, json={"text": "x", "also": [q3]})
    assert again.status_code == 409


def test_only_project_group_writers_answer(open_world):
    w = open_world
    qid = ask(w, w.a, "Spørsmål")
    body = {"text": "Svar"}
    assert w.api("post", f"/api/v1/questions/{qid}/answer", w.asker_member_token, json=body).status_code == 403
    assert w.api("post", f"/api/v1/questions/{qid}/answer", w.b, json=body).status_code == 404
    assert w.api("post", f"/api/v1/questions/{qid}/answer", w.a, json=body).status_code == 404
    assert w.api("post", f"/api/v1/questions/{qid}/answer", w.outsider_token, json=body).status_code == 404


def test_answer_through_the_project_group_page(open_world):
    w = open_world
    q1, q2 = ask(w, w.a, "Første?"), ask(w, w.b, "Andre?")
    w.login(w.officer)
    page = w.client.get(f"/t/baerum/procurements/{w.pid}/dialogue/questions/{q1}").get_data(as_text=True)
    assert 'id="answer-form"' in page and f'id="also-{q2}"' in page
    r = w.client.post(f"/t/baerum/procurements/{w.pid}/dialogue/questions/{q1}",
                      data={"text": "Felles svar", "also": [q2], f"wording-{q1}": "Første (omformulert)?"})
    assert r.status_code == 302, r.get_data(as_text=True)
    [item] = qa(w, w.b)["items"]
    assert item["questions"] == ["Første (omformulert)?", "Andre?"]
    # An empty answer is shown next to the field, nothing is published.
    q3 = ask(w, w.a, "Tredje?")
    r = w.client.post(f"/t/baerum/procurements/{w.pid}/dialogue/questions/{q3}", data={"text": ""})
    assert r.status_code == 422 and 'id="f-text-error"' in r.get_data(as_text=True)
    assert len(qa(w, w.b)["items"]) == 1


def test_supplier_asks_on_the_portal_page(open_world):
    w = open_world
    w.login(w.a_user)
    page = w.client.get(f"/supplier/dialogues/{w.pid}/questions").get_data(as_text=True)
    assert 'id="question-form"' in page and 'id="question-text"' in page
    assert w.client.post(f"/supplier/dialogues/{w.pid}/questions", data={"text": "Via siden?"}).status_code == 302
    assert [q["text"] for q in qa(w, w.a)["my_questions"]] == ["Via siden?"]
