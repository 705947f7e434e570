"""Supplier responses to questionnaires: drafts, submission, business secrets, hard deadlines.

- A supplier reads, saves and submits only its own response; it may change it until the
  deadline. Server time decides; after the deadline every save, submit and upload is refused
  (`DeadlinePassed`) before anything is written, and a save that started before the deadline
  but would commit after it is refused when it commits (`core.deadlines`).
- Any answer may be marked a business secret with a reason. Secrets stay inside the
  procurement: only internal exports carry them (see `core.dialogue.exports`).
- The project group sees submitted responses side by side; drafts stay the supplier's own.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, func, null, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload, load_only
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.datastructures import FileStorage

from core import audit
from core.db import db, utcnow
from core.deadlines import RowDeadline
from core.dialogue import attachments
from core.dialogue.models import (
    AttachmentKind,
    DialogueAttachment,
    DialogueRegistration,
    QuestionKind,
    Questionnaire,
    QuestionnaireQuestion,
    QuestionnaireResponse,
    ResponseAnswer,
    ResponseStatus,
)
from core.dialogue.rules import SupplierInDialogue, group_reads, supplier_reads, supplier_writes_read
from core.errors import Conflict, DeadlinePassed, NotFound, PreconditionFailed, ValidationError
from core.i18n import _l, localtime
from core.procurement.models import Procurement
from core.suppliers.service import supplier_context

MAX_TEXT = 50000


def _questionnaire(questionnaire_id: uuid.UUID) -> Questionnaire:
    questionnaire = db.session.get(Questionnaire, questionnaire_id)
    if questionnaire is None:
        raise NotFound(_l("No such questionnaire."))
    return questionnaire


def _own_response(questionnaire: Questionnaire, supplier_id: uuid.UUID) -> QuestionnaireResponse | None:
    return db.session.execute(select(QuestionnaireResponse).where(
        QuestionnaireResponse.questionnaire_id == questionnaire.id,
        QuestionnaireResponse.supplier_id == supplier_id)).scalar_one_or_none()


@dataclass
class OwnResponse:
    actor: SupplierInDialogue
    questionnaire: Questionnaire
    response: QuestionnaireResponse | None
    files: dict[uuid.UUID, DialogueAttachment]

    @property
    def is_open(self) -> bool:
        return utcnow() < self.questionnaire.deadline and not self.actor.procurement.is_frozen_for_dialogue


def _files_of(response: QuestionnaireResponse | None) -> dict[uuid.UUID, DialogueAttachment]:
    if response is None:
        return {}
    rows = db.session.execute(select(DialogueAttachment).where(
        DialogueAttachment.response_id == response.id)).scalars()
    return {a.id: a for a in rows}


def my_response(questionnaire_id: uuid.UUID) -> OwnResponse:
    questionnaire = _questionnaire(questionnaire_id)
    actor = supplier_reads(questionnaire.procurement_id)
    if questionnaire.opened_at is None:
        raise NotFound(_l("No such questionnaire."))
    response = _own_response(questionnaire, actor.supplier_id)
    return OwnResponse(actor, questionnaire, response, _files_of(response))


def _built_once(build: Callable[[], Any]) -> Callable[[], Any]:
    """A statement built on first use and kept (bind parameters only): the save's hot path
    does not build its statements anew on every request."""
    built: list[Any] = []

    def statement() -> Any:
        if not built:
            built.append(build())
        return built[0]
    return statement


def _writable_statement(with_response: bool) -> Any:
    registered = and_(DialogueRegistration.procurement_id == Questionnaire.procurement_id,
                      DialogueRegistration.supplier_id == bindparam("supplier_id"))
    entities: list[Any] = [Questionnaire, Procurement, DialogueRegistration]
    if with_response:
        entities.append(QuestionnaireResponse)
    stmt = (select(*entities)
            .outerjoin(Procurement, Procurement.id == Questionnaire.procurement_id)
            .outerjoin(DialogueRegistration, registered)
            .where(Questionnaire.id == bindparam("questionnaire_id"))
            # What the checks, the audit entry and the answer need of each; the rest loads if used
            # (of the registration only that there is one).
            .options(load_only(Questionnaire.procurement_id, Questionnaire.title, Questionnaire.deadline,
                               Questionnaire.opened_at),
                     load_only(Procurement.lead_tenant_id, Procurement.phase, Procurement.status,
                               Procurement.dialogue_open),
                     load_only(DialogueRegistration.id), lazyload(DialogueRegistration.supplier)))
    if with_response:
        stmt = (stmt.outerjoin(QuestionnaireResponse, and_(
                    QuestionnaireResponse.questionnaire_id == Questionnaire.id,
                    QuestionnaireResponse.supplier_id == bindparam("supplier_id")))
                .options(lazyload(Questionnaire.questions), lazyload(QuestionnaireResponse.answers),
                         lazyload(QuestionnaireResponse.supplier)))
    return stmt


def _questions_statement(with_answers: bool) -> Any:
    stmt = (select(QuestionnaireQuestion, ResponseAnswer).outerjoin(ResponseAnswer, and_(
                ResponseAnswer.question_id == QuestionnaireQuestion.id,
                ResponseAnswer.response_id == bindparam("response_id")))
            if with_answers else select(QuestionnaireQuestion, null()))
    # What the save and its answer use of a question (not its texts).
    return (stmt.where(QuestionnaireQuestion.questionnaire_id == bindparam("questionnaire_id"))
            .options(load_only(QuestionnaireQuestion.position, QuestionnaireQuestion.kind,
                               QuestionnaireQuestion.options, QuestionnaireQuestion.required))
            .order_by(QuestionnaireQuestion.position))


_WRITABLE = _built_once(lambda: _writable_statement(False))
_WRITABLE_WITH_RESPONSE = _built_once(lambda: _writable_statement(True))
_QUESTIONS = _built_once(lambda: _questions_statement(False))
_QUESTIONS_AND_ANSWERS = _built_once(lambda: _questions_statement(True))
# The questionnaire's deadline, read again at commit.
_DEADLINE = RowDeadline(Questionnaire.deadline, Questionnaire.id, "deadline_questionnaire_id")


def _writable(questionnaire_id: uuid.UUID) -> tuple[SupplierInDialogue, Questionnaire]:
    """Checks before anything is written: access, freeze, opened, deadline (server time)."""
    actor, questionnaire, _response = _writable_with_response(questionnaire_id, with_response=False)
    return actor, questionnaire


def _writable_with_response(questionnaire_id: uuid.UUID, *, with_response: bool = True
                            ) -> tuple[SupplierInDialogue, Questionnaire, QuestionnaireResponse | None]:
    """`_writable`, and (`with_response`) the caller's own response, if it has one.

    The questionnaire, its procurement, the caller's registration and its response come in one
    statement; `supplier_writes_read` applies `supplier_writes`' rules to them. The response's
    answers are loaded with the questionnaire's questions (`_questions_and_answers`)."""
    context = supplier_context()
    stmt = _WRITABLE_WITH_RESPONSE() if with_response else _WRITABLE()
    row = db.session.execute(stmt, {"questionnaire_id": questionnaire_id,
                                    "supplier_id": context.supplier_id if context else None}).one_or_none()
    if row is None:
        raise NotFound(_l("No such questionnaire."))
    questionnaire, procurement, registration, *rest = row
    response = rest[0] if rest else None
    actor = supplier_writes_read(procurement, registration)
    if questionnaire.opened_at is None:
        raise NotFound(_l("No such questionnaire."))
    deadline = questionnaire.deadline

    def too_late() -> DeadlinePassed:
        return DeadlinePassed(
            _l("The deadline (%(deadline)s, Norwegian time) has passed. The response can no longer be "
               "submitted or changed.", deadline=localtime(deadline)),
            errors={"deadline": [_l("The deadline has passed.")]}, deadline=deadline.isoformat())

    if utcnow() >= deadline:
        raise too_late()
    _DEADLINE.refuse_after(db.session, questionnaire.id, too_late)
    if with_response:
        _questions_and_answers(questionnaire, response)
    return actor, questionnaire, response


