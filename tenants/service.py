"""Rules for tenants: creation, members and roles, invitations and sign-in settings."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from datetime import timedelta
from urllib.parse import urlparse

from flask import has_request_context
from sqlalchemy import func, select

from core import audit, isolation
from core.access import require_tenant_role
from core.auth import current_principal, tenant_entity
from core.db import db, utcnow
from core.errors import Conflict, NotFound, ValidationError
from core.i18n import _l
from core.identity import service as identity
from core.identity.models import User
from core.orgnumber import is_valid as org_number_is_valid
from core.orgnumber import normalise as normalise_org_number
from tenants import secrets as tenant_secrets
from tenants.models import Invitation, Membership, Tenant, TenantRole, TenantSignIn

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
RESERVED_SLUGS = {"api", "admin", "static", "supplier", "arena", "auth", "new"}
INVITATION_DAYS = 14


# --- tenants -----------------------------------------------------------------------------

def validate_tenant_fields(slug: str, name: str, org_number: str | None, municipality_number: str | None) -> dict:
    errors: dict[str, list[str]] = {}
    slug = (slug or "").strip().lower()
    if not SLUG_RE.match(slug) or slug in RESERVED_SLUGS:
        errors["slug"] = [_l("Use 1-63 lower-case letters, digits and hyphens (not a reserved word).")]
    name = (name or "").strip()
    if not name or len(name) > 200:
        errors["name"] = [_l("A name of 1-200 characters is required.")]
    org = normalise_org_number(org_number) if org_number else None
    if org and not org_number_is_valid(org):
        errors["org_number"] = [_l("Not a valid Norwegian organisation number (9 digits, mod-11 check digit).")]
    muni = (municipality_number or "").strip() or None
    if muni and not (len(muni) == 4 and muni.isdigit()):
        errors["municipality_number"] = [_l("A municipality number has four digits.")]
    if errors:
        raise ValidationError(_l("The tenant details are invalid."), errors=errors)
    return {"slug": slug, "name": name, "org_number": org, "municipality_number": muni}


def create_tenant(slug: str, name: str, org_number: str | None = None,
                  municipality_number: str | None = None) -> Tenant:
    """A new tenant space (operator action)."""
    fields = validate_tenant_fields(slug, name, org_number, municipality_number)
    if find_tenant(fields["slug"]):
        raise Conflict(_l("The slug %(slug)s is taken.", slug=fields["slug"]), errors={"slug": [_l("Already taken.")]})
    if fields["org_number"] and db.session.execute(
        select(Tenant.id).where(Tenant.org_number == fields["org_number"])
    ).first():
        raise Conflict(_l("That organisation number already has a tenant."),
                       errors={"org_number": [_l("Already registered.")]})
    tenant = Tenant(**fields)
    db.session.add(tenant)
    db.session.flush()
    audit.record("tenant.created", "tenant", tenant.id, tenant_id=tenant.id, changes={"after": fields})
    return tenant


def member_tenant(slug: str) -> Tenant | None:
    if not has_request_context():
        return None
    membership = next((m for m in current_principal().memberships.values() if m.slug == slug), None)
    # The tenant's row came with the memberships (see `core.auth.memberships_from`): no query.
    return tenant_entity(membership) if membership else None


def find_tenant(slug: str) -> Tenant | None:
    return db.session.execute(select(Tenant).where(Tenant.slug == slug)).scalar_one_or_none()


def get_tenant(slug: str) -> Tenant:
    """The active tenant named `slug` (404 otherwise); a tenant the caller belongs to comes from
    the memberships loaded with the request's principal, without a query."""
    tenant = member_tenant(slug) or find_tenant(slug)
    if tenant is None or not tenant.is_active:
        raise NotFound(_l("No such tenant."))
    return tenant


def tenant_name(tenant_id: uuid.UUID) -> str:
    tenant = db.session.get(Tenant, tenant_id)
    return tenant.name if tenant else ""


def list_tenants(limit: int = 1000) -> list[Tenant]:
    return list(db.session.execute(
        select(Tenant).where(Tenant.is_active.is_(True)).order_by(Tenant.name).limit(limit)
    ).scalars())


# --- members -----------------------------------------------------------------------------

def list_members(tenant: Tenant) -> list[Membership]:
    require_tenant_role(tenant.id, TenantRole.viewer)
    return list(db.session.execute(
        select(Membership).where(Membership.tenant_id == tenant.id)
        .join(Membership.user).order_by(User.email)
    ).scalars())


