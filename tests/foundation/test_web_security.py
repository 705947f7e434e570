"""Browser-facing security: CSRF on every form, cookie flags, security headers."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from core import create_app
from core.db import db
from tenants.models import Invitation
from tests.conftest import PASSWORD, bearer, csrf_token


@pytest.fixture
def admin(make):
    tenant = make.tenant("asker", "Asker kommune")
    return make.user("admin@asker.test", tenant=tenant, role="admin")


@pytest.fixture
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True  # read per request by Flask-WTF
    return app


def sign_in_with_token(client, user) -> None:
    token = csrf_token(client.get("/signin").get_data(as_text=True))
    response = client.post("/signin", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def invitations(app) -> int:
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(Invitation)).scalar()


def test_a_form_post_without_csrf_token_is_refused_and_changes_nothing(csrf_app, admin):
    client = csrf_app.test_client()
    sign_in_with_token(client, admin)
    response = client.post("/t/asker/admin/members/invite", data={"email": "new@asker.test", "role": "member"})
    assert response.status_code == 400
    assert response.mimetype == "text/html" and "<h1>" in response.get_data(as_text=True)
    assert invitations(csrf_app) == 0
    token = csrf_token(client.get("/t/asker/admin/members").get_data(as_text=True))
    response = client.post("/t/asker/admin/members/invite",
                           data={"email": "new@asker.test", "role": "member", "csrf_token": token})
    assert response.status_code == 200
    assert invitations(csrf_app) == 1


def test_a_token_from_another_session_is_refused(csrf_app, admin):
    attacker = csrf_app.test_client()
    foreign_token = csrf_token(attacker.get("/signin").get_data(as_text=True))
    victim = csrf_app.test_client()
    sign_in_with_token(victim, admin)
    response = victim.post("/t/asker/admin/members/invite",
                           data={"email": "x@asker.test", "role": "admin", "csrf_token": foreign_token})
    assert response.status_code == 400
    assert invitations(csrf_app) == 0


def test_a_pages_token_is_refused_once_the_session_is_new(csrf_app, admin):
    """Tokens are kept per session secret (`core.web.csrf_tokens`): signing in anew starts a new
    secret, and the token of the session before no longer passes."""
    client = csrf_app.test_client()
    sign_in_with_token(client, admin)
    client.get("/account")  # the first page after signing in makes the session's secret
    before = csrf_token(client.get("/account").get_data(as_text=True))  # a kept token
    assert client.post("/signout", data={"csrf_token": before}).status_code == 302
    sign_in_with_token(client, admin)
    client.get("/account")
    now = csrf_token(client.get("/t/asker/admin/members").get_data(as_text=True))
    assert now != before
    response = client.post("/t/asker/admin/members/invite",
                           data={"email": "new@asker.test", "role": "member", "csrf_token": before})
    assert response.status_code == 400
    assert invitations(csrf_app) == 0
    response = client.post("/t/asker/admin/members/invite",
                           data={"email": "new@asker.test", "role": "member", "csrf_token": now})
    assert response.status_code == 200
    assert invitations(csrf_app) == 1


@pytest.mark.parametrize("path, data", [
    ("/signin", {"email": "admin@asker.test", "password": PASSWORD}),
    ("/signout", {}),
    ("/lang", {"lang": "en"}),
    ("/account/password", {"current_password": PASSWORD, "new_password": "x" * 20, "confirm_password": "x" * 20}),
    ("/account/tokens", {"name": "sneaky"}),
])
def test_every_form_needs_the_token(csrf_app, admin, path, data):
    client = csrf_app.test_client()
    sign_in_with_token(client, admin)
    assert client.post(path, data=data).status_code == 400


def test_the_api_needs_no_csrf_token(csrf_app, make, admin):
    response = csrf_app.test_client().post("/api/v1/me/tokens", headers=bearer(make.token(admin)),
                                           json={"name": "from a script"})
    assert response.status_code == 201


def test_session_cookie_flags_by_default(migrated, admin, tmp_path, monkeypatch):
    monkeypatch.delenv("SAMSPILL_SECURE_COOKIES", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": migrated[1], "INSTANCE_PATH": str(tmp_path / "i"),
                      "TESTING": True, "SECRET_KEY": "k", "WTF_CSRF_ENABLED": False})
    response = app.test_client().post("/signin", data={"email": admin.email, "password": PASSWORD},
                                      base_url="https://samspill.test")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("samspill_session=")
    flags = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")}
    assert {"secure", "httponly", "samesite"} <= set(flags)
    assert flags["samesite"].strip() == "SameSite=Lax"


def test_secure_flag_can_be_turned_off_for_plain_http(migrated, admin, tmp_path, monkeypatch):
    monkeypatch.setenv("SAMSPILL_SECURE_COOKIES", "0")
    app = create_app({"SQLALCHEMY_DATABASE_URI": migrated[1], "INSTANCE_PATH": str(tmp_path / "i"),
                      "TESTING": True, "SECRET_KEY": "k", "WTF_CSRF_ENABLED": False})
    cookie = app.test_client().post("/signin", data={"email": admin.email, "password": PASSWORD}).headers["Set-Cookie"]
    assert "Secure" not in cookie and "HttpOnly" in cookie


def test_pages_carry_security_headers(client):
    response = client.get("/signin")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_https_is_required_by_hsts_when_cookies_are_secure(migrated, tmp_path, monkeypatch):
    monkeypatch.delenv("SAMSPILL_SECURE_COOKIES", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": migrated[1], "INSTANCE_PATH": str(tmp_path / "i"),
                      "TESTING": True, "SECRET_KEY": "k"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    for path in ("/signin", "/healthz", "/api/v1/openapi.json"):
        header = app.test_client().get(path).headers.get("Strict-Transport-Security", "")
        assert header.startswith("max-age="), (path, header)
        assert int(header.removeprefix("max-age=").split(";")[0]) >= 180 * 24 * 3600


def test_no_hsts_over_plain_http(migrated, tmp_path, monkeypatch):
    monkeypatch.setenv("SAMSPILL_SECURE_COOKIES", "0")
    app = create_app({"SQLALCHEMY_DATABASE_URI": migrated[1], "INSTANCE_PATH": str(tmp_path / "i"),
                      "TESTING": True, "SECRET_KEY": "k"})
    assert "Strict-Transport-Security" not in app.test_client().get("/signin").headers
