"""Procurement, the tenants taking part in it, its project group, needs, gates and attachments.

A procurement is the one cross-tenant object: it has a lead tenant and participant tenants
(`procurement_participations`), and every artefact hangs on the procurement and inherits its
visibility. Money is integer øre, never floats.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Enum, ForeignKey, Index, String, Text, UniqueConstraint, Uuid, event, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import IdMixin, TimestampMixin, UTCDateTime, db
from core.identity.models import User
from tenants.models import Tenant


def _enum(cls):
    return Enum(cls, native_enum=False, length=32, validate_strings=True)


class Phase(enum.StrEnum):
    """The phases of the national programme's method, in order."""

    anchoring = "anchoring"
    needs = "needs"
    dialogue = "dialogue"
    competition = "competition"
    evaluation = "evaluation"
    contract = "contract"


PHASE_ORDER = list(Phase)


class Procedure(enum.StrEnum):
    open = "open"
    restricted = "restricted"
    competitive_dialogue = "competitive_dialogue"
    competition_with_negotiation = "competition_with_negotiation"
    innovation_partnership = "innovation_partnership"
    below_threshold = "below_threshold"


class ContractKind(enum.StrEnum):
    """Decides which EEA threshold applies (see `core/procurement/data/thresholds.json`)."""

    goods_services = "goods_services"
    works = "works"
    social_services = "social_services"


class ProcurementStatus(enum.StrEnum):
    active = "active"
    completed = "completed"
    cancelled = "cancelled"


class ParticipantRole(enum.StrEnum):
    """A tenant's part: the lead, a buyer signing its own contract, or an observer."""

    lead = "lead"
    buyer = "buyer"
    observer = "observer"


class ParticipationStatus(enum.StrEnum):
    invited = "invited"
    active = "active"
    declined = "declined"
    left = "left"


class ProjectRole(enum.StrEnum):
    """A person's role in the procurement's project group."""

    lead = "lead"
    member = "member"
    evaluator = "evaluator"
    observer = "observer"


class Procurement(IdMixin, TimestampMixin, db.Model):
    __tablename__ = "procurements"
    __table_args__ = (
        Index("ix_procurements_lead_created", "lead_tenant_id", "created_at", "id"),
        Index("ix_procurements_created", "created_at", "id"),  # newest-first lists (0009)
        Index("ix_procurements_dialogue_open", "dialogue_open", "created_at"),
    )

    lead_tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("tenants.id"), nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str] = mapped_column(Text, default="", nullable=False)
    domain: Mapped[str | None] = mapped_column(String(64))
    estimated_value_ore: Mapped[int | None] = mapped_column(BigInteger)
    procedure: Mapped[Procedure | None] = mapped_column(_enum(Procedure))
    contract_kind: Mapped[ContractKind] = mapped_column(
        _enum(ContractKind), default=ContractKind.goods_services, nullable=False)
    cpv_codes: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    phase: Mapped[Phase] = mapped_column(_enum(Phase), default=Phase.anchoring, nullable=False)
    status: Mapped[ProcurementStatus] = mapped_column(
        _enum(ProcurementStatus), default=ProcurementStatus.active, nullable=False)
    key_dates: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    # [{"title": str, "date": "YYYY-MM-DD", "done": bool}]
    milestones: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, nullable=False)
    # Gate items copied from the template the procurement started from: [{"phase", "key", "text"}]
    custom_gate_items: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, nullable=False)
    extension: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, nullable=False)
    # Set when the dialogue is opened: suppliers can then find and join it.
    dialogue_open: Mapped[bool] = mapped_column(default=False, nullable=False)
    dialogue_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    template_version_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(default=1, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    lead_tenant: Mapped[Tenant] = relationship(lazy="joined", innerjoin=True)

    @property
    def is_frozen_for_dialogue(self) -> bool:
        """Dialogue artefacts are read-only once the competition is announced."""
        return PHASE_ORDER.index(self.phase) >= PHASE_ORDER.index(Phase.competition)

    @property
    def is_active(self) -> bool:
        """Completed and cancelled procurements are read-only."""
        return self.status == ProcurementStatus.active

    @property
    def next_phase(self) -> Phase | None:
        index = PHASE_ORDER.index(self.phase)
        return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None


class Participation(IdMixin, TimestampMixin, db.Model):
    """A tenant taking part in a procurement (the lead has a row too)."""

    __tablename__ = "procurement_participations"
    __table_args__ = (
        UniqueConstraint("procurement_id", "tenant_id", name="uq_participations_procurement_tenant"),
        Index("ix_participations_tenant_status", "tenant_id", "status", "procurement_id"),
        # the tenant's procurement list, newest first, walks this index (0012)
        Index("ix_participations_tenant_list", "tenant_id", "status", "procurement_created_at", "procurement_id"),
        # the invitations waiting for a tenant, oldest first, with the columns their page and
        # the participations' policy read: an index-only walk (0026)
        Index("ix_participations_tenant_invited", "tenant_id", "status", "created_at", "id",
              postgresql_include=["procurement_id", "role"]),
    )

    procurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False)
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)
    role: Mapped[ParticipantRole] = mapped_column(_enum(ParticipantRole), nullable=False)
    status: Mapped[ParticipationStatus] = mapped_column(_enum(ParticipationStatus), nullable=False)
    invited_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A copy of the procurement's creation time (which never changes): the sort key of lists.
    procurement_created_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)

    tenant: Mapped[Tenant] = relationship(lazy="joined", innerjoin=True)