def add_member(tenant: Tenant, user: User, role: TenantRole | str) -> Membership:
    """Give a person a role in the tenant (no permission check: used by CLI and services)."""
    role = parse_role(role)
    with isolation.system_scope(stamp_tenant_id=tenant.id):
        existing = db.session.execute(
            select(Membership).where(Membership.tenant_id == tenant.id, Membership.user_id == user.id)
        ).scalar_one_or_none()
        if existing:
            if existing.role != role:
                before = existing.role.value
                existing.role = role
                audit.record("membership.role_changed", "membership", existing.id, tenant_id=tenant.id,
                             changes={"before": {"role": before}, "after": {"role": role.value}})
            return existing
        membership = Membership(tenant_id=tenant.id, user_id=user.id, role=role)
        db.session.add(membership)
        db.session.flush()
        audit.record("membership.created", "membership", membership.id, tenant_id=tenant.id,
                     changes={"after": {"email": user.email, "role": role.value}})
        return membership


def parse_role(role: TenantRole | str) -> TenantRole:
    try:
        return TenantRole(role)
    except ValueError:
        choices = ", ".join(r.value for r in TenantRole)
        raise ValidationError(_l("Unknown role."),
                              errors={"role": [_l("One of %(choices)s.", choices=choices)]}) from None


def get_membership(tenant: Tenant, membership_id: uuid.UUID) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.tenant_id != tenant.id:
        raise NotFound(_l("No such member."))
    return membership


def _admin_count(tenant: Tenant) -> int:
    return db.session.execute(
        select(func.count(Membership.id)).where(
            Membership.tenant_id == tenant.id, Membership.role == TenantRole.admin)
    ).scalar_one()


def change_role(tenant: Tenant, membership_id: uuid.UUID, role: str) -> Membership:
    require_tenant_role(tenant.id, TenantRole.admin)
    membership = get_membership(tenant, membership_id)
    new_role = parse_role(role)
    if membership.role == TenantRole.admin and new_role != TenantRole.admin and _admin_count(tenant) <= 1:
        raise Conflict(_l("A municipality needs at least one admin."),
                       errors={"role": [_l("The last admin must stay admin.")]})
    return add_member(tenant, membership.user, new_role)


def remove_member(tenant: Tenant, membership_id: uuid.UUID) -> None:
    require_tenant_role(tenant.id, TenantRole.admin)
    membership = get_membership(tenant, membership_id)
    if membership.role == TenantRole.admin and _admin_count(tenant) <= 1:
        raise Conflict(_l("A municipality needs at least one admin."))
    audit.record("membership.removed", "membership", membership.id, tenant_id=tenant.id,
                 changes={"before": {"email": membership.user.email, "role": membership.role.value}})
    db.session.delete(membership)


# --- invitations -------------------------------------------------------------------------

def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def invite(tenant: Tenant, email: str, role: str) -> tuple[Invitation, str]:
    """Invite a person by email; returns the invitation and its one-time link token."""
    principal = require_tenant_role(tenant.id, TenantRole.admin)
    email = identity.normalise_email(email)
    role_value = parse_role(role)
    user = identity.find_user_by_email(email)
    if user and principal.user and db.session.execute(
        select(Membership.id).where(Membership.tenant_id == tenant.id, Membership.user_id == user.id)
    ).first():
        raise Conflict(_l("%(email)s is already a member.", email=email), errors={"email": [_l("Already a member.")]})
    token = secrets.token_urlsafe(32)
    invitation = db.session.execute(
        select(Invitation).where(Invitation.tenant_id == tenant.id, Invitation.email == email)
    ).scalar_one_or_none()
    if invitation is None:
        invitation = Invitation(tenant_id=tenant.id, email=email)
        db.session.add(invitation)
    invitation.role = role_value
    invitation.invited_by_id = principal.user.id if principal.user else None
    invitation.token_digest = _digest(token)
    invitation.accepted_at = None
    invitation.expires_at = utcnow() + timedelta(days=INVITATION_DAYS)
    db.session.flush()
    audit.record("invitation.created", "invitation", invitation.id, tenant_id=tenant.id,
                 changes={"after": {"email": email, "role": role_value.value}})
    return invitation, token


def list_invitations(tenant: Tenant) -> list[Invitation]:
    require_tenant_role(tenant.id, TenantRole.admin)
    return list(db.session.execute(
        select(Invitation).where(Invitation.tenant_id == tenant.id, Invitation.accepted_at.is_(None))
        .order_by(Invitation.created_at.desc()).limit(200)
    ).scalars())


