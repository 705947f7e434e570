"""Baselines (with the buyer's target) and measurements, per procurement × buyer tenant × KPI.

The rows hang on the procurement (visible to its participants, protected by
`samspill_visible_procurement` on PostgreSQL) and carry the buyer tenant that owns the values;
only that tenant's people write them. Values are floats in the KPI's unit.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import IdMixin, TimestampMixin, db
from tenants.models import Tenant


class Baseline(IdMixin, TimestampMixin, db.Model):
    """A buyer's baseline for one KPI (or a waiver with a reason), its benefit owner and target."""

    __tablename__ = "benefit_baselines"
    __table_args__ = (
        UniqueConstraint("procurement_id", "tenant_id", "kpi_key", name="uq_benefit_baselines_pair"),
        Index("ix_benefit_baselines_tenant_kpi", "tenant_id", "kpi_key"),
    )

    procurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False)
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)
    kpi_key: Mapped[str] = mapped_column(String(80), nullable=False)
    value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(60), default="", nullable=False)
    measured_on: Mapped[date | None] = mapped_column(Date)
    method: Mapped[str] = mapped_column(Text, default="", nullable=False)
    source: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    owner: Mapped[str] = mapped_column(String(200), default="", nullable=False)  # gevinsteier
    waiver_reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    target_value: Mapped[float | None] = mapped_column(Float)
    target_date: Mapped[date | None] = mapped_column(Date)
    by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))

    tenant: Mapped[Tenant] = relationship(lazy="joined", innerjoin=True)

    @property
    def waived(self) -> bool:
        return self.value is None and bool(self.waiver_reason)


class Measurement(IdMixin, TimestampMixin, db.Model):
    """A buyer's value of one KPI for one period (the first day of a month)."""

    __tablename__ = "benefit_measurements"
    __table_args__ = (
        UniqueConstraint("procurement_id", "tenant_id", "kpi_key", "period", name="uq_benefit_measurements_period"),
        Index("ix_benefit_measurements_tenant_kpi", "tenant_id", "kpi_key", "period"),
    )

    procurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False)
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)
    kpi_key: Mapped[str] = mapped_column(String(80), nullable=False)
    period: Mapped[date] = mapped_column(Date, nullable=False)
    value: Mapped[float] = mapped_column(Float, nullable=False)
    note: Mapped[str] = mapped_column(String(500), default="", nullable=False)
    by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))


class FollowUpMeeting(IdMixin, TimestampMixin, db.Model):
    """A follow-up meeting on one buyer's contract, with its minutes."""

    __tablename__ = "benefit_follow_up_meetings"
    __table_args__ = (Index("ix_benefit_meetings_contract", "contract_id", "held_on"),)

    procurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False)
    contract_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("award_contracts.id", ondelete="CASCADE"), nullable=False)
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)
    held_on: Mapped[date] = mapped_column(Date, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    minutes: Mapped[str] = mapped_column(Text, nullable=False)
    by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)  # the API's ETag

    __mapper_args__ = {"version_id_col": version}


class Deviation(IdMixin, TimestampMixin, db.Model):
    """A deviation (avvik) on one buyer's contract: severity, owner, deadline, and its closing."""

    __tablename__ = "benefit_deviations"
    __table_args__ = (Index("ix_benefit_deviations_contract", "contract_id", "closed_on", "deadline"),)

    procurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False)
    contract_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("award_contracts.id", ondelete="CASCADE"), nullable=False)
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    severity: Mapped[str] = mapped_column(String(16), nullable=False)  # SEVERITIES
    owner: Mapped[str] = mapped_column(String(200), nullable=False)
    deadline: Mapped[date] = mapped_column(Date, nullable=False)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closing_note: Mapped[str] = mapped_column(Text, default="", nullable=False)
    by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)  # the API's ETag

    __mapper_args__ = {"version_id_col": version}


SEVERITIES = ("low", "medium", "high", "critical")
