"""Who belongs where: tenants, a person's membership of one and its role.

The models are the tenants package's (it administers them and `tenants.models` is where the
rest of the platform imports them from); they are defined here, in the identity package,
because the principal (`core.auth`) is resolved from them and identity sits below tenants:
the tenants package imports identity, auth and access, never the other way round.
"""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import Enum, ForeignKey, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import IdMixin, TenantOwned, TimestampMixin, db
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
