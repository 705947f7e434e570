"""The evaluation and award of a procurement, each row hanging on it (`procurement_id`).

- `Declaration`: a committee member's impartiality declaration naming the tenderers.
- `Assessment`: per tender, the qualification (with reason), a rejection (legal ground and
  reason) and the lead's consensus scores with motivation.
- `EvaluatorScores`: one evaluator's scores of one tender, blind to the others until submitted.
- `AwardDecision`: the chosen tender per lot with reasons, when the letters were sent, the
  standstill end, and whether the standstill is suspended by a complaint.
- `AwardLetter`: what one tenderer was told (its own scores and the winner's).
- `Complaint`: a tenderer's complaint during the standstill and the group's answer.
- `Contract`: one per buyer tenant, signed by that buyer.

Visibility (forced RLS, migration `0021_award`): the procurement's participants; letters and
complaints also to their own supplier.
"""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import IdMixin, TimestampMixin, UTCDateTime, db
from core.suppliers.models import SupplierOrganisation
from tenants.models import Tenant


def _procurement_fk(unique: bool = False) -> Mapped[uuid.UUID]:
    return mapped_column(Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False, unique=unique)


def _tender_fk(unique: bool = False) -> Mapped[uuid.UUID]:
    return mapped_column(Uuid, ForeignKey("competition_tenders.id", ondelete="CASCADE"), nullable=False,
                         unique=unique)


def _user_fk(nullable: bool = True) -> Mapped[uuid.UUID | None]:
    return mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"), nullable=nullable)


class Declaration(IdMixin, TimestampMixin, db.Model):
    """An impartiality declaration (habilitetserklæring) of one committee member."""

    __tablename__ = "award_declarations"
    __table_args__ = (UniqueConstraint("procurement_id", "user_id", name="uq_award_declarations_user"),)

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    tenderers: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)  # names declared against
    conflict: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    statement: Mapped[str] = mapped_column(Text, default="", nullable=False)


class Assessment(IdMixin, TimestampMixin, db.Model):
    """Qualification, rejection and consensus of one tender."""

    __tablename__ = "award_assessments"
    __table_args__ = (Index("ix_award_assessments_procurement", "procurement_id"),)

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    tender_id: Mapped[uuid.UUID] = _tender_fk(unique=True)
    qualified: Mapped[bool | None] = mapped_column(Boolean)
    qualification_reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    rejected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rejection_ground: Mapped[str | None] = mapped_column(String(40))
    rejection_reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    # {criterion id: {"score": 0-10, "motivation": str}}
    consensus: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    updated_by_id: Mapped[uuid.UUID | None] = _user_fk()


class EvaluatorScores(IdMixin, TimestampMixin, db.Model):
    """One evaluator's scores of one tender: {criterion id: {"score", "justification"}}."""

    __tablename__ = "award_evaluator_scores"
    __table_args__ = (
        UniqueConstraint("tender_id", "evaluator_id", name="uq_award_evaluator_scores_evaluator"),
        Index("ix_award_evaluator_scores_procurement", "procurement_id", "tender_id"),
    )

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    tender_id: Mapped[uuid.UUID] = _tender_fk()
    evaluator_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"),
                                                    nullable=False)
    scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AwardDecision(IdMixin, TimestampMixin, db.Model):
    """The award decision of a procurement (at most one in force; a changed decision replaces it)."""

    __tablename__ = "award_decisions"

    procurement_id: Mapped[uuid.UUID] = _procurement_fk(unique=True)
    # [{"lot_id", "lot", "tender_id", "supplier", "reason"}]
    winners: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, nullable=False)
    evaluation: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)  # snapshot
    decided_by_id: Mapped[uuid.UUID | None] = _user_fk()
    letters_sent_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    standstill_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    __mapper_args__ = {"version_id_col": version}


