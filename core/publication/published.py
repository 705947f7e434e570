"""What a procurement has made public — the one read model of the public pages and OCDS.

Only published things: the invitation and conference of an *open* dialogue, answers as
published (the anonymised question texts, never who asked), minutes once published, and
notices Doffin has accepted. Never drafts, supplier identities, responses or business secrets.
Read in system scope (visitors have no tenant) with an explicit procurement filter.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from core import isolation
from core.db import db
from core.dialogue.invitation import public_invitation
from core.dialogue.models import DialogueAnswer, DialogueConference
from core.errors import NotFound
from core.i18n import _l
from core.pagination import Page, keyset_page
from core.procurement.models import (
    ParticipantRole,
    Participation,
    ParticipationStatus,
    Phase,
    Procurement,
    ProcurementStatus,
)
from core.publication.models import DoffinStatus, Notice
from tenants.models import Tenant


@dataclass
class PublicBuyer:
    name: str
    org_number: str
    lead: bool


@dataclass
class PublicConference:
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    registration_deadline: datetime | None
    minutes: str
    minutes_published_at: datetime | None


@dataclass
class PublicAnswer:
    questions: list[str]
    text: str
    published_at: datetime
    corrected_at: datetime | None


@dataclass
class Published:
    procurement: Procurement
    buyers: list[PublicBuyer]
    invitation: str = ""
    conference: PublicConference | None = None
    answers: list[PublicAnswer] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def is_published(procurement: Procurement) -> bool:
    return procurement.dialogue_open


def buyers(procurement_id: uuid.UUID) -> list[PublicBuyer]:
    with isolation.system_scope():  # the buyers of a published procurement are public facts of its notice
        rows = db.session.execute(
            select(Participation.role, Tenant.name, Tenant.org_number)
            .join(Tenant, Tenant.id == Participation.tenant_id)
            .where(Participation.procurement_id == procurement_id,
                   Participation.status == ParticipationStatus.active,
                   Participation.role.in_([ParticipantRole.lead, ParticipantRole.buyer]))
            .order_by(Participation.role != ParticipantRole.lead, Tenant.name)).all()
    return [PublicBuyer(r.name, r.org_number or "", r.role == ParticipantRole.lead) for r in rows]


def published(procurement_id: uuid.UUID, *, for_group: bool = False) -> Published:
    """Everything public about one procurement; 404 while nothing is (`for_group`: the project
    group's preview, callers checked access)."""
    with isolation.system_scope():  # public data, filtered to this procurement and to what is published
        procurement = db.session.get(Procurement, procurement_id)
        if procurement is None or not (for_group or is_published(procurement)):
            raise NotFound(_l("No such procurement."))
        view = Published(procurement, buyers(procurement_id))
        view.invitation = public_invitation(procurement).text
        conference = db.session.execute(select(DialogueConference).where(
            DialogueConference.procurement_id == procurement_id)).scalar_one_or_none()
        if conference is not None:
            view.conference = PublicConference(
                conference.title, conference.starts_at, conference.ends_at, conference.place,
                conference.registration_deadline,
                conference.minutes if conference.minutes_published_at else "", conference.minutes_published_at)
        answers = db.session.execute(select(DialogueAnswer).where(DialogueAnswer.procurement_id == procurement_id)
                                     .order_by(DialogueAnswer.published_at, DialogueAnswer.id).limit(500)).scalars()
        view.answers = [PublicAnswer(list(a.published_questions or []), a.text, a.published_at, a.corrected_at)
                        for a in answers]
        view.notices = list(db.session.execute(select(Notice).where(
            Notice.procurement_id == procurement_id, Notice.doffin_status == DoffinStatus.sent)
            .order_by(Notice.created_at, Notice.id).limit(50)).scalars())
    return view


def open_procurements(cursor: str | None, limit: int = 20) -> Page:
    """Published procurements with an open market dialogue, newest first (keyset pages)."""
    stmt = select(Procurement).where(Procurement.dialogue_open.is_(True), Procurement.phase == Phase.dialogue,
                                     Procurement.status == ProcurementStatus.active)
    with isolation.system_scope():  # public list; the filter above is what makes a procurement public
        return keyset_page(stmt, [(Procurement.created_at, True), (Procurement.id, True)], limit=limit,
                           cursor=cursor)
