"""The email outbox: every message is a row first, sent later, so none is lost.

Services add rows in the same transaction as the change they tell about; the sender
(`samspill notifications send`, or right after the request in development) delivers them,
retrying with backoff while the mail server is down.

`DeadlineAnnouncement` marks a passed deadline the reminder job announced to the plugins
(`deadline_passed`); its unique key makes the announcement happen once, however often and
however concurrently the job runs.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from core.db import IdMixin, UTCDateTime, db, utcnow


class OutboxStatus(enum.StrEnum):
    pending = "pending"
    sent = "sent"
    failed = "failed"  # gave up after the last retry; kept for the operator, never deleted


class OutboxMessage(IdMixin, db.Model):
    """One email to one address."""

    __tablename__ = "notification_outbox"
    __table_args__ = (Index("ix_notification_outbox_due", "status", "next_attempt_at"),)

    to_address: Mapped[str] = mapped_column(String(254), nullable=False)
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    status: Mapped[OutboxStatus] = mapped_column(
        Enum(OutboxStatus, native_enum=False, length=16, validate_strings=True),
        default=OutboxStatus.pending, nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_error: Mapped[str] = mapped_column(Text, default="", nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Reminders carry a key so running the reminder job twice never sends twice.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)


class DeadlineAnnouncement(IdMixin, db.Model):
    """A deadline whose passing was announced (`deadline_passed`): one row per deadline.

    A moved deadline is a new deadline (the key includes it) and is announced when it passes.
    """

    __tablename__ = "deadline_announcements"
    __table_args__ = (
        UniqueConstraint("artefact_type", "artefact_id", "deadline", name="uq_deadline_announcements_deadline"),
        Index("ix_deadline_announcements_procurement", "procurement_id"),
    )

    procurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False)
    artefact_type: Mapped[str] = mapped_column(String(64), nullable=False)
    artefact_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    announced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, nullable=False)
