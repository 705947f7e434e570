"""Supplier organisations (identified by Norwegian organisation number) and their people.

A supplier user is an ordinary `User` (one identity) with a membership in exactly one supplier
organisation. Suppliers are never tenant members: they work through the supplier portal.
"""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import Enum, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import IdMixin, TimestampMixin, db
from core.identity.models import User


class SupplierRole(enum.StrEnum):
    """A person's role in their supplier organisation."""

    supplier_admin = "supplier_admin"
    supplier_user = "supplier_user"


class SupplierOrganisation(IdMixin, TimestampMixin, db.Model):
    """A company taking part in market dialogues (public registry facts only)."""

    __tablename__ = "supplier_organisations"

    org_number: Mapped[str] = mapped_column(String(9), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    contact_email: Mapped[str] = mapped_column(String(254), default="", nullable=False)
    contact_phone: Mapped[str] = mapped_column(String(40), default="", nullable=False)
    is_active: Mapped[bool] = mapped_column(default=True, nullable=False)


class SupplierMember(IdMixin, TimestampMixin, db.Model):
    """A person's membership in a supplier organisation (one organisation per person)."""

    __tablename__ = "supplier_members"

    supplier_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("supplier_organisations.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, unique=True)
    role: Mapped[SupplierRole] = mapped_column(
        Enum(SupplierRole, native_enum=False, length=32, validate_strings=True), nullable=False)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    supplier: Mapped[SupplierOrganisation] = relationship(lazy="joined", innerjoin=True)
