"""Editing questionnaires: drafts change in everything (API `PATCH` with If-Match / version,
and the draft's edit form); once opened, only the deadline moves — for every supplier alike,
who are told — so no supplier that already answered is disadvantaged."""

from __future__ import annotations

from tests.dialogue.conftest import future
from tests.dialogue.helpers import answer_body, audit_entries, builder_fields, make_questionnaire, outbox, set_lang

NEW_QUESTIONS = [{"kind": "text", "text": "Beskriv løsningen kort", "required": True},
                 {"kind": "choice", "text": "Pris", "options": ["Lav", "Høy"]}]


def _get(w, qid, token=None):
    return w.api("get", f"/api/v1/questionnaires/{qid}", token or w.officer_token)


def test_patch_a_draft_with_if_match_or_version(open_world):
    w = open_world
    q = make_questionnaire(w, open_now=False)
    url = f"/api/v1/questionnaires/{q['id']}"
    first = _get(w, q["id"])
    assert first.headers["ETag"] == '"q-1"' and first.json["version"] == 1
    # Neither If-Match nor version: 428, nothing changes.
    r = w.api("patch", url, w.officer_token, json={"title": "Uten forutsetning"})
    assert r.status_code == 428 and r.mimetype == "application/problem+json"
    r = w.api("patch", url, w.officer_token, json={"title": "Ny tittel", "questions": NEW_QUESTIONS},
              headers={"If-Match": '"q-1"'})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.headers["ETag"] == '"q-2"' and r.json["version"] == 2 and r.json["title"] == "Ny tittel"
    assert [x["text"] for x in r.json["questions"]] == ["Beskriv løsningen kort", "Pris"]
    assert r.json["intro"] == "Svar konkret."  # left out: unchanged
    # A stale If-Match answers 412, a stale version 409; neither writes.
    r = w.api("patch", url, w.officer_token, json={"title": "Gammel"}, headers={"If-Match": '"q-1"'})
    assert r.status_code == 412 and r.json["current_version"] == 2
    r = w.api("patch", url, w.officer_token, json={"title": "Gammel", "version": 1})
    assert r.status_code == 409 and r.json["current_version"] == 2
    assert _get(w, q["id"]).json["title"] == "Ny tittel"
    # The version read, a new deadline, and If-Match: * (whatever is current).
    deadline = future(days=9)
    r = w.api("patch", url, w.officer_token, json={"intro": "Kort.", "deadline": deadline, "version": 2})
    assert r.status_code == 200 and r.json["version"] == 3 and r.json["intro"] == "Kort."
    r = w.api("patch", url, w.officer_token, json={"title": "Stjerne"}, headers={"If-Match": "*"})
    assert r.status_code == 200 and r.json["version"] == 4
    # Nothing new: no version, no audit entry.
    r = w.api("patch", url, w.officer_token, json={"title": "Stjerne", "questions": NEW_QUESTIONS}, headers={
        "If-Match": '"q-4"'})
    assert r.status_code == 200 and r.json["version"] == 4
    changes = audit_entries(w, "questionnaire.changed")
    assert len(changes) == 3
    assert changes[0]["changes"]["before"]["title"] == "Løsningsforslag"
    assert changes[0]["changes"]["after"]["title"] == "Ny tittel"
    assert len(changes[0]["changes"]["after"]["questions"]) == 2
    assert outbox(w) == [] or all("Løsningsforslag" not in s for _t, s, _b in outbox(w))  # drafts tell no one


def test_patch_refuses_invalid_input_and_changes_nothing(open_world):
    w = open_world
    q = make_questionnaire(w, open_now=False)
    url = f"/api/v1/questionnaires/{q['id']}"
    r = w.api("patch", url, w.officer_token, json={"questions": [{"kind": "choice", "text": "Én", "options": ["a"]}],
                                                   "version": 1})
    assert r.status_code == 422 and "questions.0" in r.json["errors"]
    r = w.api("patch", url, w.officer_token, json={"deadline": future(minutes=-5), "version": 1})
    assert r.status_code == 422 and "deadline" in r.json["errors"]
    r = w.api("patch", url, w.officer_token, json={"secret": "x", "version": 1})
    assert r.status_code == 422
    after = _get(w, q["id"]).json
    assert after["version"] == 1 and len(after["questions"]) == 4


def test_opened_questionnaire_only_moves_its_deadline_for_everyone(open_world):
    w = open_world
    q = make_questionnaire(w)
    url = f"/api/v1/questionnaires/{q['id']}"
    # Supplier A answers early; B has not answered yet.
    r = w.api("put", f"{url}/response", w.a, json=answer_body(q, "Tidlig svar"))
    assert r.status_code == 200 and r.json["status"] == "submitted"
    early_version = r.json["version"]
    before_mail = len(outbox(w))
    for body in ({"title": "Endret"}, {"intro": "Ny intro"}, {"questions": NEW_QUESTIONS},
                 {"title": "Endret", "deadline": future(days=4)}):
        r = w.api("patch", url, w.officer_token, json={**body, "version": q["version"]})
        assert r.status_code == 409 and "current_version" not in r.json, (body, r.get_data(as_text=True))
    unchanged = _get(w, q["id"]).json
    assert unchanged["title"] == q["title"] and unchanged["deadline"] == q["deadline"]
    assert [x["text"] for x in unchanged["questions"]] == [x["text"] for x in q["questions"]]
    # The deadline moves, for everyone alike, and every registered supplier is told.
    later = future(days=6)
    r = w.api("patch", url, w.officer_token, json={"deadline": later}, headers={"If-Match": f'"q-{q["version"]}"'})
    assert r.status_code == 200 and r.json["version"] == q["version"] + 1 and r.json["deadline"] != q["deadline"]
    mails = outbox(w)[before_mail:]
    assert sorted(to for to, _s, _b in mails) == ["post@omsorg.test", "post@trygg.test"]  # A and B, not C
    assert len(audit_entries(w, "questionnaire.deadline_moved")) == 1
    # A, who answered early, may still change its response until the (new) deadline, like B.
    r = w.api("put", f"{url}/response", w.a, json={**answer_body(q, "Forbedret svar"), "version": early_version})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert w.api("put", f"{url}/response", w.b, json=answer_body(q, "Sent, men i tide")).status_code == 200