def _questions_and_answers(questionnaire: Questionnaire, response: QuestionnaireResponse | None) -> None:
    """The questionnaire's questions and the response's answers, one statement: each question
    with its answer (at most one per question, `uq_dialogue_answers_question`; every answer is
    to one of the questionnaire's questions, which are fixed once it is opened)."""
    stmt = _QUESTIONS() if response is None else _QUESTIONS_AND_ANSWERS()
    rows = db.session.execute(stmt, {"questionnaire_id": questionnaire.id,
                                     "response_id": response.id if response else None}).all()
    set_committed_value(questionnaire, "questions", [question for question, _answer in rows])
    if response is not None:
        set_committed_value(response, "answers", [answer for _question, answer in rows if answer is not None])


def _value(question, raw: Any, files: dict[uuid.UUID, DialogueAttachment]) -> Any:
    kind = question.kind
    if raw in (None, "", []):
        return None
    if kind == QuestionKind.text:
        text = str(raw).replace("\r\n", "\n").strip()
        if len(text) > MAX_TEXT:
            raise ValueError(_l("At most %(max)d characters.", max=MAX_TEXT))
        return text or None
    if kind == QuestionKind.choice:
        if raw not in question.options:
            raise ValueError(_l("Choose one of the options."))
        return raw
    if kind == QuestionKind.multichoice:
        chosen = raw if isinstance(raw, list) else [raw]
        if any(c not in question.options for c in chosen):
            raise ValueError(_l("Choose among the options."))
        return [o for o in question.options if o in chosen]
    ids = raw if isinstance(raw, list) else [raw]
    try:
        parsed = [uuid.UUID(str(i)) for i in ids]
    except ValueError:
        raise ValueError(_l("Unknown file.")) from None
    if any(i not in files for i in parsed):
        raise ValueError(_l("Unknown file."))
    return [str(i) for i in parsed]


