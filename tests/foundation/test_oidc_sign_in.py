"""OpenID Connect sign-in per tenant, against a real OpenID provider process on loopback.

The provider is panva's `oidc-provider` (tests/oidc_provider.py). The app's real routes are
driven with the Flask test client: /t/<slug>/auth/oidc/login → provider (a scripted browser
signs in and consents) → /t/<slug>/auth/oidc/callback. Every refusal must be a clear page
(never a 500) and must leave the browser signed out.
"""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from sqlalchemy import select, text

from core.db import db
from core.identity.models import OidcIdentity, User
from tenants import service as tenant_service
from tenants.models import Membership, TenantRole, TenantSignIn
from tests.conftest import sign_in
from tests.oidc_provider import authorize_as, deny_authorization, start_provider

SLUG = "kommune-a"
OTHER_SLUG = "kommune-b"
DOMAIN = "kommune-a.no"


def callback_uri(slug: str) -> str:
    return f"http://samspill.test/t/{slug}/auth/oidc/callback"


@pytest.fixture(scope="module", params=[None, False], ids=["provider-default", "claims-in-id-token"])
def provider(request):
    # require_pkce: the provider refuses a token request without the right code_verifier,
    # so every successful sign-in below proves the app sends PKCE. Every test runs against the
    # provider's default configuration (email and name only at the userinfo endpoint, as
    # OpenID Connect Core has it) and with those claims in the ID token as well.
    with start_provider([callback_uri(SLUG), callback_uri(OTHER_SLUG)], require_pkce=True,
                        conform_id_token_claims=request.param) as p:
        yield p


def configure(app, slug: str, provider, *, issuer: str | None = None, domains=(DOMAIN,)) -> None:
    with app.app_context():
        tenant = tenant_service.get_tenant(slug)
        tenant_service.set_sign_in(
            tenant, issuer=issuer or provider.issuer, client_id=provider.client_id,
            client_secret=provider.client_secret, allowed_domains=list(domains), check_access=False)
        db.session.commit()


@pytest.fixture
def tenant(app, make, provider):
    ref = make.tenant(SLUG, "Kommune A")
    configure(app, SLUG, provider)
    return ref


def query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def with_query(url: str, **changes: str | None) -> str:
    parts = urlsplit(url)
    params = query(url)
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return urlunsplit(parts._replace(query=urlencode(params)))


def start(client, slug: str = SLUG) -> str:
    response = client.get(f"/t/{slug}/auth/oidc/login")
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def assert_signed_out(client, slug: str = SLUG) -> None:
    with client.session_transaction() as session:
        assert "uid" not in session
    response = client.get(f"/t/{slug}/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/signin")


def assert_refused(response, status: int, client, slug: str = SLUG) -> str:
    body = response.get_data(as_text=True)
    assert response.status_code == status, body
    assert response.mimetype == "text/html"
    assert "<h1>" in body
    assert_signed_out(client, slug)
    return body


def users_with_email(app, email: str) -> int:
    with app.app_context():
        return len(db.session.execute(select(User).where(User.email == email)).scalars().all())


# --- success ------------------------------------------------------------------------------

def test_new_person_with_verified_email_in_allowed_domain_becomes_member(app, client, tenant, provider):
    location = start(client)
    assert location.startswith(provider.issuer + "/")
    sent = query(location)
    assert sent["redirect_uri"] == callback_uri(SLUG)
    assert sent["code_challenge_method"] == "S256" and len(sent["code_challenge"]) >= 43
    assert sent["nonce"] and sent["state"] and "openid" in sent["scope"].split()

    callback = authorize_as(location, sub="kari-1", email="Kari@Kommune-A.no", name="Kari Nordmann")
    response = client.get(callback)
    assert response.status_code == 302, response.get_data(as_text=True)
    assert response.headers["Location"] == f"/t/{SLUG}/"
    assert client.get(f"/t/{SLUG}/").status_code == 200

    with app.app_context():
        user = db.session.execute(select(User).where(User.email == "kari@kommune-a.no")).scalar_one()
        assert user.name == "Kari Nordmann"
        assert user.email_verified_at is not None
        membership = db.session.execute(select(Membership).where(Membership.user_id == user.id)).scalar_one()
        assert membership.tenant_id == tenant.id and membership.role == TenantRole.member
        link = db.session.execute(select(OidcIdentity).where(OidcIdentity.user_id == user.id)).scalar_one()
        assert (link.issuer, link.subject) == (provider.issuer, "kari-1")
        assert link.last_login_at is not None