def test_who_may_patch(open_world):
    w = open_world
    draft = make_questionnaire(w, open_now=False)
    opened = make_questionnaire(w)
    body = {"title": "Forsøk", "version": draft["version"]}
    # Suppliers (also registered ones, who can read the opened one) and other tenants: 404.
    for token in (w.a, w.c, w.outsider_token):
        for q in (draft, opened):
            r = w.api("patch", f"/api/v1/questionnaires/{q['id']}", token, json=body)
            assert r.status_code == 404, (token, r.get_data(as_text=True))
    # The partner's member reads but does not write: 403.
    r = w.api("patch", f"/api/v1/questionnaires/{draft['id']}", w.asker_member_token, json=body)
    assert r.status_code == 403
    # The partner's officer (write access in the procurement) may.
    r = w.api("patch", f"/api/v1/questionnaires/{draft['id']}", w.asker_officer_token, json=body)
    assert r.status_code == 200 and r.json["title"] == "Forsøk"


def test_edit_form_of_a_draft(open_world):
    w = open_world
    q = make_questionnaire(w, open_now=False, questions=[
        {"kind": "text", "text": "Beskriv løsningen", "help": "Maks én side.", "source": "plugin:welfare_tech"},
        {"kind": "choice", "text": "Modenhet", "options": ["Idé", "Pilot"], "required": True}])
    page_url = f"/t/baerum/procurements/{w.pid}/dialogue/questionnaires/{q['id']}"
    w.login(w.officer)
    for lang in ("nb", "en"):
        set_lang(w.client, lang)
        page = w.client.get(page_url)
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and 'id="edit-questionnaire-form"' in html
        assert 'name="q-1-text"' in html and 'value="Pilot"' in html and 'name="version" value="1"' in html
        assert 'name="q-1-required" id="f-q-1-required" checked' in html
        assert 'id="deadline-form"' not in html  # a draft's deadline is in the edit form
    form = {"title": "Nytt utkast", "intro": "Ny intro", "deadline": "2030-03-01T12:00", "version": "1",
            **builder_fields({"text": "Beskriv løsningen", "help": "Maks én side.", "source": "plugin:welfare_tech"},
                             {"kind": "multichoice", "text": "Standarder", "options": ["SCAIP", "Normen"]})}
    r = w.client.post(f"{page_url}/edit", data=form)
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    saved = _get(w, q["id"]).json
    assert saved["title"] == "Nytt utkast" and saved["deadline"].startswith("2030-03-01T11:00")
    assert [(x["kind"], x["text"]) for x in saved["questions"]] == [("text", "Beskriv løsningen"),
                                                                     ("multichoice", "Standarder")]
    assert saved["questions"][0]["help"] == "Maks én side." and saved["questions"][0]["source"] == "plugin:welfare_tech"
    # Someone else saved in between: the stale form is refused and shown again with the typed text.
    r = w.client.post(f"{page_url}/edit", data={**form, "title": "Utdatert"})
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and 'id="form-error"' in html and "Utdatert" in html
    # Invalid input: 422 with the message next to the field.
    r = w.client.post(f"{page_url}/edit", data={**form, "version": "2", "title": "", "deadline": ""})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="f-title-error"' in html and 'id="f-deadline-error"' in html
    assert _get(w, q["id"]).json["title"] == "Nytt utkast"


def test_edit_form_is_gone_once_opened_and_the_post_is_refused(open_world):
    w = open_world
    q = make_questionnaire(w)
    page_url = f"/t/baerum/procurements/{w.pid}/dialogue/questionnaires/{q['id']}"
    w.login(w.officer)
    html = w.client.get(page_url).get_data(as_text=True)
    assert 'id="edit-questionnaire-form"' not in html and 'id="questions-fixed"' in html
    r = w.client.post(f"{page_url}/edit", data={"title": "Endret", "deadline": "2030-03-01T12:00", "version": "1",
                                                 **builder_fields({"text": "Hva?"})})
    assert r.status_code == 409 and 'id="form-error"' in r.get_data(as_text=True)
    assert _get(w, q["id"]).json["title"] == q["title"]
    # Another tenant's officer, and the partner's member, cannot post the form either.
    w.login(w.outsider)
    assert w.client.post(f"/t/drammen/procurements/{w.pid}/dialogue/questionnaires/{q['id']}/edit",
                         data={"title": "x"}).status_code == 404
