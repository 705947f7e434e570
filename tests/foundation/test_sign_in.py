"""Local sign-in: generic failures, the rate limit, password change, sign-out, tenant chooser."""

from __future__ import annotations

import os
import re
import uuid

import pytest

from tests.conftest import PASSWORD, sign_in

ALERT = re.compile(r'<div class="error-summary" role="alert"[^>]*>(.*?)</div>', re.S)


@pytest.fixture
def tenant(make):
    return make.tenant("asker", "Asker kommune")


@pytest.fixture
def person(make, tenant):
    return make.user("kari@asker.test", tenant=tenant, role="officer")


def attempt(client, email: str, password: str, **headers):
    return client.post("/signin", data={"email": email, "password": password}, headers=headers)


def signed_in_as(client) -> str | None:
    with client.session_transaction() as session:
        return session.get("uid")


def test_wrong_password_and_unknown_email_get_the_same_generic_answer(client, person):
    wrong = attempt(client, person.email, "not the password")
    unknown = attempt(client, "nobody@asker.test", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    wrong_alert = ALERT.search(wrong.get_data(as_text=True)).group(1)
    unknown_alert = ALERT.search(unknown.get_data(as_text=True)).group(1)
    assert wrong_alert == unknown_alert  # nothing tells whether the account exists
    assert signed_in_as(client) is None


def test_right_password_signs_in_and_honours_a_local_next(client, person):
    response = client.post("/signin", data={"email": "  KARI@asker.test ", "password": PASSWORD,
                                            "next": "/account"})
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert signed_in_as(client) == str(person.id)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_next_cannot_leave_the_site(client, person, target):
    response = client.post("/signin", data={"email": person.email, "password": PASSWORD, "next": target})
    assert response.headers["Location"] == "/t/asker/" or response.headers["Location"] == "/"


def test_repeated_failures_are_rate_limited(client, person):
    for _ in range(5):
        assert attempt(client, person.email, "wrong", **{"Accept-Language": "en"}).status_code == 401
    limited = attempt(client, person.email, PASSWORD, **{"Accept-Language": "en"})
    assert limited.status_code == 429  # even the right password waits now
    page = limited.get_data(as_text=True)
    assert "Too many attempts" in page and "<h1>" in page
    assert signed_in_as(client) is None
    # The limit is per address and email: another person is not locked out by this one.
    assert attempt(client, "someone.else@asker.test", "wrong").status_code == 401


def test_successful_sign_ins_do_not_count_towards_the_limit(app, client, person):
    for _ in range(8):
        assert attempt(client, person.email, PASSWORD).status_code == 302
        client.post("/signout")
    for _ in range(4):
        assert attempt(client, person.email, "wrong").status_code == 401
    assert attempt(client, person.email, PASSWORD).status_code == 302


@pytest.mark.skipif(not os.environ.get("SAMSPILL_TEST_REDIS_URL"), reason="SAMSPILL_TEST_REDIS_URL not set")
def test_rate_limit_counters_live_in_redis_when_configured(migrated, make, tmp_path):
    import redis

    from core import create_app

    url = os.environ["SAMSPILL_TEST_REDIS_URL"]
    email = f"redis-{uuid.uuid4().hex[:8]}@asker.test"  # counters of other runs never collide
    app = create_app({"SQLALCHEMY_DATABASE_URI": migrated[1], "INSTANCE_PATH": str(tmp_path / "i"),
                      "TESTING": True, "SECRET_KEY": "k", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_STORAGE_URI": url, "SESSION_COOKIE_SECURE": False})
    client = app.test_client()
    for _ in range(5):
        assert attempt(client, email, "wrong").status_code == 401
    assert redis.Redis.from_url(url).keys(f"*{email}*")
    assert attempt(client, email, "wrong").status_code == 429


def test_password_change_ends_other_sessions(app, person):
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, person)
    sign_in(elsewhere, person)
    new = "a brand new passphrase"
    response = here.post("/account/password", data={
        "current_password": PASSWORD, "new_password": new, "confirm_password": new})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert here.get("/account").status_code == 200  # this session goes on
    response = elsewhere.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/signin")
    assert attempt(app.test_client(), person.email, PASSWORD).status_code == 401
    assert attempt(app.test_client(), person.email, new).status_code == 302


@pytest.mark.parametrize("form, field", [
    ({"current_password": "wrong", "new_password": "long enough pass", "confirm_password": "long enough pass"},
     "current_password"),
    ({"current_password": PASSWORD, "new_password": "short", "confirm_password": "short"}, "new_password"),
    ({"current_password": PASSWORD, "new_password": "long enough pass", "confirm_password": "other pass!!"},
     "confirm_password"),
])
def test_password_change_mistakes_are_shown_next_to_the_field(app, client, person, form, field):
    sign_in(client, person)
    response = client.post("/account/password", data=form)
    assert response.status_code == 422
    assert f'id="f-{field}-error"' in response.get_data(as_text=True)
    assert attempt(app.test_client(), person.email, PASSWORD).status_code == 302  # unchanged


def test_sign_out_ends_the_session(client, person):
    sign_in(client, person)
    assert client.get("/t/asker/").status_code == 200
    response = client.post("/signout")
    assert response.status_code == 302
    assert signed_in_as(client) is None
    assert client.get("/t/asker/").headers["Location"].startswith("/signin")


def test_a_person_in_several_tenants_chooses_one(client, make, tenant):
    baerum = make.tenant("baerum", "Bærum kommune")
    person = make.user("both@example.no", tenant=tenant, role="officer")
    make.user("both@example.no", tenant=baerum, role="viewer")
    sign_in(client, person)
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="/t/asker/"' in html and 'href="/t/baerum/"' in html
    assert client.get("/t/baerum/").status_code == 200


def test_a_person_in_one_tenant_goes_straight_to_it(client, person):
    sign_in(client, person)
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"] == "/t/asker/"


def test_a_person_without_tenants_sees_a_helpful_start_page(client, make):
    sign_in(client, make.user("loner@example.no"))
    page = client.get("/")
    assert page.status_code == 200 and 'class="empty-state"' in page.get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(client, tenant):
    response = client.get("/t/asker/admin/members")
    assert response.status_code == 302
    assert response.headers["Location"] == "/signin?next=/t/asker/admin/members"
    assert client.get("/account").headers["Location"] == "/signin?next=/account"
