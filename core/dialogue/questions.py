"""Questions and answers in the market dialogue.

- A registered supplier asks. Until answered, a question is seen by the project group and
  the asking supplier only.
- The project group answers one or several questions together. The answer is published to
  every registered supplier at once, with each question in a wording the project group may
  adjust; the published record (`DialogueAnswer`) holds no trace of who asked.
- Everyone registered — also suppliers who register later — reads every published answer.
- The project group may correct a published answer (`correct_answer`): the corrected text
  replaces it for every registered supplier at once, marked as corrected, and all are told.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from core import audit
from core.db import db, utcnow
from core.dialogue.audience import project_group_people, registered_supplier_people
from core.dialogue.models import DialogueAnswer, DialogueQuestion
from core.dialogue.rules import Reader, group_reads, group_writes, reader, supplier_writes
from core.errors import Conflict, NotFound, ValidationError
from core.i18n import _l
from core.input_safety import required_text
from core.notifications.service import notify
from core.pagination import Page, keyset_page
from core.plugin_platform import host as plugin_manager

MAX_QUESTION = 5000
MAX_ANSWER = 20000
OPEN_LIST_LIMIT = 200


def ask(procurement_id: uuid.UUID, text: str) -> DialogueQuestion:
    actor = supplier_writes(procurement_id)
    question = DialogueQuestion(id=uuid.uuid4(), procurement_id=procurement_id, supplier_id=actor.supplier_id,
                                asked_by_id=actor.context.user.id, text=required_text(text, MAX_QUESTION, "text"))
    db.session.add(question)
    db.session.flush()
    audit.record("dialogue.question_asked", "dialogue_question", question.id,
                 tenant_id=actor.procurement.lead_tenant_id, procurement_id=procurement_id,
                 changes={"after": {"supplier": actor.context.name, "text": question.text}})
    title = actor.procurement.title
    notify(project_group_people(procurement_id),
           lambda: _("New supplier question in %(title)s", title=title),
           lambda: _("A supplier asked a question in the market dialogue \"%(title)s\". Answer it in "
                     "Samspill; the answer is published to every registered supplier.", title=title))
    return question


def answer(question_id: uuid.UUID, text: str, *, also: list[uuid.UUID] | None = None,
           published_wording: dict[uuid.UUID, str] | None = None) -> DialogueAnswer:
    """Answer `question_id` (and `also` the other questions) and publish it to all registered
    suppliers. `published_wording` may rephrase a question so it does not reveal the asker."""
    question = db.session.get(DialogueQuestion, question_id)
    if question is None:
        raise NotFound(_l("No such question."))
    procurement_id = question.procurement_id
    access = group_writes(procurement_id)
    ids = [question_id] + [qid for qid in (also or []) if qid != question_id]
    questions = list(db.session.execute(select(DialogueQuestion).where(
        DialogueQuestion.id.in_(ids), DialogueQuestion.procurement_id == procurement_id)).scalars())
    if len(questions) != len(set(ids)):
        raise ValidationError(_l("Some questions do not belong to this dialogue."),
                              errors={"also": [_l("Unknown question.")]})
    if any(q.answer_id is not None for q in questions):
        raise Conflict(_l("A question is already answered."), errors={"also": [_l("Already answered.")]})
    wording = published_wording or {}
    order = {qid: i for i, qid in enumerate(ids)}
    questions.sort(key=lambda q: order[q.id])
    published = [required_text(wording.get(q.id) or q.text, MAX_QUESTION, "published_wording") for q in questions]
    record = DialogueAnswer(id=uuid.uuid4(), procurement_id=procurement_id,
                            text=required_text(text, MAX_ANSWER, "text"),
                            published_questions=published, published_at=utcnow(),
                            answered_by_id=access.principal.user.id)
    db.session.add(record)
    db.session.flush()
    for q in questions:
        q.answer_id = record.id
    db.session.flush()
    audit.record("dialogue.answer_published", "dialogue_answer", record.id,
                 tenant_id=access.acting_tenant_id, procurement_id=procurement_id,
                 changes={"after": {"questions": [str(q.id) for q in questions],
                                    "askers": sorted({q.supplier.name for q in questions}),
                                    "published_questions": published, "text": record.text}})
    plugin_manager.emit("artefact_published", access.procurement, artefact_type="dialogue_answer",
                        artefact=record)
    title = access.procurement.title
    notify(registered_supplier_people(procurement_id),
           lambda: _("New answer in the market dialogue %(title)s", title=title),
           lambda: _("A new answer is published in the market dialogue \"%(title)s\". Every registered "
                     "supplier receives the same answer; the asker is not named.", title=title))
    return record


MAX_NOTE = 2000


def answer_for_group(answer_id: uuid.UUID, procurement_id: uuid.UUID | None = None) -> DialogueAnswer:
    """A published answer, for the project group (404 for everyone else)."""
    record = db.session.get(DialogueAnswer, answer_id)
    if record is None or (procurement_id is not None and record.procurement_id != procurement_id):
        raise NotFound(_l("No such answer."))
    group_reads(record.procurement_id)
    return record


def correct_answer(answer_id: uuid.UUID, text: str, *, note: str = "") -> DialogueAnswer:
    """Correct a published answer (project group) and publish the correction to every registered
    supplier at once — the same corrected information to all, each told by email. Suppliers see
    that and when it was corrected, with `note` (what changed); the audit keeps the text before
    and after, and the protocol shows the correction."""
    record = db.session.get(DialogueAnswer, answer_id)
    if record is None:
        raise NotFound(_l("No such answer."))
    access = group_writes(record.procurement_id)
    text = required_text(text, MAX_ANSWER, "text")
    note = (note or "").replace("\r\n", "\n").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(_l("The note is too long."),
                              errors={"note": [_l("At most %(max)d characters.", max=MAX_NOTE)]})
    if text == record.text:
        raise ValidationError(_l("The corrected answer is the same as the published one."),
                              errors={"text": [_l("Change the text to correct it.")]})
    before = {"text": record.text, "note": record.correction_note}
    record.text, record.correction_note, record.corrected_at = text, note, utcnow()
    db.session.flush()
    audit.record("dialogue.answer_corrected", "dialogue_answer", record.id,
                 tenant_id=access.acting_tenant_id, procurement_id=record.procurement_id,
                 changes={**audit.diff(before, {"text": text, "note": note}),
                          "published_questions": record.published_questions})
    title = access.procurement.title
    notify(registered_supplier_people(record.procurement_id),
           lambda: _("A published answer is corrected in the market dialogue %(title)s", title=title),
           lambda: _("The project group corrected a published answer in the market dialogue \"%(title)s\". "
                     "Every registered supplier receives the same corrected answer; read it in the supplier portal.",
                     title=title))
    return record


@dataclass
class QAOverview:
    reader: Reader
    published: Page                         # DialogueAnswer rows, newest first
    open_questions: list[DialogueQuestion]  # group: all unanswered; supplier: its own
    own_answer_ids: set[uuid.UUID] = field(default_factory=set)  # supplier: answers to its questions
    own_questions: list[DialogueQuestion] = field(default_factory=list)


def overview(procurement_id: uuid.UUID, cursor: str | None = None, limit: int = 20,
             *, prefer_supplier: bool = False) -> QAOverview:
    who = reader(procurement_id, prefer_supplier=prefer_supplier)
    published = keyset_page(
        select(DialogueAnswer).where(DialogueAnswer.procurement_id == procurement_id),
        [(DialogueAnswer.published_at, True), (DialogueAnswer.id, True)], limit=limit, cursor=cursor)
    stmt = select(DialogueQuestion).where(DialogueQuestion.procurement_id == procurement_id)
    if who.group is None:
        stmt = stmt.where(DialogueQuestion.supplier_id == who.supplier.supplier_id)
        own = list(db.session.execute(stmt.order_by(DialogueQuestion.created_at.desc())
                                      .limit(OPEN_LIST_LIMIT)).scalars())
        open_questions = [q for q in own if q.answer_id is None]
        return QAOverview(who, published, open_questions, {q.answer_id for q in own if q.answer_id}, own)
    open_questions = list(db.session.execute(
        stmt.where(DialogueQuestion.answer_id.is_(None))
        .order_by(DialogueQuestion.created_at, DialogueQuestion.id).limit(OPEN_LIST_LIMIT)).scalars())
    return QAOverview(who, published, open_questions)


def question_for_group(question_id: uuid.UUID) -> DialogueQuestion:
    question = db.session.get(DialogueQuestion, question_id)
    if question is None:
        raise NotFound(_l("No such question."))
    group_reads(question.procurement_id)
    return question