def test_existing_identity_is_matched_by_issuer_and_subject_not_email(app, client, make, tenant, provider):
    person = make.user("ola@kommune-a.no", tenant=tenant, role="officer")
    with app.app_context():
        db.session.add(OidcIdentity(user_id=person.id, issuer=provider.issuer, subject="ola-42"))
        db.session.commit()
    # The provider now reports an email outside the allowed domains: the link still decides.
    callback = authorize_as(start(client), sub="ola-42", email="ola@private.example", email_verified=False)
    response = client.get(callback)
    assert response.status_code == 302, response.get_data(as_text=True)
    with client.session_transaction() as session:
        assert session["uid"] == str(person.id)
    assert users_with_email(app, "ola@private.example") == 0
    with app.app_context():  # the role is untouched (officer, not demoted to member)
        role = db.session.execute(select(Membership.role).where(Membership.user_id == person.id)).scalar_one()
        assert role == TenantRole.officer


def test_second_sign_in_reuses_the_same_person(app, client, tenant, provider):
    client.get(authorize_as(start(client), sub="per-7", email="per@kommune-a.no"))
    client.post("/signout")
    response = client.get(authorize_as(start(client), sub="per-7", email="per@kommune-a.no"))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.execute(select(OidcIdentity).where(OidcIdentity.subject == "per-7")).scalars().all()
        assert users_with_email(app, "per@kommune-a.no") == 1


def test_admin_configures_sign_in_on_the_admin_page_and_it_works(app, client, make, provider):
    other = make.tenant(OTHER_SLUG, "Kommune B")
    admin = make.user("admin@kommune-b.no", tenant=other, role="admin")
    sign_in(client, admin)
    page = client.get(f"/t/{OTHER_SLUG}/admin/sign-in")
    assert page.status_code == 200
    assert callback_uri(OTHER_SLUG) in page.get_data(as_text=True)  # what the admin registers
    response = client.post(f"/t/{OTHER_SLUG}/admin/sign-in", data={
        "issuer": provider.issuer, "client_id": provider.client_id,
        "client_secret": provider.client_secret, "allowed_domains": "kommune-b.no, example.org",
    })
    assert response.status_code == 302, response.get_data(as_text=True)
    client.post("/signout")
    fresh = app.test_client()
    callback = authorize_as(start(fresh, OTHER_SLUG), sub="b-1", email="nina@kommune-b.no")
    assert fresh.get(callback).status_code == 302
    assert fresh.get(f"/t/{OTHER_SLUG}/").status_code == 200


# --- refusals -----------------------------------------------------------------------------

def test_email_outside_allowed_domains_is_refused(app, client, tenant):
    callback = authorize_as(start(client), sub="eve-1", email="eve@elsewhere.no")
    assert_refused(client.get(callback), 403, client)
    assert users_with_email(app, "eve@elsewhere.no") == 0


def test_unverified_email_is_refused(app, client, tenant):
    callback = authorize_as(start(client), sub="unv-1", email="mallory@kommune-a.no", email_verified=False)
    assert_refused(client.get(callback), 403, client)
    assert users_with_email(app, "mallory@kommune-a.no") == 0


def test_bad_state_is_refused(app, client, tenant):
    callback = authorize_as(start(client), sub="s-1", email="s1@kommune-a.no")
    body = assert_refused(client.get(with_query(callback, state="forged")), 400, client)
    assert "state" in body
    assert users_with_email(app, "s1@kommune-a.no") == 0


def test_callback_without_a_started_sign_in_is_refused(app, client, tenant):
    other_browser = app.test_client()
    callback = authorize_as(start(other_browser), sub="s-2", email="s2@kommune-a.no")
    assert_refused(client.get(callback), 400, client)  # this browser never started a sign-in


def test_tampered_nonce_is_refused(app, client, tenant):
    callback = authorize_as(start(client), sub="n-1", email="n1@kommune-a.no")
    with client.session_transaction() as session:
        pending = dict(session["oidc"])
        pending["nonce"] = "not-the-nonce-sent"
        session["oidc"] = pending
    assert_refused(client.get(callback), 400, client)
    assert users_with_email(app, "n1@kommune-a.no") == 0


def test_answer_from_a_different_issuer_is_refused(app, client, tenant):
    callback = authorize_as(start(client), sub="i-1", email="i1@kommune-a.no")
    assert_refused(client.get(with_query(callback, iss="http://127.0.0.1:1")), 400, client)
    assert users_with_email(app, "i1@kommune-a.no") == 0


