"""The questionnaire builder is a form: one fieldset per question, add / remove / move up and
down / add option as server round trips (no JavaScript), nothing saved until "save"; errors sit
next to the field and the summary names the question ("Spørsmål 2: …") with a link to it."""

from __future__ import annotations

import re
from datetime import timedelta

from core.db import utcnow
from core.dialogue.forms import local_input
from tests.dialogue.helpers import builder_fields, make_questionnaire, set_lang

QUESTIONS = ({"text": "Beskriv løsningen", "required": True},
             {"kind": "choice", "text": "Modenhet", "options": ["Idé", "Pilot"]},
             {"kind": "multichoice", "text": "Standarder", "options": ["SCAIP", "Normen"]})


def _texts(html: str) -> list[str]:
    return re.findall(r'<textarea class="ds-input question-text" id="f-q-\d+-text" name="q-\d+-text"[^>]*>([^<]*)<',
                      html)


def _listed(w) -> list[dict]:
    return w.api("get", f"/api/v1/procurements/{w.pid}/questionnaires", w.officer_token).json


def _new_form(**extra) -> dict:
    return {"title": "Løsningsforslag", "deadline": local_input(utcnow() + timedelta(days=3)),
            **builder_fields(*QUESTIONS), **extra}


def test_editing_buttons_are_round_trips_that_save_nothing(open_world):
    w = open_world
    w.login(w.officer)
    url = f"/t/baerum/procurements/{w.pid}/dialogue/questionnaires"
    page = w.client.get(url).get_data(as_text=True)
    assert 'name="count" value="1"' in page and 'id="f-q-0-text"' in page and 'id="f-add-question"' in page
    assert all(f'<option value="{kind}"' in page for kind in ("text", "choice", "multichoice", "attachment"))
    # Add a question: a fourth, empty fieldset, focused; the typed title stays.
    r = w.client.post(url, data=_new_form(action="add"))
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and 'name="count" value="4"' in html and 'value="Løsningsforslag"' in html
    assert _texts(html) == ["Beskriv løsningen", "Modenhet", "Standarder", ""]
    assert re.search(r'id="f-q-3-text"[^>]*autofocus', html)
    # Move the third question up, then the first one down.
    html = w.client.post(url, data=_new_form(action="up-2")).get_data(as_text=True)
    assert _texts(html) == ["Beskriv løsningen", "Standarder", "Modenhet"]
    assert 'value="SCAIP"' in html.split('id="question-row-1"')[1].split('id="question-row-2"')[0]
    html = w.client.post(url, data=_new_form(action="down-0")).get_data(as_text=True)
    assert _texts(html) == ["Modenhet", "Beskriv løsningen", "Standarder"]
    assert 'name="q-1-required" id="f-q-1-required" checked' in html  # the required flag moves along
    # Remove the second; add an option to the (new) second.
    html = w.client.post(url, data=_new_form(action="remove-1")).get_data(as_text=True)
    assert _texts(html) == ["Beskriv løsningen", "Standarder"]
    html = w.client.post(url, data=_new_form(action="addoption-1")).get_data(as_text=True)
    assert html.count('name="q-1-option"') == 4 and re.search(r'id="f-q-1-option-3"[^>]*autofocus', html)
    # Out-of-range and unknown buttons change nothing; none of it saved anything.
    assert _texts(w.client.post(url, data=_new_form(action="up-0")).get_data(as_text=True)) == [
        q["text"] for q in QUESTIONS]
    assert _texts(w.client.post(url, data=_new_form(action="remove-99")).get_data(as_text=True)) == [
        q["text"] for q in QUESTIONS]
    assert _listed(w) == []


def test_save_creates_the_questions_in_order_and_leaves_blank_rows_out(open_world):
    w = open_world
    w.login(w.officer)
    url = f"/t/baerum/procurements/{w.pid}/dialogue/questionnaires"
    form = _new_form(**builder_fields(*QUESTIONS, {"kind": "choice", "text": "", "options": ["", ""]},
                                      {"kind": "attachment", "text": "Produktark"}), action="save")
    r = w.client.post(url, data=form)
    assert r.status_code == 302, r.get_data(as_text=True)[:800]
    [q] = _listed(w)
    assert [(x["kind"], x["text"], x["options"], x["required"]) for x in q["questions"]] == [
        ("text", "Beskriv løsningen", [], True), ("choice", "Modenhet", ["Idé", "Pilot"], False),
        ("multichoice", "Standarder", ["SCAIP", "Normen"], False), ("attachment", "Produktark", [], False)]
    # Enter in a field submits the hidden default button first in the form: save, not "move".
    page = w.client.get(url).get_data(as_text=True)
    form_html = page.split('id="questionnaire-form"')[1]
    assert re.match(r'[^<]*<input type="hidden" name="csrf_token"[^>]*>\s*<button type="submit" name="action" '
                    r'value="save" hidden', form_html.split(">", 1)[1].strip())


