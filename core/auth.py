"""Who is asking: the request's principal, resolved once per request.

Web pages authenticate with the session cookie; the JSON API only with bearer tokens (so a
browser's cookies can never be used against the API). The principal's tenant memberships are
loaded once, and the request's tenant scope is set from them (see `core.isolation`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app, g, request, session
from sqlalchemy import select

from core import isolation
from core.db import db
from core.errors import Unauthorized
from core.identity import service as identity
from core.identity.models import ApiToken, User
from tenants.models import ROLE_RANK, Membership, Tenant, TenantRole


@dataclass(frozen=True)
class TenantMembership:
    tenant_id: uuid.UUID
    slug: str
    name: str
    role: TenantRole


@dataclass
class Principal:
    """The person (and token) behind a request, with their tenant memberships."""

    user: User | None
    token: ApiToken | None = None
    memberships: dict[uuid.UUID, TenantMembership] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    def role_in(self, tenant_id: uuid.UUID) -> TenantRole | None:
        membership = self.memberships.get(tenant_id)
        return membership.role if membership else None

    def has_role(self, tenant_id: uuid.UUID, minimum: TenantRole) -> bool:
        role = self.role_in(tenant_id)
        return role is not None and ROLE_RANK[role] >= ROLE_RANK[minimum]

    @property
    def tenant_ids(self) -> frozenset[uuid.UUID]:
        return frozenset(self.memberships)


ANONYMOUS = Principal(user=None)


def load_memberships(user: User) -> dict[uuid.UUID, TenantMembership]:
    """All of a person's memberships in active tenants, in one query."""
    with isolation.system_scope():
        rows = db.session.execute(
            select(Membership.tenant_id, Membership.role, Tenant)
            .join(Tenant, Tenant.id == Membership.tenant_id)
            .where(Membership.user_id == user.id, Tenant.is_active.is_(True))
            .order_by(Tenant.name)
            .execution_options(include_all_tenants=True)
        ).all()
    # Held for the request so the Tenant rows stay in the session's identity map (it keeps only
    # weak references): entering a tenant page (`tenants.resolution.enter_tenant`) needs no query.
    g.member_tenants = [r.Tenant for r in rows]
    return {r.tenant_id: TenantMembership(r.tenant_id, r.Tenant.slug, r.Tenant.name, r.role) for r in rows}


def principal_for(user: User | None, token: ApiToken | None = None) -> Principal:
    if user is None:
        return ANONYMOUS
    principal = Principal(user=user, token=token, memberships=load_memberships(user))
    for enrich in current_app.extensions.get("samspill.principal_enrichers", ()):
        enrich(principal)  # e.g. the supplier portal adds the person's supplier organisation
    return principal


def add_principal_enricher(app: Flask, enrich) -> None:
    """Let a domain package add facts to every principal (called once per request)."""
    app.extensions.setdefault("samspill.principal_enrichers", []).append(enrich)


def current_principal() -> Principal:
    return g.get("principal") or ANONYMOUS


def login_user(user: User) -> None:
    """Start a fresh session for `user` (a new session id against fixation)."""
    locale = session.get("lang")
    session.clear()
    session["uid"] = str(user.id)
    session["gen"] = user.session_generation
    if locale:
        session["lang"] = locale
    session.permanent = True


def logout_user() -> None:
    locale = session.get("lang")
    session.clear()
    if locale:
        session["lang"] = locale


def _user_from_session() -> User | None:
    uid = session.get("uid")
    if not uid:
        return None
    try:
        user = db.session.get(User, uuid.UUID(uid))
    except ValueError:
        return None
    if user is None or not user.is_active or session.get("gen") != user.session_generation:
        session.pop("uid", None)
        return None
    return user


def _bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


def resolve_principal() -> None:
    """before_request: resolve the principal and narrow the tenant scope to its tenants."""
    isolation.begin_request_scope()
    if request.endpoint in {"web.healthz", "web.readyz", "static"}:
        g.principal = ANONYMOUS
        return
    with isolation.system_scope():
        if request.path.startswith("/api/"):
            secret = _bearer_secret()
            if secret is None and request.headers.get("Authorization"):
                raise Unauthorized("Use 'Authorization: Bearer <token>'.")
            token = identity.resolve_token(secret) if secret is not None else None
            principal = principal_for(token.user if token else None, token)
        else:
            principal = principal_for(_user_from_session())
    g.principal = principal
    isolation.set_scope(principal.tenant_ids)


def init_app(app: Flask) -> None:
    app.before_request(resolve_principal)
    app.teardown_request(identity.flush_token_use)

    @app.context_processor
    def inject_principal():
        return {"principal": current_principal()}