def test_code_from_a_second_provider_is_refused(app, client, tenant):
    """Mix-up: the browser brings back a code issued by another provider for this client."""
    with start_provider([callback_uri(SLUG)]) as second:
        callback = authorize_as(at_provider(start(client), second), sub="x-1", email="x1@kommune-a.no")
        assert query(callback)["iss"] == second.issuer
        assert_refused(client.get(callback), 400, client)
        # Without `iss` (which the provider announces, RFC 9207) the answer is refused too.
        callback = authorize_as(at_provider(start(client), second), sub="x-2", email="x2@kommune-a.no")
        assert_refused(client.get(with_query(callback, iss=None)), 400, client)
    assert users_with_email(app, "x1@kommune-a.no") == users_with_email(app, "x2@kommune-a.no") == 0


def at_provider(location: str, other) -> str:
    """The same authorization request, sent to another provider."""
    return urlunsplit(urlsplit(location)._replace(netloc=urlsplit(other.issuer).netloc))


def test_issuer_whose_discovery_names_another_issuer_is_refused(app, client, make, provider):
    make.tenant(SLUG, "Kommune A")
    # Same provider reached by another name: its discovery document names 127.0.0.1.
    configure(app, SLUG, provider, issuer=provider.issuer.replace("127.0.0.1", "localhost"))
    response = client.get(f"/t/{SLUG}/auth/oidc/login")
    assert_refused(response, 400, client)


def test_expired_code_is_refused(app, client, make):
    make.tenant(SLUG, "Kommune A")
    with start_provider([callback_uri(SLUG)], code_ttl_seconds=1) as short:
        configure(app, SLUG, short)
        callback = authorize_as(start(client), sub="late-1", email="late@kommune-a.no")
        time.sleep(1.1)
        body = assert_refused(client.get(callback), 400, client)
        assert "utløpt" in body  # the page is in Bokmål: "… (den kan ha utløpt) …"
        assert "authorization code is expired" in short.log()
    assert users_with_email(app, "late@kommune-a.no") == 0


def test_user_cancelling_at_the_provider_is_refused(app, client, tenant):
    callback = deny_authorization(start(client))
    assert query(callback)["error"] == "access_denied"
    assert_refused(client.get(callback), 400, client)


def test_tenant_without_sign_in_settings_answers_404(client, make):
    make.tenant(SLUG, "Kommune A")
    assert client.get(f"/t/{SLUG}/auth/oidc/login").status_code == 404
    assert client.get(f"/t/{SLUG}/auth/oidc/callback?code=x&state=y").status_code == 404
    assert client.get("/t/no-such-tenant/auth/oidc/login").status_code == 404


def test_deactivated_person_is_refused(app, client, make, tenant, provider):
    person = make.user("gone@kommune-a.no", tenant=tenant)
    with app.app_context():
        db.session.add(OidcIdentity(user_id=person.id, issuer=provider.issuer, subject="gone-1"))
        db.session.get(User, person.id).is_active = False
        db.session.commit()
    callback = authorize_as(start(client), sub="gone-1", email="gone@kommune-a.no")
    assert_refused(client.get(callback), 403, client)


# --- settings: the secret is stored encrypted ---------------------------------------------

def test_cli_set_oidc_stores_the_secret_encrypted(app, runner, make, provider):
    make.tenant(SLUG, "Kommune A")
    secret = "s3cret-from-stdin-Ø"
    result = runner.invoke(args=[
        "tenants", "set-oidc", SLUG, "--issuer", provider.issuer, "--client-id", "cli-client",
        "--client-secret-stdin", "--allow-domain", DOMAIN, "--allow-domain", "@Example.ORG",
    ], input=secret + "\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        row = db.session.execute(select(TenantSignIn)).scalar_one()
        assert row.client_id == "cli-client"
        assert row.allowed_domains == ["example.org", DOMAIN]
        assert secret not in row.client_secret_encrypted
        raw = db.session.execute(text("select client_secret_encrypted from tenant_sign_in")).scalar_one()
        assert secret not in raw and secret.encode().hex() not in raw
        from tenants import secrets as tenant_secrets

        assert tenant_secrets.decrypt(raw) == secret


def test_admin_page_keeps_the_stored_secret_when_left_blank(app, client, make, provider):
    tenant_ref = make.tenant(SLUG, "Kommune A")
    admin = make.user("admin@kommune-a.no", tenant=tenant_ref, role="admin")
    configure(app, SLUG, provider)
    sign_in(client, admin)
    page = client.get(f"/t/{SLUG}/admin/sign-in").get_data(as_text=True)
    assert provider.client_secret not in page  # never shown back
    response = client.post(f"/t/{SLUG}/admin/sign-in", data={
        "issuer": provider.issuer, "client_id": provider.client_id, "client_secret": "",
        "allowed_domains": DOMAIN})
    assert response.status_code == 302
    fresh = app.test_client()
    callback = authorize_as(start(fresh), sub="k-1", email="k1@kommune-a.no")
    assert fresh.get(callback).status_code == 302  # the stored secret still works