def test_errors_sit_next_to_the_field_and_the_summary_names_the_question(open_world):
    w = open_world
    w.login(w.officer)
    set_lang(w.client, "nb")
    url = f"/t/baerum/procurements/{w.pid}/dialogue/questionnaires"
    bad = builder_fields({"text": "Beskriv løsningen"}, {"kind": "choice", "text": "Modenhet", "options": ["Idé"]},
                         {"kind": "text", "text": "", "options": ["rest"]}, {"kind": "nonsense", "text": "Hva?"})
    r = w.client.post(url, data={"title": "", "deadline": local_input(utcnow() + timedelta(days=3)), **bad,
                                 "action": "save"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="form-error"' in html
    summary = html.split('id="form-error"')[1].split("</div>")[0]
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', summary)
    assert [target for target, _text in links] == ["f-title", "f-q-1-option-1", "f-q-2-text", "f-q-3-kind"]
    assert links[1][1].startswith("Spørsmål 2: ") and links[2][1].startswith("Spørsmål 3: ")
    assert links[3][1].startswith("Spørsmål 4: ")
    for target in ("f-q-1-options", "f-q-2-text", "f-q-3-kind", "f-title"):
        assert f'id="{target}-error"' in html and f'id="{target}"' in html
    assert 'aria-describedby="f-q-2-text-error"' in html
    assert _texts(html) == ["Beskriv løsningen", "Modenhet", "", "Hva?"]  # what was typed stays
    assert _listed(w) == []
    set_lang(w.client, "en")
    html = w.client.post(url, data={"title": "T", "deadline": local_input(utcnow() + timedelta(days=3)), **bad,
                                    "action": "save"}).get_data(as_text=True)
    assert "Question 2: " in html and "Spørsmål" not in html


def test_suggested_questions_come_first_and_errors_still_name_the_builder_rows(open_world):
    w = open_world
    w.login(w.officer)
    url = f"/t/baerum/procurements/{w.pid}/dialogue/questionnaires"
    r = w.client.post(url, data={"title": "T", "deadline": "", **builder_fields(*QUESTIONS), "action": "save",
                                 "open_now": "on"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and 'href="#f-deadline"' in html and 'id="f-open_now" checked' in html
    r = w.client.post(url, data={"title": "T", "deadline": local_input(utcnow() + timedelta(days=3)),
                                 **builder_fields({"text": ""}), "action": "save"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="f-questions-error"' in html and 'href="#f-q-0-text"' in html


def test_edit_form_of_a_draft_is_the_same_builder(open_world):
    w = open_world
    q = make_questionnaire(w, open_now=False)
    page_url = f"/t/baerum/procurements/{w.pid}/dialogue/questionnaires/{q['id']}"
    w.login(w.officer)
    html = w.client.get(page_url).get_data(as_text=True)
    assert _texts(html) == ["Beskriv løsningen", "Modenhet", "Standarder", "Produktark"]
    assert re.search(r'<option value="attachment" selected>', html)
    base = {"title": "Løsningsforslag", "intro": "", "deadline": local_input(utcnow() + timedelta(days=3)),
            "version": "1", **builder_fields(*QUESTIONS)}
    r = w.client.post(f"{page_url}/edit", data={**base, "action": "remove-0"})
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and _texts(html) == ["Modenhet", "Standarder"]
    assert 'id="edit-questionnaire" open' in html
    r = w.client.post(f"{page_url}/edit", data={**base, **builder_fields(*QUESTIONS[1:], {"text": "Pris?"}),
                                                "action": "save"})
    assert r.status_code == 302, r.get_data(as_text=True)[:800]
    saved = w.api("get", f"/api/v1/questionnaires/{q['id']}", w.officer_token).json
    assert [x["text"] for x in saved["questions"]] == ["Modenhet", "Standarder", "Pris?"]
    r = w.client.post(f"{page_url}/edit", data={**base, "version": "2",
                                                **builder_fields({"kind": "choice", "text": "Én", "options": ["a"]}),
                                                "action": "save"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and 'href="#f-q-0-option-1"' in html and 'id="f-q-0-options-error"' in html
