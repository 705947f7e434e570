"""Questions and answers about the competition — the dialogue's anonymised rules.

- A supplier (any confirmed supplier organisation, the competition being public) asks until the
  question deadline (checked at the start and at commit). Until answered, a question is seen by
  the project group and the asking supplier only.
- The project group answers one or several questions together; the answer is published to
  every supplier at once with the questions in a wording the group may adjust, and holds no
  trace of who asked (`CompetitionAnswer`). Every supplier in the competition is told.
- Above the EEA threshold an answer must be published at least six days before the tender
  deadline (Directive 2014/24/EU art. 53(2); FOA § 14-3): later it is refused with 409 naming
  the last day, unless the project group first moves the tender deadline for everyone
  (`settings.save_settings`, which tells every supplier).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from core import audit
from core.competition.audience import competition_supplier_people
from core.competition.models import Competition, CompetitionAnswer, CompetitionQuestion
from core.competition.settings import announced, competition_of
from core.competition.tenders import supplier_reads
from core.db import db
from core.deadlines import RowDeadline, database_now
from core.dialogue.audience import project_group_people
from core.dialogue.questions import MAX_ANSWER, MAX_QUESTION
from core.errors import Conflict, DeadlinePassed, NotFound, ValidationError
from core.i18n import _l
from core.input_safety import required_text
from core.notifications.service import notify
from core.pagination import Page, keyset_page
from core.procurement.access import Action, require
from core.procurement.notice import notice_hint
from core.procurement.service import ensure_active
from core.suppliers.service import supplier_context

ANSWER_DAYS_BEFORE_DEADLINE = 6
OPEN_LIST_LIMIT = 200


def _question_deadline_error() -> DeadlinePassed:
    return DeadlinePassed(_l("The deadline for questions has passed."))


# The competition's question deadline, read again at commit.
_QUESTION_DEADLINE = RowDeadline(Competition.question_deadline, Competition.procurement_id, "deadline_procurement_id")


def ask(procurement_id: uuid.UUID, text: str) -> CompetitionQuestion:
    actor = supplier_reads(procurement_id)
    if database_now(db.session) >= actor.competition.question_deadline:
        raise _question_deadline_error()
    _QUESTION_DEADLINE.refuse_after(db.session, procurement_id, _question_deadline_error)
    question = CompetitionQuestion(id=uuid.uuid4(), procurement_id=procurement_id, supplier_id=actor.supplier_id,
                                   asked_by_id=actor.context.user.id, text=required_text(text, MAX_QUESTION, "text"))
    db.session.add(question)
    db.session.flush()
    title = actor.procurement.title
    notify(project_group_people(procurement_id),
           lambda: _("New supplier question in the competition %(title)s", title=title),
           lambda: _("A supplier asked a question about the competition \"%(title)s\". Answer it in Samspill; "
                     "the answer is published to every supplier.", title=title))
    return question


def latest_answer_time(competition: Competition, value_ore: int | None, procedure, contract_kind) -> datetime | None:
    """The last moment an answer may be published, or None when the six-day rule does not apply."""
    hint = notice_hint(value_ore, getattr(procedure, "value", procedure),
                       getattr(contract_kind, "value", contract_kind))
    if hint.band != "eea" or competition.tender_deadline is None:
        return None
    return competition.tender_deadline - timedelta(days=ANSWER_DAYS_BEFORE_DEADLINE)


def answer(procurement_id: uuid.UUID, question_ids: list[uuid.UUID], text: str,
           published_wording: dict[uuid.UUID, str] | None = None) -> CompetitionAnswer:
    """Answer questions and publish the answer to every supplier (project group)."""
    access = require(procurement_id, Action.write)
    procurement = access.procurement
    ensure_active(procurement)
    competition = announced(procurement_id)
    if competition.opened_at is not None:
        raise Conflict(_l("The tenders are opened; the competition's questions are closed."))
    latest = latest_answer_time(competition, procurement.estimated_value_ore, procurement.procedure,
                                procurement.contract_kind)
    if latest is not None and database_now(db.session) > latest:
        raise Conflict(_l("Above the EEA threshold an answer must be published at least 6 days before the tender "
                          "deadline, so no later than %(date)s. Move the tender deadline for everyone first.",
                          date=format_datetime(latest)), latest=latest.isoformat())
    ids = list(dict.fromkeys(question_ids))
    if not ids:
        raise ValidationError(_l("Choose the questions to answer."), errors={"questions": [_l("Choose a question.")]})
    questions = list(db.session.execute(select(CompetitionQuestion).where(
        CompetitionQuestion.id.in_(ids), CompetitionQuestion.procurement_id == procurement_id)).scalars())
    if len(questions) != len(ids):
        raise ValidationError(_l("Some questions do not belong to this competition."),
                              errors={"questions": [_l("Unknown question.")]})
    if any(q.answer_id is not None for q in questions):
        raise Conflict(_l("A question is already answered."), errors={"questions": [_l("Already answered.")]})
    order = {qid: i for i, qid in enumerate(ids)}
    questions.sort(key=lambda q: order[q.id])
    wording = published_wording or {}
    published = [required_text(wording.get(q.id) or q.text, MAX_QUESTION, "published_wording") for q in questions]
    record = CompetitionAnswer(id=uuid.uuid4(), procurement_id=procurement_id,
                               text=required_text(text, MAX_ANSWER, "text"),
                               published_questions=published, published_at=database_now(db.session),
                               answered_by_id=access.principal.user.id)
    db.session.add(record)
    db.session.flush()
    for q in questions:
        q.answer_id = record.id
    db.session.flush()
    audit.record("competition.answer_published", "competition_answer", record.id,
                 tenant_id=access.acting_tenant_id, procurement_id=procurement_id,
                 changes={"after": {"published_questions": published, "text": record.text}})
    title = procurement.title
    notify(competition_supplier_people(procurement_id),
           lambda: _("New answer in the competition %(title)s", title=title),
           lambda: _("A new answer is published in the competition \"%(title)s\". Every supplier receives the "
                     "same answer; the asker is not named.", title=title))
    return record


@dataclass
class QAOverview:
    competition: Competition | None
    published: Page
    open_questions: list[CompetitionQuestion] = field(default_factory=list)
    group: bool = False
    latest_answer: datetime | None = None


def overview(procurement_id: uuid.UUID, cursor: str | None = None, limit: int = 20, *,
             prefer_supplier: bool = False) -> QAOverview:
    """Published answers for all; open questions: the group sees all, a supplier its own."""
    group = None
    if not (prefer_supplier and supplier_context() is not None):
        try:
            group = require(procurement_id, Action.read)
        except NotFound:
            if supplier_context() is None:
                raise
    if group is not None:
        competition = competition_of(procurement_id)
        supplier_id = None
    else:
        actor = supplier_reads(procurement_id)
        competition, supplier_id = actor.competition, actor.supplier_id
    published = keyset_page(
        select(CompetitionAnswer).where(CompetitionAnswer.procurement_id == procurement_id),
        [(CompetitionAnswer.published_at, True), (CompetitionAnswer.id, True)], limit=limit, cursor=cursor)
    stmt = select(CompetitionQuestion).where(CompetitionQuestion.procurement_id == procurement_id,
                                             CompetitionQuestion.answer_id.is_(None))
    if supplier_id is not None:
        stmt = stmt.where(CompetitionQuestion.supplier_id == supplier_id)
    open_questions = list(db.session.execute(
        stmt.order_by(CompetitionQuestion.created_at, CompetitionQuestion.id).limit(OPEN_LIST_LIMIT)).scalars())
    latest = None
    if group is not None and competition is not None:
        p = group.procurement
        latest = latest_answer_time(competition, p.estimated_value_ore, p.procedure, p.contract_kind)
    return QAOverview(competition, published, open_questions, group is not None, latest)
