"""The session cookie is re-signed only when the session changed or its signature is older than
the refresh interval, and the idle timeout still signs a person out (`core.session_cookie`)."""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta

import pytest
from flask.sessions import session_json_serializer
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from tests.conftest import sign_in

COOKIE = "samspill_session"
LIFETIME = 12 * 3600
REFRESH = 300


@pytest.fixture
def person(make):
    tenant = make.tenant("asker", "Asker kommune")
    return make.user("kari@asker.test", tenant=tenant)


def serializer(app, signed_at: float | None = None) -> URLSafeTimedSerializer:
    """The app's cookie serializer (same key, salt and digest); `signed_at` stamps its
    signatures at that time, as if the cookie had been signed then."""

    class Signer(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time() if signed_at is None else signed_at)

    return URLSafeTimedSerializer(app.secret_key, salt="cookie-session", serializer=session_json_serializer,
                                  signer=Signer, signer_kwargs={"key_derivation": "hmac",
                                                                "digest_method": hashlib.sha1})


def session_data(app, client) -> dict:
    return serializer(app).loads(client.get_cookie(COOKIE, domain="samspill.test").value)


def signed_ago(app, client, seconds: int) -> None:
    """Present the client's session (unchanged) in a cookie signed `seconds` ago."""
    data = session_data(app, client)
    client.set_cookie(COOKIE, serializer(app, time.time() - seconds).dumps(data), domain="samspill.test")


def signature_age(app, set_cookie: str) -> float:
    value = set_cookie.split(";")[0].split("=", 1)[1]
    _data, stamp = serializer(app).loads(value, return_timestamp=True)
    return time.time() - stamp.timestamp()


def sign_in_and_open_a_page(client, person) -> None:
    """Signed in, with the session's CSRF secret made by the first page (a change: sent)."""
    sign_in(client, person)
    assert "Set-Cookie" in client.get("/account").headers


def test_an_unchanged_session_gets_no_cookie_within_the_interval(app, client, person):
    sign_in_and_open_a_page(client, person)
    response = client.get("/account")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    signed_ago(app, client, REFRESH - 30)
    response = client.get("/account")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Vary"] == "Cookie"


def test_the_cookie_is_refreshed_once_its_signature_is_older_than_the_interval(app, client, person):
    sign_in_and_open_a_page(client, person)
    signed_ago(app, client, REFRESH + 5)
    response = client.get("/account")
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    assert signature_age(app, cookie) < 5  # signed anew: the idle timeout starts again
    assert "Expires=" in cookie
    assert "Set-Cookie" not in client.get("/account").headers  # and then not again


def test_idle_timeout_still_signs_out(app, client, person):
    sign_in_and_open_a_page(client, person)
    signed_ago(app, client, LIFETIME - 60)  # just inside the idle timeout: signed in, refreshed
    response = client.get("/account")
    assert response.status_code == 200 and "Set-Cookie" in response.headers
    signed_ago(app, client, LIFETIME + 60)  # idle longer than the timeout: signed out
    response = client.get("/account")
    assert response.status_code != 200
    assert "kari@asker.test" not in response.get_data(as_text=True)


def test_sign_out_and_changes_still_send_the_cookie(app, client, person):
    sign_in_and_open_a_page(client, person)
    assert "Set-Cookie" not in client.get("/account").headers
    response = client.post("/lang", data={"lang": "en", "next": "/account"})
    assert "Set-Cookie" in response.headers
    assert session_data(app, client)["lang"] == "en"
    response = client.post("/signout")
    assert "Set-Cookie" in response.headers
    assert "uid" not in session_data(app, client)
    assert client.get("/account").status_code != 200


def test_a_remembered_cookie_still_times_out(app, client, person):
    """A cookie verified before (remembered by the process) is still refused once it is older
    than the idle timeout."""
    sign_in_and_open_a_page(client, person)
    assert client.get("/account").status_code == 200  # verified and remembered
    assert client.get("/account").status_code == 200  # the remembered one
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=1)
    time.sleep(2.1)
    response = client.get("/account")
    assert response.status_code != 200
    assert "kari@asker.test" not in response.get_data(as_text=True)


def test_a_tampered_cookie_is_refused_after_a_good_one(app, client, person):
    sign_in_and_open_a_page(client, person)
    good = client.get_cookie(COOKIE, domain="samspill.test").value
    assert client.get("/account").status_code == 200
    payload, _, signature = good.rpartition(".")
    forged = payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
    client.set_cookie(COOKIE, forged, domain="samspill.test")
    assert client.get("/account").status_code != 200