_UNREAD: Any = object()


def _ensure_response(actor: SupplierInDialogue, questionnaire: Questionnaire,
                     response: QuestionnaireResponse | None = _UNREAD) -> QuestionnaireResponse:
    """The supplier's one response, made on first save (`response`: the one already read in this
    transaction, if any). Two first saves at the same moment (two colleagues, a double click) are
    one response: the later one continues on the row the earlier one committed, as if it had
    come just after it."""
    return _made_or_existing(actor, questionnaire, response)[0]


def _made_or_existing(actor: SupplierInDialogue, questionnaire: Questionnaire,
                      response: QuestionnaireResponse | None = _UNREAD, *, submit: bool = False
                      ) -> tuple[QuestionnaireResponse, bool]:
    """`_ensure_response`, and whether this request made it. A response made now is inserted
    as the save leaves it (with `submit`: submitted, at the same moment as its update time; a
    refused save rolls the insert back) and has no answers yet: neither read nor updated again."""
    if response is _UNREAD:
        response = _own_response(questionnaire, actor.supplier_id)
    if response is not None:
        return response, False
    now = utcnow()
    response = QuestionnaireResponse(id=uuid.uuid4(), questionnaire_id=questionnaire.id,
                                     procurement_id=questionnaire.procurement_id,
                                     supplier_id=actor.supplier_id, updated_by_id=actor.context.user.id,
                                     status=ResponseStatus.submitted if submit else ResponseStatus.draft,
                                     submitted_at=now if submit else None, updated_at=now)
    db.session.add(response)
    try:  # no savepoint: on SQLite releasing one that began the transaction would commit it
        db.session.flush()
    except IntegrityError:  # uq_dialogue_responses_supplier: a concurrent first save committed
        db.session.rollback()  # nothing else was written yet in this request
        # The rollback ended the transaction and with it the commit-time deadline check:
        # take the request's checks again (access, freeze, deadline) in the new one.
        actor, questionnaire = _writable(questionnaire.id)
        response = _own_response(questionnaire, actor.supplier_id)
        if response is None:
            raise Conflict(_l("The response was changed elsewhere. Reload and try again.")) from None
        return response, False
    set_committed_value(response, "answers", [])  # just inserted: none (no read)
    return response, True


def save_response(questionnaire_id: uuid.UUID, answers: list[dict[str, Any]], *, submit: bool = False,
                  expected_version: int | None = None,
                  uploads: dict[uuid.UUID, list[FileStorage]] | None = None) -> QuestionnaireResponse:
    """Save the caller's own response (replacing its answers); `submit` hands it in.

    `answers`: [{"question_id", "value", "business_secret", "secret_reason"}]. `uploads` are
    new files for attachment questions (the HTML form), added to the answer's files.
    """
    return save_own_response(questionnaire_id, answers, submit=submit, expected_version=expected_version,
                             uploads=uploads).response


