"""The API shell: bearer tokens, problem+json errors, strict bodies, OpenAPI and local docs."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db import db, utcnow
from core.identity.models import ApiToken
from tests.conftest import bearer

PROBLEM = "application/problem+json"


@pytest.fixture
def person(make):
    tenant = make.tenant("asker", "Asker kommune")
    return make.user("officer@asker.test", tenant=tenant, role="officer")


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.json
    assert body["status"] == status and body["type"].startswith("https://") and body["title"]
    assert body["detail"]
    return body


def set_token(app, secret: str, **fields) -> None:
    with app.app_context():
        token = db.session.execute(select(ApiToken).where(ApiToken.prefix == secret[:10])).scalar_one()
        for key, value in fields.items():
            setattr(token, key, value)
        db.session.commit()


# --- bearer tokens ------------------------------------------------------------------------

def test_a_live_token_works(client, make, person):
    response = client.get("/api/v1/me", headers=bearer(make.token(person)))
    assert response.status_code == 200
    assert response.json["email"] == person.email


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer ssp_unknown-token"}, {"Authorization": "Bearer not-even-our-format"},
    {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer "},
], ids=["none", "unknown", "foreign-format", "basic-auth", "empty"])
def test_missing_or_unknown_tokens_get_401_problem(client, person, headers):
    response = client.get("/api/v1/me", headers=headers)
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_expired_token_gets_401(app, client, make, person):
    secret = make.token(person)
    set_token(app, secret, expires_at=utcnow() - timedelta(seconds=1))
    body = assert_problem(client.get("/api/v1/me", headers=bearer(secret)), 401)
    assert "expired" in body["detail"]


def test_revoked_token_gets_401(app, client, make, person):
    secret = make.token(person)
    set_token(app, secret, revoked_at=utcnow())
    body = assert_problem(client.get("/api/v1/me", headers=bearer(secret)), 401)
    assert "revoked" in body["detail"]


def test_token_of_a_deactivated_person_gets_401(app, client, make, person):
    secret = make.token(person)
    with app.app_context():
        token = db.session.execute(select(ApiToken).where(ApiToken.prefix == secret[:10])).scalar_one()
        token.user.is_active = False
        db.session.commit()
    assert_problem(client.get("/api/v1/me", headers=bearer(secret)), 401)


def test_session_cookies_do_not_authenticate_the_api(client, person):
    from tests.conftest import sign_in

    sign_in(client, person)
    assert client.get("/account").status_code == 200
    assert_problem(client.get("/api/v1/me"), 401)


def test_only_a_digest_of_the_token_is_stored(app, make, person):
    secret = make.token(person)
    with app.app_context():
        token = db.session.execute(select(ApiToken)).scalar_one()
        assert secret not in (token.digest, token.prefix) and len(token.digest) == 64
        assert secret.startswith(token.prefix)


# --- the token API: a small write with strict input ---------------------------------------

def test_create_use_and_revoke_a_token_through_the_api(client, make, person):
    auth = bearer(make.token(person))
    created = client.post("/api/v1/me/tokens", headers=auth, json={"name": "ci", "expires_in_days": 7})
    assert created.status_code == 201, created.get_data(as_text=True)
    secret, token_id = created.json["token"], created.json["id"]
    assert secret.startswith(created.json["prefix"])
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    assert client.delete(f"/api/v1/me/tokens/{token_id}", headers=auth).status_code == 204
    assert_problem(client.get("/api/v1/me", headers=bearer(secret)), 401)
    # Revoking again is harmless; someone else's token is "not found".
    assert client.delete(f"/api/v1/me/tokens/{token_id}", headers=auth).status_code == 204
    stranger = make.user("stranger@example.no")
    assert_problem(client.delete(f"/api/v1/me/tokens/{token_id}", headers=bearer(make.token(stranger))), 404)


def test_token_creation_and_revocation_are_audited(app, client, make, person):
    from core.audit import AuditEntry

    auth = bearer(make.token(person))
    token_id = client.post("/api/v1/me/tokens", headers=auth, json={"name": "audited"}).json["id"]
    client.delete(f"/api/v1/me/tokens/{token_id}", headers=auth)
    with app.app_context():
        actions = db.session.execute(select(AuditEntry.action, AuditEntry.actor_label)
                                     .where(AuditEntry.object_id == token_id)).all()
    assert sorted(actions) == [("token.created", person.email), ("token.revoked", person.email)]


def test_malformed_json_is_400_problem(client, make, person):
    response = client.post("/api/v1/me/tokens", headers=bearer(make.token(person)),
                           data='{"name": "ci",', content_type="application/json")
    body = assert_problem(response, 400)
    assert "JSON" in body["detail"]


@pytest.mark.parametrize("payload, field", [
    ({"name": "ci", "admin": True}, "admin"),
    ({}, "name"),
    ({"name": ""}, "name"),
    ({"name": "ci", "expires_in_days": 1000}, "expires_in_days"),
    ({"name": "ci", "expires_in_days": "soon"}, "expires_in_days"),
], ids=["unknown-field", "missing-name", "empty-name", "too-long-life", "not-a-number"])
def test_invalid_bodies_are_422_problem_naming_the_field(app, client, make, person, payload, field):
    auth = bearer(make.token(person))
    body = assert_problem(client.post("/api/v1/me/tokens", headers=auth, json=payload), 422)
    assert field in body["errors"]["json"]
    with app.app_context():  # nothing was half-written
        assert db.session.execute(select(ApiToken)).scalars().all().__len__() == 1


def test_a_json_array_is_refused(client, make, person):
    assert_problem(client.post("/api/v1/me/tokens", headers=bearer(make.token(person)), json=["ci"]), 422)


def test_unknown_api_paths_are_problem_json(client, make, person):
    assert_problem(client.get("/api/v1/no-such-thing", headers=bearer(make.token(person))), 404)


# --- OpenAPI and the documentation page ---------------------------------------------------

def test_openapi_document_is_valid_and_declares_bearer_auth(client):
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = json.loads(response.get_data(as_text=True))
    validate(spec)
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "ssp_…"}
    assert {"bearerAuth": []} in spec["security"]
    assert {"/api/v1/me", "/api/v1/tenants", "/api/v1/me/tokens",
            "/api/v1/me/tokens/{token_id}"} <= set(spec["paths"])
    assert "requestBody" in spec["paths"]["/api/v1/me/tokens"]["post"]


def test_api_docs_are_served_locally(client):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert not re.search(r"(?:https?:)?//", html), "the docs page must not load anything from elsewhere"
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) >= 3
    for asset in assets:
        assert asset.startswith("/"), asset
        assert client.get(asset).status_code == 200, asset
    spec_url = re.search(r'data-spec="([^"]+)"', html).group(1)
    assert client.get(spec_url).status_code == 200
    script = client.get("/static/api-docs.js").get_data(as_text=True)
    assert "validatorUrl: null" in script  # Swagger UI would otherwise call validator.swagger.io
    assert "'self'" in page.headers["Content-Security-Policy"]