@event.listens_for(Participation, "before_insert")
def _copy_procurement_created_at(_mapper, connection, participation: Participation) -> None:
    """Every participation carries its procurement's creation time (services pass it; this
    catches any other path, at the cost of one query)."""
    if participation.procurement_created_at is None:
        table = Procurement.__table__
        participation.procurement_created_at = connection.execute(
            select(table.c.created_at).where(table.c.id == participation.procurement_id)).scalar_one()


class ProjectMember(IdMixin, TimestampMixin, db.Model):
    """A person in the project group, coming from one participating tenant."""

    __tablename__ = "procurement_project_members"
    __table_args__ = (
        UniqueConstraint("procurement_id", "user_id", name="uq_project_members_procurement_user"),
        Index("ix_project_members_user", "user_id", "procurement_id"),
    )

    procurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"), nullable=False)
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)
    role: Mapped[ProjectRole] = mapped_column(_enum(ProjectRole), nullable=False)

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)


class NeedSource(enum.StrEnum):
    """How a need was found."""

    interview = "interview"
    workshop = "workshop"
    observation = "observation"
    survey = "survey"


class Need(IdMixin, TimestampMixin, db.Model):
    """A needs statement from users or staff, ordered by `position` within the procurement."""

    __tablename__ = "procurement_needs"
    __table_args__ = (Index("ix_procurement_needs_procurement_position", "procurement_id", "position"),)

    procurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(nullable=False)
    statement: Mapped[str] = mapped_column(Text, nullable=False)
    user_group: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    source: Mapped[NeedSource] = mapped_column(_enum(NeedSource), nullable=False)
    priority: Mapped[int] = mapped_column(default=2, nullable=False)  # 1 high, 2 medium, 3 low
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    # Plugins' fields, {plugin name: {...}}, validated by their "need" extension schemas.
    extension: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}",
                                                      nullable=False)


class GateState(enum.StrEnum):
    done = "done"
    waived = "waived"


class GateCheck(IdMixin, TimestampMixin, db.Model):
    """A gate item ticked off (done) or waived with a written reason."""

    __tablename__ = "procurement_gate_checks"
    __table_args__ = (UniqueConstraint("procurement_id", "item_key", name="uq_gate_checks_procurement_item"),)

    procurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False)
    item_key: Mapped[str] = mapped_column(String(120), nullable=False)
    phase: Mapped[Phase] = mapped_column(_enum(Phase), nullable=False)
    state: Mapped[GateState] = mapped_column(_enum(GateState), nullable=False)
    reason: Mapped[str] = mapped_column(Text, default="", nullable=False)
    by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))

    by: Mapped[User | None] = relationship(lazy="joined")


class PhaseTransition(IdMixin, db.Model):
    """One move to the next phase (or to completion), with the items that were waived."""

    __tablename__ = "procurement_phase_transitions"
    __table_args__ = (Index("ix_phase_transitions_procurement_at", "procurement_id", "at"),)

    procurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False)
    from_phase: Mapped[str] = mapped_column(String(32), nullable=False)
    to_phase: Mapped[str] = mapped_column(String(32), nullable=False)  # a Phase, or "completed"
    at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
    by_label: Mapped[str] = mapped_column(String(254), default="", nullable=False)
    waived: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, nullable=False)


class Attachment(IdMixin, TimestampMixin, db.Model):
    """A file on a procurement (or on one of its needs, as evidence); bytes live in `core.files`."""

    __tablename__ = "procurement_attachments"
    __table_args__ = (Index("ix_procurement_attachments_procurement", "procurement_id", "created_at"),)

    procurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False)
    need_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("procurement_needs.id", ondelete="CASCADE"))
    tenant_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False)
    filename: Mapped[str] = mapped_column(String(160), nullable=False)
    content_type: Mapped[str] = mapped_column(String(120), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    storage_key: Mapped[str] = mapped_column(String(200), nullable=False)
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))
