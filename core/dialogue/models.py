"""Market-dialogue artefacts. All of them belong to a procurement (`procurement_id`) and so
inherit its visibility for the project group; rows that belong to one supplier also carry
`supplier_id`, which is what that supplier (and only that supplier) may see.

Invitation, supplier registrations, the dialogue conference, questions and published answers,
questionnaires with responses, one-to-one meeting rounds with slots and bookings, attachments.
"""

from __future__ import annotations

import enum
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import IdMixin, TimestampMixin, UTCDateTime, db
from core.suppliers.models import SupplierOrganisation


def _enum(cls):
    return Enum(cls, native_enum=False, length=32, validate_strings=True)


def _procurement_fk() -> Mapped[uuid.UUID]:
    return mapped_column(Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False)


def _supplier_fk(nullable: bool = False) -> Mapped[Any]:
    return mapped_column(
        Uuid, ForeignKey("supplier_organisations.id", ondelete="CASCADE"), nullable=nullable)


def _user_fk() -> Mapped[uuid.UUID | None]:
    return mapped_column(Uuid, ForeignKey("users.id", ondelete="SET NULL"))


class DialogueInvitation(IdMixin, TimestampMixin, db.Model):
    """The text of the prior information notice inviting suppliers to the dialogue."""

    __tablename__ = "dialogue_invitations"

    procurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False, unique=True)
    text: Mapped[str] = mapped_column(Text, default="", nullable=False)
    updated_by_id: Mapped[uuid.UUID | None] = _user_fk()


class ConferenceStatus(enum.StrEnum):
    """A registered supplier's place at the dialogue conference."""

    none = "none"
    confirmed = "confirmed"
    waiting = "waiting"


class DialogueRegistration(IdMixin, TimestampMixin, db.Model):
    """A supplier registered in a procurement's market dialogue."""

    __tablename__ = "dialogue_registrations"
    __table_args__ = (
        UniqueConstraint("procurement_id", "supplier_id", name="uq_dialogue_registrations_supplier"),
        Index("ix_dialogue_registrations_procurement", "procurement_id", "created_at", "id"),
        Index("ix_dialogue_registrations_supplier", "supplier_id", "created_at"),
    )

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    supplier_id: Mapped[uuid.UUID] = _supplier_fk()
    registered_by_id: Mapped[uuid.UUID | None] = _user_fk()
    conference_status: Mapped[ConferenceStatus] = mapped_column(
        _enum(ConferenceStatus), default=ConferenceStatus.none, nullable=False)
    conference_attendees: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    conference_registered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    supplier: Mapped[SupplierOrganisation] = relationship(lazy="joined", innerjoin=True)


class DialogueConference(IdMixin, TimestampMixin, db.Model):
    """The dialogue conference: when, where, agenda, capacity, and its published minutes."""

    __tablename__ = "dialogue_conferences"

    procurement_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False, unique=True)
    title: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    place: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    online_link: Mapped[str] = mapped_column(String(500), default="", nullable=False)
    agenda: Mapped[str] = mapped_column(Text, default="", nullable=False)
    capacity: Mapped[int | None] = mapped_column(Integer)  # persons; None = no limit
    registration_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Persons with a confirmed place; changed only by conditional UPDATEs (no overbooking).
    confirmed_attendees: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    minutes: Mapped[str] = mapped_column(Text, default="", nullable=False)
    minutes_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    version: Mapped[int] = mapped_column(default=1, nullable=False)

    __mapper_args__ = {"version_id_col": version}


class AttachmentKind(enum.StrEnum):
    presentation = "presentation"  # conference presentations: project group + registered suppliers
    response = "response"          # a supplier's response attachment: project group + that supplier


