"""Models for people and their credentials. A person is one identity across tenants.

`Person` and `TokenFacts` are the request's plain, read-only views of a `User` and an
`ApiToken` (the principal is read as plain rows, not ORM entities: see `core.auth`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import IdMixin, TimestampMixin, UTCDateTime, db


class User(IdMixin, TimestampMixin, db.Model):
    """A person: municipal staff, supplier staff, or the operator."""

    __tablename__ = "users"

    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_operator: Mapped[bool] = mapped_column(default=False, nullable=False)
    is_active: Mapped[bool] = mapped_column(default=True, nullable=False)
    locale: Mapped[str | None] = mapped_column(String(8))
    # Bumped on password change and "sign out everywhere"; old sessions stop working.
    session_generation: Mapped[int] = mapped_column(default=0, nullable=False)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def display_name(self) -> str:
        return self.name or self.email


class OidcIdentity(IdMixin, TimestampMixin, db.Model):
    """A person's account at an OpenID provider, matched by issuer and subject."""

    __tablename__ = "oidc_identities"
    __table_args__ = (UniqueConstraint("issuer", "subject", name="uq_oidc_identities_issuer_subject"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    issuer: Mapped[str] = mapped_column(String(500), nullable=False)
    subject: Mapped[str] = mapped_column(String(255), nullable=False)
    email: Mapped[str | None] = mapped_column(String(254))
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class ApiToken(IdMixin, TimestampMixin, db.Model):
    """A personal API token. Only a SHA-256 digest of the secret is stored."""

    __tablename__ = "api_tokens"
    __table_args__ = (Index("ix_api_tokens_user_created", "user_id", "created_at"),)

    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    prefix: Mapped[str] = mapped_column(String(16), nullable=False)
    digest: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


# The users columns a principal's person is read with, in this order (`Person`'s fields).
PERSON_FIELDS = ("id", "email", "name", "is_operator", "is_active", "locale", "session_generation",
                 "email_verified_at")


@dataclass(frozen=True, slots=True)
class Person:
    """The person behind a request as read with the principal: a snapshot of the `User` row's
    fields (no ORM entity, nothing to flush). To change the person, load the `User`
    (`core.auth.user_entity`)."""

    id: uuid.UUID
    email: str
    name: str
    is_operator: bool
    is_active: bool
    locale: str | None
    session_generation: int
    email_verified_at: datetime | None

    @property
    def display_name(self) -> str:
        return self.name or self.email

    @classmethod
    def of(cls, user: User) -> Person:
        """The snapshot of a loaded `User`."""
        return cls(*(getattr(user, name) for name in PERSON_FIELDS))


# The api_tokens columns a bearer principal's token is read with, in this order.
TOKEN_FIELDS = ("id", "user_id", "name", "prefix", "expires_at", "revoked_at", "last_used_at")


@dataclass(frozen=True, slots=True)
class TokenFacts:
    """A bearer token as read with the principal (its row's fields and its person)."""

    id: uuid.UUID
    user_id: uuid.UUID
    name: str
    prefix: str
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    user: Person
