"""OpenID Connect sign-in per tenant (authorization code flow with state, nonce and PKCE).

The tenant admin registers issuer, client id and secret; discovery is fetched from the
issuer and must name the same issuer. A person is matched by issuer + subject; a new person
with a verified email in one of the tenant's allowed domains joins as `member`.

Authlib (its OAuth client and JOSE, about 17 MB resident with what they import) is imported by
the sign-in steps that use it (`start`, `finish`), not when a worker builds the app.
"""

from __future__ import annotations

import secrets
import time
import warnings
from dataclasses import dataclass
from typing import Any

import requests
from sqlalchemy import select

from core import audit, isolation
from core.db import db, utcnow
from core.errors import DomainError, NotFound
from core.i18n import _l
from core.identity import service as identity
from core.identity.models import OidcIdentity, User
from tenants import secrets as tenant_secrets
from tenants import service as tenants
from tenants.models import Membership, Tenant, TenantRole, TenantSignIn

DISCOVERY_TTL = 600
USERINFO_CLAIMS = ("email", "email_verified", "name")
_discovery_cache: dict[str, tuple[float, dict[str, Any]]] = {}


class SignInFailed(DomainError):
    status = 400
    slug = "sign-in-failed"
    title = _l("Sign-in failed")


class NotAllowed(DomainError):
    status = 403
    slug = "sign-in-not-allowed"
    title = _l("Not a member")


@dataclass
class Settings:
    tenant: Tenant
    issuer: str
    client_id: str
    client_secret: str
    allowed_domains: list[str]


def load_settings(slug: str) -> Settings:
    with isolation.system_scope():
        tenant = tenants.get_tenant(slug)
        row = db.session.execute(
            select(TenantSignIn).where(TenantSignIn.tenant_id == tenant.id, TenantSignIn.enabled.is_(True))
        ).scalar_one_or_none()
    if row is None:
        raise NotFound(_l("This municipality has no single sign-on."))
    secret = tenant_secrets.decrypt(row.client_secret_encrypted)
    if secret is None:
        raise SignInFailed(_l("The sign-in settings must be saved again by an administrator."))
    return Settings(tenant, row.issuer, row.client_id, secret, list(row.allowed_domains or []))


def discover(issuer: str) -> dict[str, Any]:
    cached = _discovery_cache.get(issuer)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    try:
        response = requests.get(issuer.rstrip("/") + "/.well-known/openid-configuration", timeout=10)
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SignInFailed(_l("The identity provider could not be reached.")) from exc
    if metadata.get("issuer") != issuer:
        raise SignInFailed(_l("The identity provider presented a different issuer."))
    _discovery_cache[issuer] = (time.monotonic() + DISCOVERY_TTL, metadata)
    return metadata


def start(settings: Settings, redirect_uri: str) -> tuple[str, dict[str, str]]:
    """The provider URL to send the browser to, and what to keep in the session."""
    from authlib.common.security import generate_token  # noqa: PLC0415 - Authlib on sign-in only
    from authlib.integrations.requests_client import OAuth2Session  # noqa: PLC0415 - as above

    metadata = discover(settings.issuer)
    client = OAuth2Session(settings.client_id, settings.client_secret, scope="openid email profile",
                           redirect_uri=redirect_uri, code_challenge_method="S256")
    state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
    url, _ = client.create_authorization_url(
        metadata["authorization_endpoint"], state=state, nonce=nonce, code_verifier=verifier)
    return url, {"state": state, "nonce": nonce, "verifier": verifier, "issuer": settings.issuer,
                 "slug": settings.tenant.slug, "started": str(int(time.time()))}


def finish(settings: Settings, pending: dict[str, str] | None, args: dict[str, str],
           redirect_uri: str) -> User:
    """Check the provider's answer and return the person to sign in."""
    from authlib.integrations.base_client import OAuthError  # noqa: PLC0415 - Authlib on sign-in only
    from authlib.integrations.requests_client import OAuth2Session  # noqa: PLC0415 - as above

    if not pending or pending.get("slug") != settings.tenant.slug or pending.get("issuer") != settings.issuer:
        raise SignInFailed(_l("The sign-in was not started here, or it expired. Please try again."))
    if not secrets.compare_digest(pending.get("state", ""), args.get("state", "")):
        raise SignInFailed(_l("The sign-in answer did not match the request (state). Please try again."))
    if args.get("error"):
        raise SignInFailed(_l("The identity provider did not sign you in."))
    metadata = discover(settings.issuer)
    # RFC 9207: a provider that announces the `iss` parameter must send it (mix-up defence).
    iss = args.get("iss")
    if (iss is not None and iss != settings.issuer) or (
            iss is None and metadata.get("authorization_response_iss_parameter_supported")):
        raise SignInFailed(_l("The answer came from a different identity provider."))
    client = OAuth2Session(settings.client_id, settings.client_secret, redirect_uri=redirect_uri,
                           code_challenge_method="S256")
    try:
        token = client.fetch_token(metadata["token_endpoint"], code=args.get("code", ""),
                                   state=pending["state"], code_verifier=pending["verifier"])
    except (OAuthError, requests.RequestException) as exc:
        raise SignInFailed(_l("The sign-in code was refused (it may have expired). Please try again.")) from exc
    claims = _verify_id_token(settings, metadata, token.get("id_token"), pending["nonce"])
    if not _has_email_claims(claims):
        claims = complete_from_userinfo(claims, _fetch_userinfo(metadata, token.get("access_token")))
    return _person_for(settings, claims, vouches_for_email=_never_asserts_verification(metadata))