def save_own_response(questionnaire_id: uuid.UUID, answers: list[dict[str, Any]], *, submit: bool = False,
                      expected_version: int | None = None,
                      uploads: dict[uuid.UUID, list[FileStorage]] | None = None) -> OwnResponse:
    """`save_response`, answering with the saved response as `my_response` would read it after
    the commit (flushed, so its version and times are final), without reading it all again:
    the deadline rush's hot path (docs/benchmarks.md)."""
    actor, questionnaire, existing = _writable_with_response(questionnaire_id)
    if existing is not None and expected_version is not None and existing.version != expected_version:
        raise PreconditionFailed(_l("The response was changed elsewhere. Reload and try again."))
    questions = {q.id: q for q in questionnaire.questions}
    by_question: dict[uuid.UUID, dict[str, Any]] = {}
    errors: dict[str, list[str]] = {}
    for item in answers or []:
        try:
            qid = uuid.UUID(str(item.get("question_id")))
        except ValueError:
            qid = None
        if qid not in questions:
            errors["answers"] = [_l("Unknown question.")]
            continue
        by_question[qid] = item
    response, made = _made_or_existing(actor, questionnaire, existing, submit=submit)
    # Files belong to attachment questions only (an upload is refused for any other kind, and the
    # questions are fixed once the questionnaire is opened): without one there are none to read.
    files = _files_of(response) if any(q.kind == QuestionKind.attachment for q in questions.values()) else {}
    for qid, new_files in (uploads or {}).items():
        if qid in questions and questions[qid].kind == QuestionKind.attachment:
            item = by_question.setdefault(qid, {"question_id": str(qid), "value": []})
            for upload in new_files:
                if upload and upload.filename:
                    stored = attachments.store(questionnaire.procurement_id, AttachmentKind.response, upload,
                                               uploaded_by_id=actor.context.user.id,
                                               supplier_id=actor.supplier_id, response_id=response.id)
                    files[stored.id] = stored
                    item["value"] = list(item.get("value") or []) + [str(stored.id)]
    before = _answers_snapshot(response)
    clean: dict[uuid.UUID, tuple[Any, bool, str]] = {}
    for qid, item in by_question.items():
        try:
            value = _value(questions[qid], item.get("value"), files)
        except ValueError as exc:
            errors[f"q-{qid}"] = [exc.args[0]]  # an _l message, translated when shown
            continue
        secret = bool(item.get("business_secret"))
        reason = (item.get("secret_reason") or "").strip()
        if secret and not reason:
            errors[f"secret-{qid}"] = [_l("Give a reason for the business secret.")]
        clean[qid] = (value, secret, reason[:2000] if secret else "")
    if submit:
        for q in questionnaire.questions:
            if q.required and clean.get(q.id, (None,))[0] in (None, []):
                errors.setdefault(f"q-{q.id}", []).append(_l("An answer is required."))
    if errors:
        raise ValidationError(_l("Some answers need attention."), errors=errors)
    current = {a.question_id: a for a in response.answers}
    for qid, (value, secret, reason) in clean.items():
        answer = current.pop(qid, None)
        if answer is None:
            answer = ResponseAnswer(question_id=qid, procurement_id=questionnaire.procurement_id,
                                    supplier_id=actor.supplier_id)
            response.answers.append(answer)
        answer.value, answer.is_business_secret, answer.secret_reason = value, secret, reason
    for answer in current.values():
        response.answers.remove(answer)
    used = {i for value, _s, _r in clean.values() if isinstance(value, list) for i in value}
    for attachment_id, attachment in files.items():
        if str(attachment_id) not in used:
            attachments.delete(attachment)
    was = ResponseStatus.draft if made else response.status
    if not made:  # one made now was inserted as saved
        if submit and response.status == ResponseStatus.draft:
            response.status = ResponseStatus.submitted
            response.submitted_at = utcnow()
        response.updated_by_id = actor.context.user.id
        response.updated_at = utcnow()
    try:
        db.session.flush()
    except StaleDataError:  # a colleague saved the same response in between
        raise PreconditionFailed(_l("The response was changed elsewhere. Reload and try again.")) from None
    action = ("response.submitted" if submit and was == ResponseStatus.draft
              else "response.changed" if was == ResponseStatus.submitted else "response.saved")
    audit.record(action, "dialogue_response", response.id, tenant_id=actor.procurement.lead_tenant_id,
                 procurement_id=questionnaire.procurement_id,
                 changes={"supplier": actor.context.name, "questionnaire": questionnaire.title,
                          **audit.diff(before, _answers_snapshot(response))})
    kept = {attachment_id: attachment for attachment_id, attachment in files.items() if str(attachment_id) in used}
    return OwnResponse(actor, questionnaire, response, kept)