class DialogueAttachment(IdMixin, TimestampMixin, db.Model):
    """A file in the dialogue. Who may read it follows `kind` and `supplier_id`."""

    __tablename__ = "dialogue_attachments"
    __table_args__ = (Index("ix_dialogue_attachments_procurement", "procurement_id", "kind", "created_at"),)

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    supplier_id: Mapped[uuid.UUID | None] = _supplier_fk(nullable=True)
    kind: Mapped[AttachmentKind] = mapped_column(_enum(AttachmentKind), nullable=False)
    response_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("dialogue_responses.id", ondelete="CASCADE"))
    filename: Mapped[str] = mapped_column(String(255), nullable=False)
    content_type: Mapped[str] = mapped_column(String(120), nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    storage_key: Mapped[str] = mapped_column(String(200), nullable=False)
    uploaded_by_id: Mapped[uuid.UUID | None] = _user_fk()


class DialogueAnswer(IdMixin, TimestampMixin, db.Model):
    """A published answer to one or more questions, with the questions' anonymised wording.

    The published wording is copied here so the published record holds no trace of who asked.
    """

    __tablename__ = "dialogue_answers"
    __table_args__ = (Index("ix_dialogue_answers_procurement", "procurement_id", "published_at", "id"),)

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    text: Mapped[str] = mapped_column(Text, nullable=False)
    published_questions: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    answered_by_id: Mapped[uuid.UUID | None] = _user_fk()
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # last correction, shown to all
    correction_note: Mapped[str] = mapped_column(Text, default="", server_default="", nullable=False)


class DialogueQuestion(IdMixin, TimestampMixin, db.Model):
    """A supplier's question: seen by the project group and the asker until it is answered."""

    __tablename__ = "dialogue_questions"
    __table_args__ = (
        Index("ix_dialogue_questions_procurement", "procurement_id", "created_at", "id"),
        Index("ix_dialogue_questions_supplier", "supplier_id", "procurement_id"),
    )

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    supplier_id: Mapped[uuid.UUID] = _supplier_fk()
    asked_by_id: Mapped[uuid.UUID | None] = _user_fk()
    text: Mapped[str] = mapped_column(Text, nullable=False)
    answer_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("dialogue_answers.id", ondelete="SET NULL"), index=True)

    supplier: Mapped[SupplierOrganisation] = relationship(lazy="joined", innerjoin=True)
    answer: Mapped[DialogueAnswer | None] = relationship(lazy="joined")


class QuestionKind(enum.StrEnum):
    text = "text"
    choice = "choice"
    multichoice = "multichoice"
    attachment = "attachment"


class Questionnaire(IdMixin, TimestampMixin, db.Model):
    """Feedback and solution proposals: questions with a hard deadline."""

    __tablename__ = "dialogue_questionnaires"
    __table_args__ = (Index("ix_dialogue_questionnaires_procurement", "procurement_id", "created_at", "id"),)

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    intro: Mapped[str] = mapped_column(Text, default="", nullable=False)
    deadline: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # visible to suppliers from then
    created_by_id: Mapped[uuid.UUID | None] = _user_fk()
    version: Mapped[int] = mapped_column(default=1, server_default="1", nullable=False)

    questions: Mapped[list[QuestionnaireQuestion]] = relationship(
        order_by="QuestionnaireQuestion.position", lazy="selectin", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version}


class QuestionnaireQuestion(IdMixin, db.Model):
    """One question; `source` says where it came from (custom, template, plugin:<name>)."""

    __tablename__ = "dialogue_questionnaire_questions"
    __table_args__ = (UniqueConstraint("questionnaire_id", "position", name="uq_dialogue_qq_position"),)

    questionnaire_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("dialogue_questionnaires.id", ondelete="CASCADE"), nullable=False)
    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[QuestionKind] = mapped_column(_enum(QuestionKind), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    help: Mapped[str] = mapped_column(Text, default="", nullable=False)
    options: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    required: Mapped[bool] = mapped_column(default=False, nullable=False)
    source: Mapped[str] = mapped_column(String(80), default="custom", nullable=False)


class ResponseStatus(enum.StrEnum):
    draft = "draft"
    submitted = "submitted"


class QuestionnaireResponse(IdMixin, TimestampMixin, db.Model):
    """One supplier's response to a questionnaire (draft until submitted)."""

    __tablename__ = "dialogue_responses"
    __table_args__ = (
        UniqueConstraint("questionnaire_id", "supplier_id", name="uq_dialogue_responses_supplier"),
        Index("ix_dialogue_responses_questionnaire", "questionnaire_id", "status", "submitted_at"),
    )

    questionnaire_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("dialogue_questionnaires.id", ondelete="CASCADE"), nullable=False)
    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    supplier_id: Mapped[uuid.UUID] = _supplier_fk()
    status: Mapped[ResponseStatus] = mapped_column(
        _enum(ResponseStatus), default=ResponseStatus.draft, nullable=False)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[uuid.UUID | None] = _user_fk()
    version: Mapped[int] = mapped_column(default=1, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    supplier: Mapped[SupplierOrganisation] = relationship(lazy="joined", innerjoin=True)
    answers: Mapped[list[ResponseAnswer]] = relationship(lazy="selectin", cascade="all, delete-orphan")


class ResponseAnswer(IdMixin, db.Model):
    """The answer to one question; a supplier may mark it a business secret, with a reason."""

    __tablename__ = "dialogue_response_answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id", name="uq_dialogue_answers_question"),)

    response_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("dialogue_responses.id", ondelete="CASCADE"), nullable=False)
    question_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("dialogue_questionnaire_questions.id", ondelete="CASCADE"), nullable=False)
    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    supplier_id: Mapped[uuid.UUID] = _supplier_fk()
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    is_business_secret: Mapped[bool] = mapped_column(default=False, nullable=False)
    secret_reason: Mapped[str] = mapped_column(Text, default="", nullable=False)


