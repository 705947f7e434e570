"""Lots, requirements (with the needs each covers) and award criteria of a procurement.

All of them belong to a procurement (`procurement_id`) and inherit its visibility (forced RLS
`samspill_visible_procurement(procurement_id)`, migration `0017_specification`). A procurement
without lots has one implicit whole: `lot_id` is NULL for requirements and criteria of the whole.
"""

from __future__ import annotations

import enum
import uuid

from sqlalchemy import Boolean, Enum, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import IdMixin, TimestampMixin, db


def _enum(cls):
    return Enum(cls, native_enum=False, length=32, validate_strings=True)


def _procurement_fk() -> Mapped[uuid.UUID]:
    return mapped_column(Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False)


class RequirementKind(enum.StrEnum):
    """An absolute requirement ("skal") must be met; an evaluated one ("bør") is scored."""

    absolute = "absolute"
    evaluated = "evaluated"


class RequirementSource(enum.StrEnum):
    """Where a requirement came from: the procurement's template, a domain plugin's library, or
    the project group itself."""

    template = "template"
    library = "library"
    own = "own"


class PriceModel(enum.StrEnum):
    """Declared scoring models for a price criterion (formulas in `core.specification.pricing`)."""

    lowest_proportional = "lowest_proportional"
    linear_deduction = "linear_deduction"


class Lot(IdMixin, TimestampMixin, db.Model):
    """A lot (delkontrakt) of a procurement."""

    __tablename__ = "specification_lots"
    __table_args__ = (Index("ix_specification_lots_procurement_position", "procurement_id", "position"),)

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)


class RequirementNeed(db.Model):
    """A need a requirement covers (traceability); every requirement covers at least one."""

    __tablename__ = "specification_requirement_needs"
    __table_args__ = (
        Index("ix_specification_requirement_needs_need", "need_id"),
        Index("ix_specification_requirement_needs_procurement", "procurement_id"),
    )

    requirement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("specification_requirements.id", ondelete="CASCADE"), primary_key=True)
    need_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurement_needs.id", ondelete="CASCADE"), primary_key=True)
    procurement_id: Mapped[uuid.UUID] = _procurement_fk()


class Requirement(IdMixin, TimestampMixin, db.Model):
    """One requirement of the specification, ordered by `position` within the procurement."""

    __tablename__ = "specification_requirements"
    __table_args__ = (
        Index("ix_specification_requirements_procurement_position", "procurement_id", "position", "id"),
        Index("ix_specification_requirements_lot", "lot_id"),
    )

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    lot_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("specification_lots.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    ref: Mapped[str] = mapped_column(String(80), default="", nullable=False)
    title: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    kind: Mapped[RequirementKind] = mapped_column(_enum(RequirementKind), nullable=False)
    category: Mapped[str] = mapped_column(String(80), default="", nullable=False)
    source: Mapped[RequirementSource] = mapped_column(
        _enum(RequirementSource), default=RequirementSource.own, nullable=False)
    # The template's `ref` or the library entry's key (`<plugin>:<ref>`); empty for own ones.
    source_ref: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    needs: Mapped[list[RequirementNeed]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=RequirementNeed.need_id)

    @property
    def need_ids(self) -> list[uuid.UUID]:
        return [link.need_id for link in self.needs]


class AwardCriterion(IdMixin, TimestampMixin, db.Model):
    """An award criterion or sub-criterion (`parent_id`) with its weight; a price criterion
    declares its scoring model (`price_model`)."""

    __tablename__ = "specification_award_criteria"
    __table_args__ = (
        Index("ix_specification_award_criteria_procurement_position", "procurement_id", "position"),
        Index("ix_specification_award_criteria_parent", "parent_id"),
        Index("ix_specification_award_criteria_lot", "lot_id"),
    )

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    lot_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("specification_lots.id", ondelete="CASCADE"))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("specification_award_criteria.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    weight: Mapped[int] = mapped_column(Integer, nullable=False)
    is_price: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    price_model: Mapped[PriceModel | None] = mapped_column(_enum(PriceModel))