def ordered_answers(questionnaire: Questionnaire, response: QuestionnaireResponse | None) -> list[ResponseAnswer]:
    """A response's answers in the questionnaire's order."""
    position = {q.id: q.position for q in questionnaire.questions}
    return sorted(response.answers if response else [], key=lambda a: position.get(a.question_id, 0))


def _answers_snapshot(response: QuestionnaireResponse) -> dict[str, Any]:
    # The audit keeps that an answer changed and whether it is secret — never a secret's content.
    return {str(a.question_id): ({"secret": True} if a.is_business_secret else {"value": a.value})
            for a in response.answers}


def upload_attachment(questionnaire_id: uuid.UUID, question_id: uuid.UUID | str,
                      upload: FileStorage | None) -> DialogueAttachment:
    """Store a file for an attachment question (API); reference its id in the answer's value."""
    actor, questionnaire = _writable(questionnaire_id)
    question = next((q for q in questionnaire.questions if str(q.id) == str(question_id)), None)
    if question is None or question.kind != QuestionKind.attachment:
        raise ValidationError(_l("Not an attachment question."),
                              errors={"question_id": [_l("Not an attachment question.")]})
    response = _ensure_response(actor, questionnaire)
    stored = attachments.store(questionnaire.procurement_id, AttachmentKind.response, upload,
                               uploaded_by_id=actor.context.user.id, supplier_id=actor.supplier_id,
                               response_id=response.id)
    audit.record("response.file_uploaded", "dialogue_attachment", stored.id,
                 tenant_id=actor.procurement.lead_tenant_id, procurement_id=questionnaire.procurement_id,
                 changes={"after": {"supplier": actor.context.name, "filename": stored.filename}})
    return stored


@dataclass
class ResponsesOverview:
    questionnaire: Questionnaire
    responses: list[QuestionnaireResponse]      # submitted, oldest first
    files: dict[uuid.UUID, DialogueAttachment]
    drafts: int

    def answer(self, response: QuestionnaireResponse, question_id: uuid.UUID) -> ResponseAnswer | None:
        return next((a for a in response.answers if a.question_id == question_id), None)


def responses_overview(questionnaire_id: uuid.UUID) -> ResponsesOverview:
    """Every submitted response side by side, for the project group — a fixed number of queries."""
    questionnaire = _questionnaire(questionnaire_id)
    group_reads(questionnaire.procurement_id)
    responses = list(db.session.execute(
        select(QuestionnaireResponse).where(QuestionnaireResponse.questionnaire_id == questionnaire.id,
                                            QuestionnaireResponse.status == ResponseStatus.submitted)
        .order_by(QuestionnaireResponse.submitted_at, QuestionnaireResponse.id)).scalars())
    files = {a.id: a for a in db.session.execute(
        select(DialogueAttachment)
        .join(QuestionnaireResponse, QuestionnaireResponse.id == DialogueAttachment.response_id)
        .where(QuestionnaireResponse.questionnaire_id == questionnaire.id,
               QuestionnaireResponse.status == ResponseStatus.submitted)).scalars()}
    drafts = db.session.execute(select(func.count(QuestionnaireResponse.id)).where(
        QuestionnaireResponse.questionnaire_id == questionnaire.id,
        QuestionnaireResponse.status == ResponseStatus.draft)).scalar_one()
    return ResponsesOverview(questionnaire, responses, files, drafts)