class MeetingRound(IdMixin, TimestampMixin, db.Model):
    """A round of one-to-one meetings: every slot has the same length and the same agenda."""

    __tablename__ = "dialogue_meeting_rounds"
    __table_args__ = (Index("ix_dialogue_meeting_rounds_procurement", "procurement_id", "created_at"),)

    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    agenda: Mapped[str] = mapped_column(Text, default="", nullable=False)
    slot_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    place: Mapped[str] = mapped_column(String(300), default="", nullable=False)
    online_link: Mapped[str] = mapped_column(String(500), default="", nullable=False)
    bookings_per_supplier: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # same moment for everyone
    cutoff: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)  # book/cancel until
    created_by_id: Mapped[uuid.UUID | None] = _user_fk()


class MeetingSlot(IdMixin, db.Model):
    """A slot in a round. Its length is the round's, so slots cannot differ."""

    __tablename__ = "dialogue_meeting_slots"
    __table_args__ = (
        UniqueConstraint("round_id", "starts_at", name="uq_dialogue_slots_round_start"),
        Index("ix_dialogue_slots_procurement", "procurement_id", "starts_at"),
    )

    round_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("dialogue_meeting_rounds.id", ondelete="CASCADE"), nullable=False)
    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime, nullable=False)
    # Flipped only by a conditional UPDATE (… WHERE is_booked = false): one booking wins.
    is_booked: Mapped[bool] = mapped_column(default=False, nullable=False)

    round: Mapped[MeetingRound] = relationship(lazy="joined", innerjoin=True)

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.round.slot_minutes)


class MeetingBooking(IdMixin, TimestampMixin, db.Model):
    """A supplier's booking of a slot, and the minutes of that meeting.

    `slot_id` is unique (one supplier per slot); (round, supplier, seq) is unique with
    1 <= seq <= the round's bookings_per_supplier (no supplier books more than allowed).
    """

    __tablename__ = "dialogue_meeting_bookings"
    __table_args__ = (
        UniqueConstraint("slot_id", name="uq_dialogue_bookings_slot"),
        UniqueConstraint("round_id", "supplier_id", "seq", name="uq_dialogue_bookings_round_supplier_seq"),
        Index("ix_dialogue_bookings_procurement", "procurement_id", "supplier_id"),
    )

    slot_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("dialogue_meeting_slots.id", ondelete="CASCADE"), nullable=False)
    round_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("dialogue_meeting_rounds.id", ondelete="CASCADE"), nullable=False)
    procurement_id: Mapped[uuid.UUID] = _procurement_fk()
    supplier_id: Mapped[uuid.UUID] = _supplier_fk()
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    booked_by_id: Mapped[uuid.UUID | None] = _user_fk()
    minutes: Mapped[str] = mapped_column(Text, default="", nullable=False)
    minutes_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    slot: Mapped[MeetingSlot] = relationship(lazy="joined", innerjoin=True)
    supplier: Mapped[SupplierOrganisation] = relationship(lazy="joined", innerjoin=True)