def _has_email_claims(claims: dict) -> bool:
    return bool(claims.get("email")) and "email_verified" in claims


def _fetch_userinfo(metadata: dict, access_token: str | None) -> dict | None:
    """The provider's UserInfo answer (OpenID Connect Core 5.3), or None when it has none."""
    endpoint = metadata.get("userinfo_endpoint")
    if not endpoint or not access_token:
        return None
    try:
        response = requests.get(endpoint, headers={"Authorization": f"Bearer {access_token}",
                                                   "Accept": "application/json"}, timeout=10)
        response.raise_for_status()
        userinfo = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SignInFailed(_l("The identity provider did not tell who you are (userinfo).")) from exc
    if not isinstance(userinfo, dict):
        raise SignInFailed(_l("The identity provider did not tell who you are (userinfo)."))
    return userinfo


def complete_from_userinfo(claims: dict, userinfo: dict | None) -> dict:
    """The ID token's claims completed by UserInfo's; its `sub` must be the ID token's (Core 5.3.2),
    else another person's answer could be substituted. The ID token wins where both have a claim."""
    if userinfo is None:
        return claims
    if str(userinfo.get("sub", "")) != str(claims["sub"]):
        raise SignInFailed(_l("The identity provider's answers named different persons."))
    return {**{k: v for k, v in userinfo.items() if k in USERINFO_CLAIMS}, **claims}


def _never_asserts_verification(metadata: dict) -> bool:
    """A provider whose `claims_supported` lacks `email_verified` (Entra ID) only issues addresses
    its directory holds; the tenant's allowed domains then decide, as for a verified address."""
    supported = metadata.get("claims_supported")
    return isinstance(supported, list) and "email" in supported and "email_verified" not in supported


def email_is_verified(claims: dict) -> bool:
    """`email_verified` as providers send it: JSON true, or the string "true" some send."""
    value = claims.get("email_verified")
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _verify_id_token(settings: Settings, metadata: dict, id_token: str | None, nonce: str) -> dict:
    if not id_token:
        raise SignInFailed(_l("The identity provider sent no ID token."))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from authlib.jose import JsonWebKey, jwt  # noqa: PLC0415 - Authlib on sign-in only
        from authlib.jose.errors import JoseError  # noqa: PLC0415 - as above
    try:
        jwks = JsonWebKey.import_key_set(requests.get(metadata["jwks_uri"], timeout=10).json())
        claims = jwt.decode(id_token, jwks, claims_options={
            "iss": {"essential": True, "value": settings.issuer},
            "aud": {"essential": True, "value": settings.client_id},
            "sub": {"essential": True},
            "nonce": {"essential": True, "value": nonce},
        })
        claims.validate(leeway=60)
    except (JoseError, requests.RequestException, ValueError) as exc:
        raise SignInFailed(_l("The ID token could not be verified.")) from exc
    return dict(claims)


def _person_for(settings: Settings, claims: dict, *, vouches_for_email: bool = False) -> User:
    tenant, issuer, subject = settings.tenant, settings.issuer, str(claims["sub"])
    email = str(claims.get("email") or "").strip().lower()
    verified = email_is_verified(claims) or (vouches_for_email and "email_verified" not in claims)
    with isolation.system_scope(stamp_tenant_id=tenant.id):
        link = db.session.execute(
            select(OidcIdentity).where(OidcIdentity.issuer == issuer, OidcIdentity.subject == subject)
        ).scalar_one_or_none()
        domain_ok = verified and email and email.rsplit("@", 1)[-1] in settings.allowed_domains
        user = link.user if link else None
        if user is None and domain_ok:
            user = identity.find_user_by_email(email) or identity.create_user(email, name=claims.get("name", ""))
        if user is None:
            raise NotAllowed(_l("Your account is not a member of this municipality. Ask its administrator."))
        if not user.is_active:
            raise NotAllowed(_l("Your account is deactivated. Ask the municipality's administrator."))
        is_member = db.session.execute(
            select(Membership.id).where(Membership.tenant_id == tenant.id, Membership.user_id == user.id)
        ).first()
        if not is_member:
            if not domain_ok:
                raise NotAllowed(_l("Your account is not a member of this municipality. Ask its administrator."))
            tenants.add_member(tenant, user, TenantRole.member)
        if link is None:
            link = OidcIdentity(user_id=user.id, issuer=issuer, subject=subject, email=email or None)
            db.session.add(link)
        link.last_login_at = utcnow()
        if verified and user.email_verified_at is None and user.email == email:
            user.email_verified_at = utcnow()
        db.session.flush()
        audit.record("user.signed_in_oidc", "user", user.id, tenant_id=tenant.id,
                     changes={"after": {"issuer": issuer, "subject": subject}})
    return user