class AwardLetter(IdMixin, TimestampMixin, db.Model):
    """The award letter to one tenderer (its content as sent)."""

    __tablename__ = "award_letters"
    __table_args__ = (
        UniqueConstraint("procurement_id", "supplier_id", name="uq_award_letters_supplier"),
        Index("ix_award_letters_supplier", "supplier_id", "created_at"),
    )

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    supplier_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("supplier_organisations.id", ondelete="CASCADE"), nullable=False)
    tender_id: Mapped[uuid.UUID] = _tender_fk()
    content: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    supplier: Mapped[SupplierOrganisation] = relationship(lazy="joined", innerjoin=True)


class ComplaintStatus(enum.StrEnum):
    open = "open"
    answered = "answered"


class Complaint(IdMixin, TimestampMixin, db.Model):
    """A tenderer's complaint (klage) on the award decision, and the group's answer."""

    __tablename__ = "award_complaints"
    __table_args__ = (
        Index("ix_award_complaints_procurement", "procurement_id", "created_at", "id"),
        Index("ix_award_complaints_supplier", "supplier_id", "created_at"),
    )

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    supplier_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("supplier_organisations.id", ondelete="CASCADE"), nullable=False)
    filed_by_id: Mapped[uuid.UUID | None] = _user_fk()
    text: Mapped[str] = mapped_column(Text, nullable=False)
    status: Mapped[ComplaintStatus] = mapped_column(
        Enum(ComplaintStatus, native_enum=False, length=32, validate_strings=True),
        default=ComplaintStatus.open, nullable=False)
    answer: Mapped[str] = mapped_column(Text, default="", nullable=False)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[uuid.UUID | None] = _user_fk()

    supplier: Mapped[SupplierOrganisation] = relationship(lazy="joined", innerjoin=True)


class Contract(IdMixin, TimestampMixin, db.Model):
    """One buyer's contract with the chosen supplier for one lot (or the whole)."""

    __tablename__ = "award_contracts"
    __table_args__ = (
        UniqueConstraint("procurement_id", "tenant_id", "lot_id", name="uq_award_contracts_buyer_lot"),
        Index("ix_award_contracts_procurement", "procurement_id", "created_at", "id"),
        Index("ix_award_contracts_tenant", "tenant_id", "created_at"),
    )

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("tenants.id", ondelete="CASCADE"),
                                                 nullable=False)
    supplier_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("supplier_organisations.id", ondelete="CASCADE"), nullable=False)
    lot_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("specification_lots.id", ondelete="SET NULL"))
    value_ore: Mapped[int | None] = mapped_column(BigInteger)
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # [{"description", "exercise_by": "YYYY-MM-DD", "remind_days": int}]
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, nullable=False)
    signed_on: Mapped[date | None] = mapped_column(Date)
    signed_by_id: Mapped[uuid.UUID | None] = _user_fk()
    document_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("procurement_attachments.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    tenant: Mapped[Tenant] = relationship(lazy="joined", innerjoin=True)
    supplier: Mapped[SupplierOrganisation] = relationship(lazy="joined", innerjoin=True)


class Mandate(IdMixin, TimestampMixin, db.Model):
    """A buyer's mandate to take part: its decision (reference, date, signatory) and the volume
    it expects to buy, options included (øre). One per buyer tenant and procurement."""

    __tablename__ = "award_mandates"
    __table_args__ = (UniqueConstraint("procurement_id", "tenant_id", name="uq_award_mandates_buyer"),)

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("tenants.id", ondelete="CASCADE"),
                                                 nullable=False)
    decision_ref: Mapped[str] = mapped_column(String(200), nullable=False)
    decided_on: Mapped[date] = mapped_column(Date, nullable=False)
    signatory: Mapped[str] = mapped_column(String(200), nullable=False)
    volume_ore: Mapped[int] = mapped_column(BigInteger, nullable=False)
    options_ore: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)
    recorded_by_id: Mapped[uuid.UUID | None] = _user_fk()

    tenant: Mapped[Tenant] = relationship(lazy="joined", innerjoin=True)
