"""Errors of the market dialogue and the supplier portal speak the reader's language: Bokmål
or English on pages (next to the field and in the summary), English in the API unless the
client asks for Norwegian (docs/decisions.md 19)."""

from __future__ import annotations

from tests.dialogue.helpers import set_lang
from tests.dialogue.test_conference import put_conference
from tests.dialogue.test_meetings import book, make_round


def test_project_group_form_errors_in_both_languages(open_world):
    w = open_world
    w.login(w.officer)
    url = f"/t/baerum/procurements/{w.pid}/dialogue/conference"
    for lang, field_message, summary in (
            ("nb", "Et starttidspunkt er påkrevd.", "Opplysningene om konferansen er ugyldige."),
            ("en", "A start time is required.", "The conference details are invalid.")):
        set_lang(w.client, lang)
        r = w.client.post(url, data={"place": "Rådhuset"})
        html = r.get_data(as_text=True)
        assert r.status_code == 422 and 'id="f-starts_at-error"' in html
        assert field_message in html and summary in html


def test_supplier_portal_refusals_in_both_languages(open_world):
    w = open_world
    rnd = make_round(w, slots=1)
    slot = rnd["slots"][0]["id"]
    assert book(w, w.a, slot).status_code == 201
    w.login(w.b_user)
    for lang, message in (("nb", "Tidspunktet er allerede tatt."), ("en", "The slot is already taken.")):
        set_lang(w.client, lang)
        r = w.client.post(f"/supplier/dialogues/{w.pid}/meetings/{slot}/book")
        assert r.status_code == 409 and message in r.get_data(as_text=True)


def test_api_is_english_unless_norwegian_is_asked_for(open_world):
    w = open_world
    put_conference(w)
    url = f"/api/v1/procurements/{w.pid}/conference/attendance"
    english = w.api("put", url, w.c, json={"attendees": 1})  # not registered
    assert english.status_code == 404 and english.json["detail"] == "Register for the market dialogue first."
    norwegian = w.api("put", url, w.c, json={"attendees": 1}, headers={"Accept-Language": "nb"})
    assert norwegian.json["detail"] == "Registrer dere for markedsdialogen først."
    assert norwegian.json["type"] == english.json["type"]
    r = w.api("post", f"/api/v1/procurements/{w.pid}/questions", w.a, json={"text": " "},
              headers={"Accept-Language": "nb-NO, en;q=0.5"})
    assert r.status_code == 422 and r.json["errors"] == {"text": ["1–5000 tegn."]}
    assert w.api("post", f"/api/v1/procurements/{w.pid}/questions", w.a, json={"text": " "}).json["errors"] == {
        "text": ["1-5000 characters."]}
