"""The project group's side-by-side table of submitted responses (the response overview page),
read as plain rows of the columns it shows — no ORM objects — in two or three statements
whatever the number of responses: the questionnaire with its questions and the count of drafts,
the submitted responses with their suppliers and answers, and (only when the questionnaire has
an attachment question) the names of the files those responses carry.

Who may read it is `group_reads` of the questionnaire's procurement, checked before any
response is read; drafts stay the supplier's own (only their number is shown). The API and
the exports read `responses.responses_overview` instead.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import DateTime, Text, bindparam, cast, func, select, type_coerce

from core.db import UTCDateTime, db
from core.dialogue.models import (
    DialogueAttachment,
    Questionnaire,
    QuestionnaireQuestion,
    QuestionnaireResponse,
    ResponseAnswer,
    ResponseStatus,
)
from core.dialogue.rules import group_reads
from core.errors import NotFound
from core.i18n import _l
from core.suppliers.models import SupplierOrganisation


@dataclass(frozen=True, slots=True)
class Question:
    id: uuid.UUID
    position: int
    text: str
    is_attachment: bool


class Cell(NamedTuple):
    """One supplier's answer to one question, as shown: `value` is the text (str), the chosen
    options (list), the files [(id, filename)] of an attachment question, or None. A named
    tuple: the template unpacks it in its loop instead of reading each attribute through Jinja."""

    value: Any = None
    is_secret: bool = False
    secret_reason: str = ""
    shown: str = ""  # a text or choice answer as the page prints it: the text, or the options joined
    in_block: bool = False  # a text (str) answer: printed in a text block


EMPTY = Cell()


@dataclass(slots=True)
class Column:
    """One submitted response: its supplier, when it was handed in, and a cell per question."""

    supplier_id: uuid.UUID
    supplier_name: str
    submitted_at: datetime | None
    cells: list[Cell]  # in the questions' order; EMPTY where the response has no answer
    question_ids: tuple[uuid.UUID, ...]  # the questions' ids, in the same order
    label: str = ""  # submitted_at as the page shows it (set by the view)

    @property
    def answers(self) -> dict[uuid.UUID, Cell]:
        """The answered questions' cells by question id."""
        return {qid: cell for qid, cell in zip(self.question_ids, self.cells, strict=True) if cell is not EMPTY}


@dataclass(frozen=True, slots=True)
class ResponseTable:
    questionnaire_id: uuid.UUID
    procurement_id: uuid.UUID
    title: str
    drafts: int
    columns: list[Column]                         # submitted, oldest first
    rows: list[tuple[Question, list[Cell]]]       # per question (in order): a cell per column


# The answers' JSON texts as the database gives them (no surrounding whitespace): the decoder's
# scan of one value, without `json.loads`'s checks and whitespace skipping around it.
_decode = json.JSONDecoder().raw_decode
_utc = UTCDateTime().process_result_value


