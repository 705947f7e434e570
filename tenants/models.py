"""Tenant, Membership, Invitation and the tenant's sign-in settings.

`Tenant`, `Membership`, `TenantRole` and `ROLE_RANK` are defined in `core.identity.memberships`
(the principal is resolved from them, and identity sits below tenants) and imported from here.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from core.db import IdMixin, TenantOwned, TimestampMixin, UTCDateTime, db
from core.identity.memberships import ROLE_RANK, Membership, Tenant, TenantRole

__all__ = ["ROLE_RANK", "Invitation", "Membership", "Tenant", "TenantRole", "TenantSignIn"]


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
