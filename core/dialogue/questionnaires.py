"""Questionnaires for feedback and solution proposals (project group side).

Questions are free text, a single choice, several choices, or attachments; they may come
from the procurement's template or a domain plugin (`source`). A questionnaire is drafted,
then opened to every registered supplier at once; from then on its questions are fixed so
every supplier answers the same thing. The deadline may be moved (for everyone alike).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from core import audit
from core.db import db, utcnow
from core.dialogue.audience import registered_supplier_people
from core.dialogue.models import QuestionKind, Questionnaire, QuestionnaireQuestion
from core.dialogue.rules import Reader, group_writes, reader
from core.errors import Conflict, NotFound, ValidationError
from core.i18n import localtime
from core.notifications.service import notify
from core.procurement.models import Procurement

MAX_QUESTIONS = 100


def _clean_questions(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not raw or len(raw) > MAX_QUESTIONS:
        raise ValidationError("Add at least one question.", errors={"questions": [f"1-{MAX_QUESTIONS} questions."]})
    clean, errors = [], {}
    for i, item in enumerate(raw):
        kind = item.get("kind", "text")
        text = (item.get("text") or "").strip()
        options = [str(o).strip() for o in (item.get("options") or []) if str(o).strip()]
        problems = []
        if kind not in QuestionKind.__members__:
            problems.append("Unknown kind of question.")
        if not text or len(text) > 5000:
            problems.append("A question text of 1-5000 characters is required.")
        if kind in ("choice", "multichoice") and len(set(options)) < 2:
            problems.append("A choice question needs at least two different options.")
        if problems:
            errors[f"questions.{i}"] = problems
            continue
        clean.append({"kind": QuestionKind(kind), "text": text, "help": (item.get("help") or "").strip()[:5000],
                      "options": list(dict.fromkeys(options)) if kind in ("choice", "multichoice") else [],
                      "required": bool(item.get("required")), "source": (item.get("source") or "custom")[:80]})
    if errors:
        raise ValidationError("Some questions are invalid.", errors=errors)
    return clean


def _check_deadline(deadline: Any) -> datetime:
    if not isinstance(deadline, datetime):
        raise ValidationError("A deadline is required.", errors={"deadline": ["A date and time."]})
    if deadline <= utcnow():
        raise ValidationError("The deadline must be in the future.", errors={"deadline": ["Must be in the future."]})
    return deadline


def _snapshot(q: Questionnaire) -> dict[str, Any]:
    return {"title": q.title, "intro": q.intro, "deadline": q.deadline, "opened_at": q.opened_at,
            "questions": [{"kind": x.kind.value, "text": x.text, "options": x.options, "required": x.required}
                          for x in q.questions]}


def create_questionnaire(procurement_id: uuid.UUID, *, title: str, deadline: datetime, questions: list[dict],
                         intro: str = "", open_now: bool = False) -> Questionnaire:
    access = group_writes(procurement_id)
    title = (title or "").strip()
    if not title or len(title) > 300:
        raise ValidationError("A title is required.", errors={"title": ["1-300 characters."]})
    clean = _clean_questions(questions)
    questionnaire = Questionnaire(id=uuid.uuid4(), procurement_id=procurement_id, title=title,
                                  intro=(intro or "").strip()[:20000], deadline=_check_deadline(deadline),
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
        raise NotFound("No such questionnaire.")
    return questionnaire, group_writes(questionnaire.procurement_id)


def update_questionnaire(questionnaire_id: uuid.UUID, *, title: str, intro: str,
                         questions: list[dict]) -> Questionnaire:
    """Change a questionnaire that is not opened yet."""
    questionnaire, access = _for_group_write(questionnaire_id)
    if questionnaire.opened_at is not None:
        raise Conflict("The questionnaire is open: its questions are fixed so every supplier answers the same.")
    before = _snapshot(questionnaire)
    title = (title or "").strip()
    if not title or len(title) > 300:
        raise ValidationError("A title is required.", errors={"title": ["1-300 characters."]})
    clean = _clean_questions(questions)
    questionnaire.title, questionnaire.intro = title, (intro or "").strip()[:20000]
    questionnaire.questions.clear()
    db.session.flush()
    for position, item in enumerate(clean, start=1):
        questionnaire.questions.append(
            QuestionnaireQuestion(procurement_id=questionnaire.procurement_id, position=position, **item))
    db.session.flush()
    audit.record("questionnaire.changed", "dialogue_questionnaire", questionnaire.id,
                 tenant_id=access.acting_tenant_id, procurement_id=questionnaire.procurement_id,
                 changes=audit.diff(before, _snapshot(questionnaire)))
    return questionnaire


def open_questionnaire(questionnaire_id: uuid.UUID) -> Questionnaire:
    """Open to every registered supplier at the same moment, and tell them."""
    questionnaire, access = _for_group_write(questionnaire_id)
    if questionnaire.opened_at is not None:
        return questionnaire
    if questionnaire.deadline <= utcnow():
        raise ValidationError("The deadline has passed; move it first.",
                              errors={"deadline": ["Must be in the future."]})
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
    """A new deadline, the same for every supplier."""
    questionnaire, access = _for_group_write(questionnaire_id)
    before = {"deadline": questionnaire.deadline}
    questionnaire.deadline = _check_deadline(deadline)
    db.session.flush()
    audit.record("questionnaire.deadline_moved", "dialogue_questionnaire", questionnaire.id,
                 tenant_id=access.acting_tenant_id, procurement_id=questionnaire.procurement_id,
                 changes=audit.diff(before, {"deadline": questionnaire.deadline}))
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
        raise NotFound("No such questionnaire.")
    who = reader(questionnaire.procurement_id, prefer_supplier=prefer_supplier)
    if who.group is None and questionnaire.opened_at is None:
        raise NotFound("No such questionnaire.")
    return who, questionnaire


def suggested_questions(procurement: Procurement) -> list[dict[str, Any]]:
    """Questions offered by the procurement's template and domain plugins (sources registered in
    `app.extensions["samspill.questionnaire_sources"]`: `fn(procurement) -> list[dict]`)."""
    found: list[dict[str, Any]] = []
    for source in current_app.extensions.get("samspill.questionnaire_sources", ()):
        found.extend(source(procurement) or [])
    return found