@cache
def _statements() -> tuple:
    """The table's three statements, built once per process (bind parameter `questionnaire_id`):
    the questionnaire with its questions and number of drafts; the submitted responses with
    supplier names and answers; the names of those responses' files."""
    questionnaire_id = bindparam("questionnaire_id", type_=Questionnaire.id.type)
    # Not correlated: the database counts the drafts once (an InitPlan), not once per question
    # row of the join (each draft passing the responses' row-level security policy each time).
    drafts = (select(func.count(QuestionnaireResponse.id))
              .where(QuestionnaireResponse.questionnaire_id == questionnaire_id,
                     QuestionnaireResponse.status == ResponseStatus.draft)
              .scalar_subquery())
    head = (select(Questionnaire.procurement_id, Questionnaire.title, drafts, QuestionnaireQuestion.id,
                   QuestionnaireQuestion.position, QuestionnaireQuestion.text, QuestionnaireQuestion.kind)
            .outerjoin(QuestionnaireQuestion, QuestionnaireQuestion.questionnaire_id == Questionnaire.id)
            .where(Questionnaire.id == questionnaire_id)
            .order_by(QuestionnaireQuestion.position))
    # The answer's JSON as its text, parsed here with `json.loads` on a str: the driver's JSON
    # loader decodes bytes and detects their encoding for each value (about twice the work).
    answers = (select(QuestionnaireResponse.id, QuestionnaireResponse.supplier_id, SupplierOrganisation.name,
                      # as the driver gives it: made UTC-aware once per response (`_utc`), not per answer row
                      type_coerce(QuestionnaireResponse.submitted_at, DateTime(timezone=True)),
                      ResponseAnswer.question_id,
                      cast(ResponseAnswer.value, Text).label("value"),
                      ResponseAnswer.is_business_secret, ResponseAnswer.secret_reason)
               .join(SupplierOrganisation, SupplierOrganisation.id == QuestionnaireResponse.supplier_id)
               .outerjoin(ResponseAnswer, ResponseAnswer.response_id == QuestionnaireResponse.id)
               .where(QuestionnaireResponse.questionnaire_id == questionnaire_id,
                      QuestionnaireResponse.status == ResponseStatus.submitted)
               .order_by(QuestionnaireResponse.submitted_at, QuestionnaireResponse.id))
    files = (select(DialogueAttachment.id, DialogueAttachment.filename)
             .join(QuestionnaireResponse, QuestionnaireResponse.id == DialogueAttachment.response_id)
             .where(QuestionnaireResponse.questionnaire_id == questionnaire_id,
                    QuestionnaireResponse.status == ResponseStatus.submitted)
             .order_by(DialogueAttachment.created_at, DialogueAttachment.id))
    return head, answers, files


def response_table(questionnaire_id: uuid.UUID) -> ResponseTable:
    """The side-by-side table of `questionnaire_id` for a project-group member (else 404)."""
    head_statement, answers_statement, files_statement = _statements()
    params = {"questionnaire_id": questionnaire_id}
    head = db.session.connection().execute(head_statement, params).all()
    if not head:
        raise NotFound(_l("No such questionnaire."))
    procurement_id, title, draft_count = head[0][0], head[0][1], head[0][2]
    group_reads(procurement_id)  # 404/403 before any response is read
    questions = [Question(r[3], r[4], r[5], r[6] == "attachment") for r in head if r[3] is not None]

    # Keyed by the ids' integers: a UUID's own __hash__ and __eq__ are Python calls, and every
    # answer row would pay them three or four times.
    at_position = {q.id.int: i for i, q in enumerate(questions)}
    question_ids = tuple(q.id for q in questions)
    columns: dict[int, Column] = {}
    answers: list[tuple[Column, int, Any, bool, str]] = []
    connection = db.session.connection()
    for (rid, supplier_id, name, submitted_at, question_id, value, secret, reason) in connection.execute(
            answers_statement, params).all():  # one fetch, not one driver call per row
        column = columns.get(rid.int)
        if column is None:
            column = columns[rid.int] = Column(supplier_id, name, _utc(submitted_at, None),
                                               [EMPTY] * len(questions), question_ids)
        position = None if question_id is None else at_position.get(question_id.int)
        if position is not None:
            answers.append((column, position, None if value is None else _decode(value)[0], secret, reason))

    files: list[tuple[uuid.UUID, str]] = []
    if columns and any(q.is_attachment for q in questions):
        files = [tuple(r) for r in connection.execute(files_statement, params)]
    for column, position, value, secret, reason in answers:
        if questions[position].is_attachment:
            if value is not None:
                chosen = set(value)  # the answer's file ids, as text
                value = [(fid, filename) for fid, filename in files if str(fid) in chosen]
            column.cells[position] = Cell(value, secret, reason)
        elif isinstance(value, str):
            column.cells[position] = Cell(value, secret, reason, value, True)
        else:  # the chosen options (as Jinja's `join` printed them), or no value
            column.cells[position] = Cell(value, secret, reason, "" if value is None else ", ".join(map(str, value)))

    ordered = list(columns.values())
    rows = [(q, [c.cells[i] for c in ordered]) for i, q in enumerate(questions)]
    return ResponseTable(questionnaire_id, procurement_id, title, draft_count, ordered, rows)
