"""The language switch: Bokmål by default, English on request, and the choice sticks."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from core.db import db
from core.identity.models import User
from tests.conftest import sign_in

HTML_LANG = re.compile(r'<html lang="([a-z]+)">')


def page_lang(client, path: str = "/signin") -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return HTML_LANG.search(response.get_data(as_text=True)).group(1)


@pytest.fixture
def person(make):
    tenant = make.tenant("asker", "Asker kommune")
    return make.user("kari@asker.test", tenant=tenant, role="admin")


def stored_locale(app, person) -> str | None:
    with app.app_context():
        return db.session.execute(select(User.locale).where(User.id == person.id)).scalar_one()


def test_bokmal_is_the_default_and_english_follows_the_browser(client):
    assert page_lang(client) == "nb"
    assert HTML_LANG.search(client.get("/signin", headers={"Accept-Language": "en-GB,en"})
                            .get_data(as_text=True)).group(1) == "en"
    assert HTML_LANG.search(client.get("/signin", headers={"Accept-Language": "nn,en;q=0.5"})
                            .get_data(as_text=True)).group(1) == "nn"  # a Nynorsk browser, since nn exists


def test_the_switch_sticks_across_pages_and_in_the_profile(app, client, person):
    sign_in(client, person)
    response = client.post("/lang", data={"lang": "en", "next": "/t/asker/admin/members"})
    assert response.status_code == 302 and response.headers["Location"] == "/t/asker/admin/members"
    for path in ("/t/asker/", "/t/asker/admin/members", "/account"):
        assert page_lang(client, path) == "en"
    assert stored_locale(app, person) == "en"
    # A new browser picks the choice up from the profile at sign-in.
    other = app.test_client()
    sign_in(other, person)
    assert page_lang(other, "/t/asker/") == "en"
    client.post("/lang", data={"lang": "nb", "next": "/t/asker/"})
    assert page_lang(client, "/t/asker/") == "nb"
    assert stored_locale(app, person) == "nb"


def test_the_choice_survives_sign_out(client, person):
    sign_in(client, person)
    client.post("/lang", data={"lang": "en"})
    client.post("/signout")
    assert page_lang(client) == "en"


def test_anonymous_choice_lives_in_the_session(client):
    client.post("/lang", data={"lang": "en", "next": "/signin"})
    assert page_lang(client) == "en"


@pytest.mark.parametrize("data", [{"lang": "de"}, {"lang": "en", "next": "https://evil.example/"},
                                  {"lang": "en", "next": "//evil.example/"}])
def test_unknown_languages_and_foreign_targets_are_ignored(client, data):
    response = client.post("/lang", data=data)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert page_lang(client) == ("en" if data["lang"] == "en" else "nb")
