"""Every dialogue page renders for the people who may see it, with the stable element ids the
browser tests rely on."""

from __future__ import annotations

from tests.dialogue.helpers import questionnaire_with_secret_response
from tests.dialogue.test_conference import attend, put_conference
from tests.dialogue.test_meetings import make_round


def _filled(w) -> dict:
    put_conference(w)
    attend(w, w.a, 2)
    questionnaire_with_secret_response(w)
    q = w.api("get", f"/api/v1/procurements/{w.pid}/questionnaires", w.officer_token).json[0]
    question = w.api("post", f"/api/v1/procurements/{w.pid}/questions", w.a, json={"text": "Åpent spørsmål?"}).json
    rnd = make_round(w)
    slot = rnd["slots"][0]["id"]
    w.api("post", f"/api/v1/meeting-slots/{slot}/booking", w.a, json={})
    w.api("put", f"/api/v1/meeting-slots/{slot}/minutes", w.officer_token, json={"minutes": "Referat"})
    make_round(w, open_now=False, title="Kladd")
    return {"q": q["id"], "question": question["id"], "slot": slot}


def test_project_group_pages(open_world):
    w = open_world
    o = _filled(w)
    g = f"/t/baerum/procurements/{w.pid}/dialogue"
    pages = {
        f"{g}/": ['id="invitation-form"', 'id="invitation-preview"', 'id="registrations-table"',
                  'id="invitation-export-json"'],
        f"{g}/conference": ['id="conference-form"', 'id="minutes-form"', 'id="presentation-form"',
                            'id="attendees-table"'],
        f"{g}/questions": ['id="open-questions"', f'id="question-{o["question"]}"'],
        f"{g}/questions/{o['question']}": ['id="answer-form"', 'id="answer-submit"'],
        f"{g}/questionnaires": ['id="questionnaire-form"', 'id="questionnaires-table"'],
        f"{g}/questionnaires/{o['q']}": ['id="deadline-form"', 'id="responses-link"'],
        f"{g}/questionnaires/{o['q']}/responses": ['id="responses-table"', 'id="export-xlsx-external"'],
        f"{g}/meetings": ['id="round-form"', f'id="minutes-link-{o["slot"]}"'],
        f"{g}/meetings/{o['slot']}/minutes": ['id="minutes-form"'],
        "/t/baerum/": ['id="dialogues-panel"'],
    }
    w.login(w.officer)
    for path, ids in pages.items():
        response = w.client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        html = response.get_data(as_text=True)
        for element in ids:
            assert element in html, (path, element)
    # The partner municipality's member reads the same pages in Asker's space.
    w.login(w.asker_member)
    for path in pages:
        if path.startswith("/t/baerum/procurements"):
            assert w.client.get(path.replace("/t/baerum/", "/t/asker/")).status_code == 200, path


def test_supplier_pages(open_world):
    w = open_world
    o = _filled(w)
    s = f"/supplier/dialogues/{w.pid}"
    pages = {
        "/supplier/": ['id="my-dialogues"', 'id="open-dialogues"', 'id="nav-supplier-members"'],
        f"{s}/": ['id="registration-status"', 'id="invitation-text"', 'id="questions-link"'],
        f"{s}/conference": ['id="conference-form"', 'id="conference-status"'],
        f"{s}/questions": ['id="question-form"', 'id="question-text"', 'id="my-questions"'],
        f"{s}/questionnaires": [f'id="questionnaire-{o["q"]}"'],
        f"{s}/questionnaires/{o['q']}": ['id="response-form"', 'id="response-status"', 'id="save-draft"'],
        f"{s}/meetings": ['id="slot-1"', 'id="minutes-slot-1"', 'id="cancel-slot-1"', 'id="book-slot-2"'],
        f"{s}/meetings/{o['slot']}/minutes": ['id="meeting-minutes"'],
        "/supplier/members": ['id="add-member-form"', 'id="members-table"'],
    }
    w.login(w.a_user)
    for path, ids in pages.items():
        response = w.client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        html = response.get_data(as_text=True)
        for element in ids:
            assert element in html, (path, element)
    assert 'href="/supplier/"' in w.client.get("/account").get_data(as_text=True)  # the menu link


def test_anonymous_visitors_are_sent_to_sign_in(open_world):
    w = open_world
    assert w.client.get("/supplier/").status_code == 200
    assert 'id="supplier-signup"' in w.client.get("/supplier/").get_data(as_text=True)
    assert w.client.get(f"/supplier/dialogues/{w.pid}/").status_code in (401, 302)