def find_invitation(token: str) -> Invitation:
    """The open invitation behind a link token (any tenant: the token is the proof)."""
    with isolation.system_scope():
        invitation = db.session.execute(
            select(Invitation).where(Invitation.token_digest == _digest(token or ""))
        ).scalar_one_or_none()
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at <= utcnow():
        raise NotFound(_l("This invitation is not valid any more."))
    return invitation


def accept_invitation(token: str, user: User) -> Membership:
    invitation = find_invitation(token)
    if invitation.email != user.email:
        raise NotFound(_l("This invitation is not valid any more."))
    with isolation.system_scope(stamp_tenant_id=invitation.tenant_id):
        tenant = db.session.get(Tenant, invitation.tenant_id)
        membership = add_member(tenant, user, invitation.role)
        invitation.accepted_at = utcnow()
        audit.record("invitation.accepted", "invitation", invitation.id, tenant_id=tenant.id)
    return membership


# --- sign-in settings --------------------------------------------------------------------

def get_sign_in(tenant: Tenant) -> TenantSignIn | None:
    return db.session.execute(
        select(TenantSignIn).where(TenantSignIn.tenant_id == tenant.id)
    ).scalar_one_or_none()


def validate_issuer(issuer: str) -> str:
    issuer = (issuer or "").strip()
    parsed = urlparse(issuer)
    local = parsed.hostname in {"127.0.0.1", "localhost", "::1"}
    if parsed.scheme not in ("https", "http") or not parsed.netloc or (parsed.scheme == "http" and not local):
        raise ValidationError(_l("The issuer must be an https URL."),
                              errors={"issuer": [_l("An https URL (http only on loopback).")]})
    return issuer.rstrip("/") if issuer.endswith("/") and parsed.path == "/" else issuer


def set_sign_in(tenant: Tenant, *, issuer: str, client_id: str, client_secret: str | None,
                allowed_domains: list[str], check_access: bool = True) -> TenantSignIn:
    """Store the tenant's OpenID Connect settings; a blank secret keeps the stored one."""
    if check_access:
        require_tenant_role(tenant.id, TenantRole.admin)
    errors: dict[str, list[str]] = {}
    try:
        issuer = validate_issuer(issuer)
    except ValidationError as exc:
        errors.update(exc.errors)
    client_id = (client_id or "").strip()
    if not client_id or len(client_id) > 255:
        errors["client_id"] = [_l("Required, at most 255 characters.")]
    domains = sorted({d.strip().lower().lstrip("@") for d in allowed_domains if d and d.strip()})
    bad = [d for d in domains if not re.match(r"^[a-z0-9.-]+\.[a-z]{2,}$", d)]
    if bad:
        errors["allowed_domains"] = [_l("Not a domain: %(domains)s", domains=", ".join(bad))]
    settings = get_sign_in(tenant)
    if not client_secret and settings is None:
        errors["client_secret"] = [_l("Required.")]
    if errors:
        raise ValidationError(_l("The sign-in settings are invalid."), errors=errors)
    with isolation.system_scope(stamp_tenant_id=tenant.id):
        if settings is None:
            settings = TenantSignIn(tenant_id=tenant.id)
            db.session.add(settings)
        before = {"issuer": settings.issuer, "client_id": settings.client_id,
                  "allowed_domains": settings.allowed_domains}
        settings.issuer, settings.client_id, settings.allowed_domains = issuer, client_id, domains
        if client_secret:
            settings.client_secret_encrypted = tenant_secrets.encrypt(client_secret)
        db.session.flush()
        after = {"issuer": issuer, "client_id": client_id, "allowed_domains": domains}
        audit.record("tenant.sign_in_set", "tenant_sign_in", settings.id, tenant_id=tenant.id,
                     changes=audit.diff(before, after) | ({"secret": "changed"} if client_secret else {}))
    return settings


# --- official language form (målform) --------------------------------------------------------
LANGUAGE_FORMS = ("nb", "nn")


def set_language_form(tenant: Tenant, language_form: str) -> Tenant:
    """Set the municipality's målform (Bokmål or Nynorsk), the page language of its members
    who have not chosen one themselves. Admins only."""
    require_tenant_role(tenant.id, TenantRole.admin)
    if language_form not in LANGUAGE_FORMS:
        raise ValidationError(_l("Choose Bokmål or Nynorsk."),
                              errors={"language_form": [_l("Choose Bokmål or Nynorsk.")]})
    before = tenant.language_form
    if before != language_form:
        tenant.language_form = language_form
        audit.record("tenant.language_form_set", "tenant", tenant.id, tenant_id=tenant.id,
                     changes=audit.diff({"language_form": before}, {"language_form": language_form}))
    return tenant
