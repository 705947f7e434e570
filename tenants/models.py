"""Tenant, Membership, Invitation and the tenant's sign-in settings."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import IdMixin, TenantOwned, TimestampMixin, UTCDateTime, db
from core.identity.models import User


class TenantRole(enum.StrEnum):
    """What a member may do in the tenant's space."""

    admin = "admin"
    officer = "officer"
    member = "member"
    viewer = "viewer"


ROLE_RANK = {TenantRole.viewer: 0, TenantRole.member: 1, TenantRole.officer: 2, TenantRole.admin: 3}


class Tenant(IdMixin, TimestampMixin, db.Model):
    """A municipality (or other public buyer) with its own space under /t/<slug>/."""

    __tablename__ = "tenants"

    slug: Mapped[str] = mapped_column(String(63), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    org_number: Mapped[str | None] = mapped_column(String(9), unique=True)
    municipality_number: Mapped[str | None] = mapped_column(String(4))
    is_active: Mapped[bool] = mapped_column(default=True, nullable=False)
    # Official language form (målform), "nb" or "nn": the default page language of its members.
    language_form: Mapped[str | None] = mapped_column(String(2))
    # Consent to show the tenant's benefit results (baseline, latest value) in the learning arena.
    share_benefit_results: Mapped[bool] = mapped_column(default=False, server_default="0", nullable=False)


class Membership(IdMixin, TenantOwned, TimestampMixin, db.Model):
    """A person's role in one tenant."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("tenant_id", "user_id", name="uq_memberships_tenant_user"),
        Index("ix_memberships_user", "user_id"),
    )

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    role: Mapped[TenantRole] = mapped_column(
        Enum(TenantRole, native_enum=False, length=16, validate_strings=True), nullable=False
    )

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    tenant: Mapped[Tenant] = relationship(lazy="joined", innerjoin=True)


class Invitation(IdMixin, TenantOwned, TimestampMixin, db.Model):
    """An invitation by email to join a tenant with a role; accepted at first sign-in."""

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("tenant_id", "email", name="uq_invitations_tenant_email"),
        Index("ix_invitations_email", "email"),
    )

    email: Mapped[str] = mapped_column(String(254), nullable=False)
    role: Mapped[TenantRole] = mapped_column(
        Enum(TenantRole, native_enum=False, length=16, validate_strings=True), nullable=False
    )
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="SET NULL")
    )
    token_digest: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)


class TenantSignIn(IdMixin, TenantOwned, TimestampMixin, db.Model):
    """The tenant's OpenID Connect settings. The client secret is encrypted at rest."""

    __tablename__ = "tenant_sign_in"
    __table_args__ = (UniqueConstraint("tenant_id", name="uq_tenant_sign_in_tenant"),)

    issuer: Mapped[str] = mapped_column(String(500), nullable=False)
    client_id: Mapped[str] = mapped_column(String(255), nullable=False)
    client_secret_encrypted: Mapped[str] = mapped_column(String(1000), nullable=False)
    allowed_domains: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    enabled: Mapped[bool] = mapped_column(default=True, nullable=False)
