"""Questionnaires for feedback and solution proposals (project group side).

Questions are free text, a single choice, several choices, or attachments; they may come
from the procurement's template or a domain plugin (`source`). A questionnaire is drafted,
then opened to every registered supplier at once; from then on its title, introduction and
questions are fixed so every supplier answers the same thing. The deadline may be moved (for
everyone alike, and they are told). Edits carry the questionnaire's `version` (optimistic
concurrency, as for procurements: stale `version` 409, stale `If-Match` 412).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from core import audit
from core.api.preconditions import check_version
from core.db import db, utcnow
from core.dialogue.audience import registered_supplier_people
from core.dialogue.models import QuestionKind, Questionnaire, QuestionnaireQuestion
from core.dialogue.rules import Reader, group_writes, reader
from core.errors import Conflict, NotFound, ValidationError
from core.i18n import _l, localtime
from core.notifications.service import notify
from core.plugin_platform.host import questionnaire_questions
from core.procurement.models import Procurement

MAX_QUESTIONS = 100


def question_problems(item: dict[str, Any]) -> dict[str, list]:
    """What is wrong with one question, by the part it concerns (`kind`, `text`, `options`);
    empty when the question is fine. Forms use the parts to put each message next to its field."""
    kind = item.get("kind", "text")
    text = (item.get("text") or "").strip()
    options = [str(o).strip() for o in (item.get("options") or []) if str(o).strip()]
    problems: dict[str, list] = {}
    if kind not in QuestionKind.__members__:
        problems["kind"] = [_l("Unknown kind of question.")]
    if not text or len(text) > 5000:
        problems["text"] = [_l("A question text of 1-5000 characters is required.")]
    if kind in ("choice", "multichoice") and len(set(options)) < 2:
        problems["options"] = [_l("A choice question needs at least two different options.")]
    return problems


def _clean_questions(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw or len(raw) > MAX_QUESTIONS:
        raise ValidationError(_l("Add at least one question."),
                              errors={"questions": [_l("1-%(max)d questions.", max=MAX_QUESTIONS)]})
    clean, errors = [], {}
    for i, item in enumerate(raw):
        problems = question_problems(item)
        if problems:
            errors[f"questions.{i}"] = [m for part in ("kind", "text", "options") for m in problems.get(part, [])]
            continue
        kind = item.get("kind", "text")
        options = [str(o).strip() for o in (item.get("options") or []) if str(o).strip()]
        clean.append({"kind": QuestionKind(kind), "text": (item.get("text") or "").strip(),
                      "help": (item.get("help") or "").strip()[:5000],
                      "options": list(dict.fromkeys(options)) if kind in ("choice", "multichoice") else [],
                      "required": bool(item.get("required")), "source": (item.get("source") or "custom")[:80]})
    if errors:
        raise ValidationError(_l("Some questions are invalid."), errors=errors)
    return clean


def _check_deadline(deadline: Any) -> datetime:
    if not isinstance(deadline, datetime):
        raise ValidationError(_l("A deadline is required."), errors={"deadline": [_l("A date and time.")]})
    if deadline <= utcnow():
        raise ValidationError(_l("The deadline must be in the future."),
                              errors={"deadline": [_l("Must be in the future.")]})
    return deadline


def _snapshot(q: Questionnaire) -> dict[str, Any]:
    return {"title": q.title, "intro": q.intro, "deadline": q.deadline, "opened_at": q.opened_at,
            "questions": [{"kind": x.kind.value, "text": x.text, "help": x.help, "options": x.options,
                           "required": x.required}
                          for x in q.questions]}


def create_questionnaire(procurement_id: uuid.UUID, *, title: str, deadline: datetime, questions: list[dict],
                         intro: str = "", open_now: bool = False) -> Questionnaire:
    access = group_writes(procurement_id)
    title = (title or "").strip()
    errors: dict[str, list] = {}
    details = []
    if not title or len(title) > 300:
        errors["title"], details = [_l("1-300 characters.")], [_l("A title is required.")]
    clean: list[dict[str, Any]] = []
    for check in (lambda: _check_deadline(deadline), lambda: clean.extend(_clean_questions(questions))):
        try:
            check()
        except ValidationError as exc:
            errors.update(exc.errors)
            details.append(exc.detail)
    if errors:  # every problem at once, each next to its field
        raise ValidationError(details[0] if len(details) == 1 else _l("The questionnaire is invalid."), errors=errors)
    questionnaire = Questionnaire(id=uuid.uuid4(), procurement_id=procurement_id, title=title,
                                  intro=(intro or "").strip()[:20000], deadline=deadline,
                                  created_by_id=access.principal.user.id)
    for position, item in enumerate(clean, start=1):
        questionnaire.questions.append(QuestionnaireQuestion(procurement_id=procurement_id, position=position, **item))
    db.session.add(questionnaire)
    db.session.flush()
    audit.record("questionnaire.created", "dialogue_questionnaire", questionnaire.id,
                 tenant_id=access.acting_tenant_id, procurement_id=procurement_id,
                 changes={"after": _snapshot(questionnaire)})
    if open_now:
        open_questionnaire(questionnaire.id)
    return questionnaire


def _for_group_write(questionnaire_id: uuid.UUID):
    questionnaire = db.session.get(Questionnaire, questionnaire_id)
    if questionnaire is None:
        raise NotFound(_l("No such questionnaire."))
    return questionnaire, group_writes(questionnaire.procurement_id)


def _same_questions(questionnaire: Questionnaire, clean: list[dict[str, Any]]) -> bool:
    keys = ("kind", "text", "help", "options", "required", "source")
    return [tuple(getattr(q, k) for k in keys) for q in questionnaire.questions] == \
        [tuple(item[k] for k in keys) for item in clean]


def update_questionnaire(questionnaire_id: uuid.UUID, *, title: str | None = None, intro: str | None = None,
                         questions: list[dict] | None = None, deadline: datetime | None = None,
                         expected_version: int | None = None,
                         if_match_version: int | None = None) -> Questionnaire:
    """Change a questionnaire; a None argument leaves that part as it is.

    A draft may change in everything. Once it is opened, suppliers may already have answered:
    the title, introduction and questions are then fixed (409) so every supplier answers the
    same thing, and only the deadline moves — for everyone alike (`move_deadline`).
    A stale `expected_version` (a `version` sent back) answers 409, a stale `if_match_version`
    (from `If-Match`) 412; a concurrent writer caught at flush time answers 409.
    """
    questionnaire, access = _for_group_write(questionnaire_id)
    check_version(questionnaire.version, if_match=if_match_version, expected=expected_version,
                  refetch=_l("The questionnaire was changed by someone else; fetch it again."),
                  reopen=_l("The questionnaire was changed by someone else since you opened it."))
    content_change = title is not None or intro is not None or questions is not None
    if questionnaire.opened_at is not None:
        if content_change:
            raise Conflict(_l("The questionnaire is open: its questions are fixed so every supplier answers the same. "
                              "Only the deadline can be moved, for everyone alike."),
                           errors={"questions": [_l("Fixed once the questionnaire is open.")]})
        return move_deadline(questionnaire_id, deadline) if deadline is not None else questionnaire
    before = _snapshot(questionnaire)
    errors: dict[str, list[str]] = {}
    clean = None
    if title is not None:
        title = title.strip()
        if not title or len(title) > 300:
            errors["title"] = [_l("1-300 characters.")]
    if deadline is not None and deadline != questionnaire.deadline:
        try:
            _check_deadline(deadline)
        except ValidationError as exc:
            errors.update(exc.errors)
    if questions is not None:
        try:
            clean = _clean_questions(questions)
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:  # every problem at once, each next to its field
        raise ValidationError(_l("The questionnaire is invalid."), errors=errors)
    if clean is not None and not _same_questions(questionnaire, clean):
        questionnaire.questions.clear()
        db.session.flush()  # the old positions are free before the new rows take them
        for position, item in enumerate(clean, start=1):
            questionnaire.questions.append(
                QuestionnaireQuestion(procurement_id=questionnaire.procurement_id, position=position, **item))
        flag_modified(questionnaire, "title")  # new questions are a new version of the questionnaire
    if title is not None:
        questionnaire.title = title
    if intro is not None:
        questionnaire.intro = intro.strip()[:20000]
    if deadline is not None:
        questionnaire.deadline = deadline
    change = audit.diff(before, _snapshot(questionnaire))
    if not change["after"]:
        return questionnaire
    try:
        db.session.flush()
    except StaleDataError:  # someone saved in between (the version moved under us)
        raise Conflict(_l("The questionnaire was changed by someone else at the same time; try again.")) from None
    audit.record("questionnaire.changed", "dialogue_questionnaire", questionnaire.id,
                 tenant_id=access.acting_tenant_id, procurement_id=questionnaire.procurement_id, changes=change)
    return questionnaire


def open_questionnaire(questionnaire_id: uuid.UUID) -> Questionnaire:
    """Open to every registered supplier at the same moment, and tell them."""
    questionnaire, access = _for_group_write(questionnaire_id)
    if questionnaire.opened_at is not None:
        return questionnaire
    if questionnaire.deadline <= utcnow():
        raise ValidationError(_l("The deadline has passed; move it first."),
                              errors={"deadline": [_l("Must be in the future.")]})
    questionnaire.opened_at = utcnow()
    db.session.flush()
    audit.record("questionnaire.opened", "dialogue_questionnaire", questionnaire.id,
                 tenant_id=access.acting_tenant_id, procurement_id=questionnaire.procurement_id,
                 changes={"after": {"opened_at": questionnaire.opened_at}})
    title, deadline = questionnaire.title, questionnaire.deadline
    notify(registered_supplier_people(questionnaire.procurement_id),
           lambda: _("Feedback requested: %(title)s", title=title),
           lambda: _("A questionnaire \"%(title)s\" is open in the supplier portal. Deadline: %(deadline)s "
                     "(Norwegian time). Late responses cannot be accepted.", title=title,
                     deadline=localtime(deadline)))
    return questionnaire


def move_deadline(questionnaire_id: uuid.UUID, deadline: datetime) -> Questionnaire:
    """A new deadline, the same for every supplier; once open, every registered supplier is told.

    Suppliers may change their responses until the deadline, so one who already submitted
    can use a later deadline as well as anybody else (nothing is lost by having answered early).
    """
    questionnaire, access = _for_group_write(questionnaire_id)
    before = {"deadline": questionnaire.deadline}
    questionnaire.deadline = _check_deadline(deadline)
    if questionnaire.deadline == before["deadline"]:
        return questionnaire
    db.session.flush()
    audit.record("questionnaire.deadline_moved", "dialogue_questionnaire", questionnaire.id,
                 tenant_id=access.acting_tenant_id, procurement_id=questionnaire.procurement_id,
                 changes=audit.diff(before, {"deadline": questionnaire.deadline}))
    if questionnaire.opened_at is not None:
        title, new_deadline = questionnaire.title, questionnaire.deadline
        notify(registered_supplier_people(questionnaire.procurement_id),
               lambda: _("New deadline: %(title)s", title=title),
               lambda: _("The deadline of the questionnaire \"%(title)s\" is now %(deadline)s (Norwegian time), "
                         "the same for every supplier. You can change your response until then.",
                         title=title, deadline=localtime(new_deadline)))
    return questionnaire


def list_questionnaires(procurement_id: uuid.UUID, *,
                        prefer_supplier: bool = False) -> tuple[Reader, list[Questionnaire]]:
    """All questionnaires for the project group; opened ones for registered suppliers."""
    who = reader(procurement_id, prefer_supplier=prefer_supplier)
    stmt = select(Questionnaire).where(Questionnaire.procurement_id == procurement_id)
    if who.group is None:
        stmt = stmt.where(Questionnaire.opened_at.is_not(None))
    stmt = stmt.order_by(Questionnaire.created_at, Questionnaire.id).limit(200)
    return who, list(db.session.execute(stmt).scalars())


def get_questionnaire(questionnaire_id: uuid.UUID, *, prefer_supplier: bool = False) -> tuple[Reader, Questionnaire]:
    questionnaire = db.session.get(Questionnaire, questionnaire_id)
    if questionnaire is None:
        raise NotFound(_l("No such questionnaire."))
    who = reader(questionnaire.procurement_id, prefer_supplier=prefer_supplier)
    if who.group is None and questionnaire.opened_at is None:
        raise NotFound(_l("No such questionnaire."))
    return who, questionnaire


def suggested_questions(procurement: Procurement) -> list[dict[str, Any]]:
    """Questions offered by the domain plugins the lead tenant enabled (hook
    `samspill_questionnaire_questions`, shaped for the dialogue by the plugin host)."""
    return questionnaire_questions(procurement)
