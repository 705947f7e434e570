"""Stored notices (with their Doffin submission), published OCDS releases and register checks.

A notice is stored only once it has passed the SDK's XSD and schematron; its Doffin
submission lives on the same row, outbox style (`doffin_status` pending → sent / failed, with
attempts and backoff), so it is sent at most once: the sender claims the row with a lock and the
notice id is the idempotency key Doffin sees.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from core.db import IdMixin, UTCDateTime, db, utcnow


def _enum(cls):
    return Enum(cls, native_enum=False, length=24, validate_strings=True)


class NoticeKind(enum.StrEnum):
    prior_information = "prior-information"
    contract = "contract"
    award = "award"


class DoffinStatus(enum.StrEnum):
    manual = "manual"      # no Doffin settings: downloaded and uploaded by hand
    pending = "pending"    # queued for the sender
    sent = "sent"          # Doffin accepted it (`doffin_id`)
    failed = "failed"      # gave up after the last retry; kept for the operator


class Notice(IdMixin, db.Model):
    """One validated eForms notice of a procurement."""

    __tablename__ = "publication_notices"
    __table_args__ = (
        Index("ix_publication_notices_procurement", "procurement_id", "created_at", "id"),
        Index("ix_publication_notices_due", "doffin_status", "doffin_next_attempt_at"),
    )

    procurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[NoticeKind] = mapped_column(_enum(NoticeKind), nullable=False)
    subtype: Mapped[str] = mapped_column(String(8), nullable=False)
    xml: Mapped[str] = mapped_column(Text, nullable=False)
    validation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    doffin_status: Mapped[DoffinStatus] = mapped_column(_enum(DoffinStatus), nullable=False)
    doffin_id: Mapped[str | None] = mapped_column(String(120))
    doffin_reply_status: Mapped[str] = mapped_column(String(60), default="", nullable=False)
    doffin_attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    doffin_next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    doffin_last_error: Mapped[str] = mapped_column(Text, default="", nullable=False)
    doffin_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PublishedRelease(IdMixin, db.Model):
    """An OCDS release made public (the open-data feed reads these, oldest first)."""

    __tablename__ = "publication_ocds_releases"
    __table_args__ = (
        UniqueConstraint("release_id", name="uq_publication_ocds_releases_release"),
        Index("ix_publication_ocds_releases_feed", "published_at", "id"),
        Index("ix_publication_ocds_releases_procurement", "procurement_id", "published_at"),
    )

    procurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False)
    release_id: Mapped[str] = mapped_column(String(200), nullable=False)
    ocid: Mapped[str] = mapped_column(String(200), nullable=False)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)


class RegisterStatus(enum.StrEnum):
    active = "active"
    bankrupt = "bankrupt"
    winding_up = "winding_up"
    forced_dissolution = "forced_dissolution"
    deleted = "deleted"
    unknown = "unknown"          # the register does not know the number
    not_verified = "not_verified"  # the register could not be reached; checked again later


class RegisterCheck(IdMixin, db.Model):
    """The latest answer of Enhetsregisteret about one organisation number (public data)."""

    __tablename__ = "publication_register_checks"
    __table_args__ = (
        UniqueConstraint("org_number", name="uq_publication_register_checks_org"),
        Index("ix_publication_register_checks_status", "status", "checked_at"),
    )

    org_number: Mapped[str] = mapped_column(String(9), nullable=False)
    name: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    status: Mapped[RegisterStatus] = mapped_column(_enum(RegisterStatus), nullable=False)
    deleted_on: Mapped[str] = mapped_column(String(10), default="", nullable=False)
    city: Mapped[str] = mapped_column(String(120), default="", nullable=False)
    postal_zone: Mapped[str] = mapped_column(String(10), default="", nullable=False)
    municipality_number: Mapped[str] = mapped_column(String(4), default="", nullable=False)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
