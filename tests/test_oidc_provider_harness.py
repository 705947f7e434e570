"""Proves the loopback OpenID provider harness in tests/oidc_provider.py.

A full authorization code flow (state, nonce, PKCE S256) is driven with
Authlib's requests client against the real provider process, the ID token is
validated against the provider's JWKS, and the failure paths the app's tests
rely on are shown to be real: expired code, reused code, wrong client secret,
mismatching state, wrong issuer, user cancelling.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from authlib.oauth2.rfc6749.errors import MismatchingStateException
from authlib.oidc.core import CodeIDToken

with warnings.catch_warnings():
    # Authlib >= 1.7 marks authlib.jose as deprecated in favour of joserfc.
    warnings.simplefilter("ignore")
    from authlib.jose import JsonWebKey, jwt

try:  # tests/ as a package (tests/__init__.py) or as a plain rootdir-relative directory
    from .oidc_provider import (
        RunningProvider,
        authorize_as,
        deny_authorization,
        start_provider,
    )
except ImportError:
    from oidc_provider import (  # type: ignore[no-redef]
        RunningProvider,
        authorize_as,
        deny_authorization,
        start_provider,
    )

REDIRECT_URI = "http://127.0.0.1:59999/auth/callback"
SCOPE = "openid email profile"


@pytest.fixture(scope="module")
def provider() -> Iterator[RunningProvider]:
    with start_provider([REDIRECT_URI]) as running:
        yield running


@pytest.fixture(scope="module")
def metadata(provider: RunningProvider) -> dict[str, object]:
    return provider.metadata()


def _client(provider: RunningProvider, **kwargs: object) -> OAuth2Session:
    return OAuth2Session(
        client_id=provider.client_id,
        client_secret=kwargs.pop("client_secret", provider.client_secret),
        scope=SCOPE,
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
        token_endpoint_auth_method=provider.token_endpoint_auth_method,
        **kwargs,
    )


def _sign_in(
    provider: RunningProvider, metadata: dict[str, object], **identity: object
) -> tuple[OAuth2Session, str, str, str, str]:
    """Start a flow and sign in at the provider.

    Returns the client, the callback URL, and the state, nonce and PKCE verifier used.
    """
    client = _client(provider)
    nonce = generate_token(20)
    verifier = generate_token(48)
    url, state = client.create_authorization_url(
        metadata["authorization_endpoint"], nonce=nonce, code_verifier=verifier
    )
    identity.setdefault("sub", "user-1")
    identity.setdefault("email", "user-1@example.org")
    callback = authorize_as(url, **identity)
    return client, callback, state, nonce, verifier


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _decode_id_token(
    id_token: str, metadata: dict[str, object], *, issuer: str, client_id: str, nonce: str
):
    jwks = requests.get(metadata["jwks_uri"], timeout=5).json()
    claims = jwt.decode(
        id_token,
        JsonWebKey.import_key_set(jwks),
        claims_cls=CodeIDToken,
        claims_options={"iss": {"essential": True, "value": issuer}},
        claims_params={"nonce": nonce, "client_id": client_id},
    )
    claims.validate(leeway=5)
    return claims


def test_discovery(provider: RunningProvider, metadata: dict[str, object]) -> None:
    assert provider.issuer.startswith("http://127.0.0.1:")
    assert not provider.issuer.endswith("/")
    assert metadata["issuer"] == provider.issuer
    assert "S256" in metadata["code_challenge_methods_supported"]
    assert {"openid", "email", "profile"} <= set(metadata["scopes_supported"])
    assert "client_secret_basic" in metadata["token_endpoint_auth_methods_supported"]
    assert metadata["authorization_response_iss_parameter_supported"] is True


def test_code_flow_with_pkce_and_id_token_validation(
    provider: RunningProvider, metadata: dict[str, object]
) -> None:
    client, callback, state, nonce, verifier = _sign_in(
        provider, metadata, sub="alice-1", email="alice@example.org", name="Alice Liddell"
    )
    assert callback.startswith(REDIRECT_URI + "?")
    params = _query(callback)
    assert params["state"] == state
    assert params["iss"] == provider.issuer
    assert params["code"]

    token = client.fetch_token(
        metadata["token_endpoint"],
        authorization_response=callback,
        state=state,
        code_verifier=verifier,
    )
    claims = _decode_id_token(
        token["id_token"],
        metadata,
        issuer=provider.issuer,
        client_id=provider.client_id,
        nonce=nonce,
    )
    assert claims["iss"] == provider.issuer
    assert claims["aud"] == provider.client_id
    assert claims["sub"] == "alice-1"
    assert claims["nonce"] == nonce
    assert claims["email"] == "alice@example.org"
    assert claims["email_verified"] is True
    assert claims["name"] == "Alice Liddell"

    userinfo = client.get(metadata["userinfo_endpoint"], timeout=5).json()
    assert userinfo == {
        "sub": "alice-1",
        "email": "alice@example.org",
        "email_verified": True,
        "name": "Alice Liddell",
    }


def test_unverified_email_and_no_name(
    provider: RunningProvider, metadata: dict[str, object]
) -> None:
    client, callback, state, nonce, verifier = _sign_in(
        provider, metadata, sub="bob", email="bob@example.org", email_verified=False
    )
    token = client.fetch_token(
        metadata["token_endpoint"],
        authorization_response=callback,
        state=state,
        code_verifier=verifier,
    )
    claims = _decode_id_token(
        token["id_token"],
        metadata,
        issuer=provider.issuer,
        client_id=provider.client_id,
        nonce=nonce,
    )
    assert claims["email_verified"] is False
    assert "name" not in claims


def test_reused_code_is_rejected(provider: RunningProvider, metadata: dict[str, object]) -> None:
    client, callback, state, _nonce, verifier = _sign_in(provider, metadata)
    client.fetch_token(
        metadata["token_endpoint"],
        authorization_response=callback,
        state=state,
        code_verifier=verifier,
    )
    with pytest.raises(OAuthError) as excinfo:
        _client(provider).fetch_token(
            metadata["token_endpoint"],
            authorization_response=callback,
            state=state,
            code_verifier=verifier,
        )
    assert excinfo.value.error == "invalid_grant"
    assert "authorization code already consumed" in provider.log()


def test_expired_code_is_rejected() -> None:
    with start_provider([REDIRECT_URI], code_ttl_seconds=1) as short_lived:
        metadata = short_lived.metadata()
        _, callback, _, _, verifier = _sign_in(short_lived, metadata)
        time.sleep(1.1)  # expiry is checked in whole seconds: exp <= now
        response = requests.post(
            metadata["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": _query(callback)["code"],
                "redirect_uri": REDIRECT_URI,
                "code_verifier": verifier,
            },
            auth=(short_lived.client_id, short_lived.client_secret),
            timeout=5,
        )
        assert response.status_code == 400
        assert response.json()["error"] == "invalid_grant"
        assert "authorization code is expired" in short_lived.log()


def test_wrong_pkce_verifier_and_wrong_secret_are_rejected(
    provider: RunningProvider, metadata: dict[str, object]
) -> None:
    client, callback, state, _nonce, verifier = _sign_in(provider, metadata)
    with pytest.raises(OAuthError) as excinfo:
        _client(provider, client_secret="not-the-secret").fetch_token(
            metadata["token_endpoint"],
            authorization_response=callback,
            state=state,
            code_verifier=verifier,
        )
    assert excinfo.value.error == "invalid_client"
    with pytest.raises(OAuthError) as excinfo:
        client.fetch_token(
            metadata["token_endpoint"],
            authorization_response=callback,
            state=state,
            code_verifier=generate_token(48),
        )
    assert excinfo.value.error == "invalid_grant"


def test_bad_state_and_wrong_issuer_are_detected_by_the_client(
    provider: RunningProvider, metadata: dict[str, object]
) -> None:
    client, callback, state, nonce, verifier = _sign_in(provider, metadata)
    with pytest.raises(MismatchingStateException):
        client.fetch_token(
            metadata["token_endpoint"],
            authorization_response=callback,
            state=state + "-tampered",
            code_verifier=verifier,
        )
    token = client.fetch_token(
        metadata["token_endpoint"],
        authorization_response=callback,
        state=state,
        code_verifier=verifier,
    )
    # authlib.jose raises its own or joserfc's InvalidClaimError, depending on the version.
    with pytest.raises(Exception, match="iss") as excinfo:
        _decode_id_token(
            token["id_token"],
            metadata,
            issuer="http://127.0.0.1:1",
            client_id=provider.client_id,
            nonce=nonce,
        )
    assert type(excinfo.value).__name__ == "InvalidClaimError"


def test_user_cancels(provider: RunningProvider, metadata: dict[str, object]) -> None:
    client = _client(provider)
    url, state = client.create_authorization_url(
        metadata["authorization_endpoint"], nonce="n", code_verifier=generate_token(48)
    )
    params = _query(deny_authorization(url))
    assert params["error"] == "access_denied"
    assert params["state"] == state
