"""Domain error messages are translated when the answer is rendered, in the request's language.

- HTML pages: the page language (Bokmål by default, English after the switch), next to the field.
- The API: English (the message ids) unless the client's `Accept-Language` prefers nb/no/nn;
  the person's page preference never changes an API answer (docs/decisions.md).
- Lazy messages never reach JSON, the session or Jinja as LazyString: no 500, no unescaped text.
"""

from __future__ import annotations

import re

from flask_babel import force_locale, gettext
from flask_smorest import abort

from core.errors import Conflict, ValidationError
from core.i18n import _l
from tests.conftest import bearer, sign_in

TITLE_MSG = "A title of 1-300 characters is required."


def _nb(app, msgid: str, **variables) -> str:
    with app.test_request_context("/"), force_locale("nb"):
        text = gettext(msgid, **variables)
    assert text != msgid % variables if variables else text != msgid, f"{msgid!r} has no Bokmål translation"
    return text


def _field_error(html: str, name: str) -> str:
    match = re.search(rf'<p class="error" id="f-{name}-error">(.*?)</p>', html, re.S)
    assert match, f"no error next to {name}"
    return match.group(1).strip()


def _officer(make):
    tenant = make.tenant("asker", "Asker kommune")
    return make.user("ola@asker.test", tenant=tenant, role="officer")


def test_a_bokmal_form_shows_the_bokmal_message_next_to_the_field(app, client, make):
    sign_in(client, _officer(make))
    page = client.post("/t/asker/procurements/new", data={"title": "", "cpv_codes": "85311100-4"})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert _field_error(html, "title") == _nb(app, TITLE_MSG)
    assert _field_error(html, "cpv_codes") == _nb(app, "%(code)s has the wrong check digit.", code="85311100-4")

    client.post("/lang", data={"lang": "en"})
    english = client.post("/t/asker/procurements/new", data={"title": ""}).get_data(as_text=True)
    assert _field_error(english, "title") == TITLE_MSG


def test_the_api_answers_in_english_unless_the_client_asks_for_norwegian(app, client, make):
    officer = _officer(make)
    token = make.token(officer)
    path = "/api/v1/tenants/asker/procurements"

    plain = client.post(path, json={"title": ""}, headers=bearer(token))
    assert plain.status_code == 422 and plain.mimetype == "application/problem+json"
    assert plain.json["title"] == "Invalid input"
    assert plain.json["detail"] == "Some fields are invalid."
    assert plain.json["errors"] == {"title": [TITLE_MSG]}

    for header in ("nb", "nb-NO,nb;q=0.9,en;q=0.8", "no", "nn-NO"):
        norsk = client.post(path, json={"title": ""}, headers={**bearer(token), "Accept-Language": header})
        assert norsk.status_code == 422
        assert norsk.json["title"] == _nb(app, "Invalid input")
        assert norsk.json["detail"] == _nb(app, "Some fields are invalid.")
        assert norsk.json["errors"] == {"title": [_nb(app, TITLE_MSG)]}

    english = client.post(path, json={"title": ""}, headers={**bearer(token), "Accept-Language": "en-GB,nb;q=0.5"})
    assert english.json["errors"] == {"title": [TITLE_MSG]}

    # The person's page language (profile and session) does not change the API's answers.
    sign_in(client, officer)
    client.post("/lang", data={"lang": "nb"})
    assert client.post(path, json={"title": ""}, headers=bearer(token)).json["errors"] == {"title": [TITLE_MSG]}


def test_lazy_messages_never_break_json_html_or_the_session(app, client):
    """Nested lazy messages in errors and extra, in a smorest abort, in a flashed detail."""
    nested = {"extension": {"welfare_tech": [_l("Unknown field.")]}, "title": [_l("Not editable.")]}

    def domain():
        raise ValidationError(_l("Unknown extension namespace %(namespace)s.", namespace="<b>x</b>"),
                              errors=nested, missing=[{"text": _l("Unknown field.")}])

    def smorest():
        abort(422, messages={"json": {"title": [_l("Unknown field.")]}})

    def flashed():
        from flask import flash, redirect

        try:
            raise Conflict(_l("The procurement was changed by someone else since you opened it."))
        except Conflict as exc:
            flash(exc.detail, "error")  # the session stores a plain str
        return redirect("/signin")

    def page():
        raise ValidationError(_l("Unknown extension namespace %(namespace)s.", namespace="<b>x</b>"))

    app.add_url_rule("/api/v1/_test/domain", "t_domain", domain, methods=["POST"])
    app.add_url_rule("/api/v1/_test/smorest", "t_smorest", smorest, methods=["POST"])
    app.add_url_rule("/_test/flashed", "t_flashed", flashed)
    app.add_url_rule("/_test/page", "t_page", page)

    for lang in ("en", "nb"):
        headers = {"Accept-Language": lang}
        body = client.post("/api/v1/_test/domain", headers=headers).json
        expected = "Unknown field." if lang == "en" else _nb(app, "Unknown field.")
        assert body["errors"]["extension"]["welfare_tech"] == [expected]
        assert body["missing"] == [{"text": expected}]
        assert "<b>x</b>" in body["detail"]
        response = client.post("/api/v1/_test/smorest", headers=headers)
        assert response.status_code == 422 and response.json["errors"] == {"json": {"title": [expected]}}

    assert client.get("/_test/flashed").status_code == 302
    html = client.get("/signin").get_data(as_text=True)
    assert _nb(app, "The procurement was changed by someone else since you opened it.") in html
    shown = client.get("/_test/page").get_data(as_text=True)
    assert "&lt;b&gt;x&lt;/b&gt;" in shown and "<b>x</b>" not in shown  # translated, then escaped


def test_errors_outside_a_request_are_english(app):
    with app.app_context():
        error = ValidationError(_l("Some fields are invalid."), errors={"title": [_l("Unknown field.")]})
        assert str(error) == error.detail == "Some fields are invalid."
        assert error.errors == {"title": ["Unknown field."]}
