"""The export record: one row per export asked for, stored file once it is done.

Hangs on the procurement (`samspill_visible_procurement` on PostgreSQL, like the procurement's
other artefacts); access beyond that is the export kind's own rule (`core.exports.kinds`).
The file lives in the file store under `procurements/<procurement id>/exports/<export id>.<ext>`,
a key fixed by the export's id, so a retried job writes the same object again.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from core.db import IdMixin, TimestampMixin, UTCDateTime, db


class ExportStatus(enum.StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class Export(IdMixin, TimestampMixin, db.Model):
    """An export someone asked for and, once done, its stored file."""

    __tablename__ = "exports"
    __table_args__ = (Index("ix_exports_procurement_created", "procurement_id", "created_at"),)

    procurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False)
    requested_by_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    kind: Mapped[str] = mapped_column(String(60), nullable=False)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    locale: Mapped[str] = mapped_column(String(10), default="nb", nullable=False)
    status: Mapped[str] = mapped_column(String(20), default=ExportStatus.queued.value, nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    file_key: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    filename: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    content_type: Mapped[str] = mapped_column(String(120), default="", nullable=False)
    size: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str] = mapped_column(Text, default="", nullable=False)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
