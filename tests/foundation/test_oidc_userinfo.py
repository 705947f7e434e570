"""OpenID sign-in with providers that keep email claims out of the ID token.

OpenID Connect Core gives scope-requested claims (email, email_verified, name) at the UserInfo
endpoint; Entra ID never asserts `email_verified` at all. Both are real provider processes
(tests/oidc_provider.py) in the configuration named by each test.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.db import db
from core.identity.models import User
from tenants import oidc
from tests.foundation.test_oidc_sign_in import DOMAIN, SLUG, callback_uri, configure, start
from tests.oidc_provider import authorize_as, start_provider


@pytest.fixture(scope="module")
def entra_style_provider():
    with start_provider([callback_uri(SLUG)], conform_id_token_claims=None, email_verified_claim=False) as p:
        yield p


def test_provider_that_never_asserts_email_verified_signs_in_a_person_of_an_allowed_domain(
        app, client, make, entra_style_provider):
    assert "email_verified" not in entra_style_provider.metadata()["claims_supported"]
    make.tenant(SLUG, "Kommune A")
    configure(app, SLUG, entra_style_provider)
    callback = authorize_as(start(client), sub="entra-oid-1", email="Per@kommune-a.no", name="Per Hansen")
    response = client.get(callback)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.get(f"/t/{SLUG}/").status_code == 200
    with app.app_context():
        user = db.session.execute(select(User).where(User.email == f"per@{DOMAIN}")).scalar_one()
        assert user.name == "Per Hansen"


def test_provider_that_never_asserts_email_verified_still_needs_an_allowed_domain(
        app, client, make, entra_style_provider):
    make.tenant(SLUG, "Kommune A")
    configure(app, SLUG, entra_style_provider)
    response = client.get(authorize_as(start(client), sub="entra-oid-2", email="guest@elsewhere.no"))
    assert response.status_code == 403
    with app.app_context():
        assert db.session.execute(select(User).where(User.email == "guest@elsewhere.no")).first() is None


def test_userinfo_naming_another_subject_is_refused():
    with pytest.raises(oidc.SignInFailed):
        oidc.complete_from_userinfo({"sub": "a-1"}, {"sub": "b-2", "email": "b@kommune-a.no",
                                                      "email_verified": True})


def test_userinfo_completes_but_never_overrides_the_id_token():
    claims = oidc.complete_from_userinfo(
        {"sub": "a-1", "email": "a@kommune-a.no"},
        {"sub": "a-1", "email": "other@kommune-a.no", "email_verified": True, "phone_number": "1"})
    assert claims == {"sub": "a-1", "email": "a@kommune-a.no", "email_verified": True}


def test_string_true_counts_as_verified_and_anything_else_does_not():
    assert oidc.email_is_verified({"email_verified": "true"})
    assert not oidc.email_is_verified({"email_verified": "false"})
    assert not oidc.email_is_verified({"email_verified": 1})
    assert not oidc.email_is_verified({})
