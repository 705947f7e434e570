"""Competition artefacts, each hanging on a procurement (`procurement_id`).

- `Competition`: the settings (deadlines, qualification questions), when it was announced and
  when the tenders were opened, with the opening protocol.
- `CompetitionKey`: the procurement's data key, wrapped by the instance's key-encryption key.
- `Tender` / `TenderFile`: a supplier's tender. Everything the supplier wrote (answers, prices,
  file names) is in `sealed` (AES-GCM under the procurement's data key), the file bytes are
  encrypted in the file store; in clear only what the receipt and the count need.
- `CompetitionQuestion` / `CompetitionAnswer`: anonymised Q&A, like the dialogue's.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import IdMixin, TimestampMixin, UTCDateTime, db
from core.suppliers.models import SupplierOrganisation


def _procurement_fk(unique: bool = False) -> Mapped[uuid.UUID]:
    return mapped_column(Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False, unique=unique)


def _supplier_fk() -> Mapped[uuid.UUID]:
    return mapped_column(Uuid, ForeignKey("supplier_organisations.id", ondelete="CASCADE"), nullable=False)


def _user_fk() -> Mapped[uuid.UUID | None]:
    return mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))


class Competition(IdMixin, TimestampMixin, db.Model):
    """A procurement's competition: deadlines, qualification, announcement and opening."""

    __tablename__ = "competitions"
    __table_args__ = (Index("ix_competitions_announced", "announced_at", "id"),)

    procurement_id: Mapped[uuid.UUID] = _procurement_fk(unique=True)
    tender_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    question_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opening_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # [{"key": str, "kind": "exclusion"|"qualification", "text": str}] (ESPD: the supplier declares)
    qualification: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, nullable=False)
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    announced_by_id: Mapped[uuid.UUID | None] = _user_fk()
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_by_id: Mapped[uuid.UUID | None] = _user_fk()
    opening_protocol: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    updated_by_id: Mapped[uuid.UUID | None] = _user_fk()


class CompetitionKey(IdMixin, TimestampMixin, db.Model):
    """The procurement's data key, wrapped (AES-GCM) by the instance key-encryption key."""

    __tablename__ = "competition_keys"

    procurement_id: Mapped[uuid.UUID] = _procurement_fk(unique=True)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    kek_fingerprint: Mapped[str] = mapped_column(String(16), nullable=False)


class TenderStatus(enum.StrEnum):
    draft = "draft"
    submitted = "submitted"
    withdrawn = "withdrawn"


class Tender(IdMixin, TimestampMixin, db.Model):
    """One supplier's tender in one competition (at most one per supplier)."""

    __tablename__ = "competition_tenders"
    __table_args__ = (
        UniqueConstraint("procurement_id", "supplier_id", name="uq_competition_tenders_supplier"),
        Index("ix_competition_tenders_procurement_status", "procurement_id", "status", "submitted_at", "id"),
        Index("ix_competition_tenders_supplier", "supplier_id", "created_at"),
    )

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    supplier_id: Mapped[uuid.UUID] = _supplier_fk()
    status: Mapped[TenderStatus] = mapped_column(
        Enum(TenderStatus, native_enum=False, length=32, validate_strings=True),
        default=TenderStatus.draft, nullable=False)
    sealed: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)  # nonce + AES-GCM(content JSON)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    receipt_sha256: Mapped[str | None] = mapped_column(String(64))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submissions: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    updated_by_id: Mapped[uuid.UUID | None] = _user_fk()

    supplier: Mapped[SupplierOrganisation] = relationship(lazy="joined", innerjoin=True)


class TenderFile(IdMixin, TimestampMixin, db.Model):
    """An attachment of a tender: encrypted bytes in the file store; its name is in the sealed content."""

    __tablename__ = "competition_tender_files"
    __table_args__ = (Index("ix_competition_tender_files_tender", "tender_id", "created_at"),)

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    supplier_id: Mapped[uuid.UUID] = _supplier_fk()
    tender_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("competition_tenders.id", ondelete="CASCADE"), nullable=False)
    storage_key: Mapped[str] = mapped_column(String(200), nullable=False)


class CompetitionQuestion(IdMixin, TimestampMixin, db.Model):
    """A supplier's question about the competition; seen by the group and the asker only."""

    __tablename__ = "competition_questions"
    __table_args__ = (
        Index("ix_competition_questions_procurement", "procurement_id", "answer_id", "created_at", "id"),
        Index("ix_competition_questions_supplier", "supplier_id", "created_at"),
    )

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    supplier_id: Mapped[uuid.UUID] = _supplier_fk()
    asked_by_id: Mapped[uuid.UUID | None] = _user_fk()
    text: Mapped[str] = mapped_column(Text, nullable=False)
    answer_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("competition_answers.id", ondelete="SET NULL"))


class CompetitionAnswer(IdMixin, TimestampMixin, db.Model):
    """A published answer: the same to every supplier, no trace of who asked."""

    __tablename__ = "competition_answers"
    __table_args__ = (Index("ix_competition_answers_procurement", "procurement_id", "published_at", "id"),)

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    text: Mapped[str] = mapped_column(Text, nullable=False)
    published_questions: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    answered_by_id: Mapped[uuid.UUID | None] = _user_fk()
