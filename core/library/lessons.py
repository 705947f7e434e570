"""Lessons learned (erfaringer) on procurements and templates, readable by every tenant.

Writing a lesson on a procurement needs read access to it and an officer, admin or project-
group role there (observers learn too, and may write what they learned); writing on a template
needs that the caller's tenant can see the template. The lesson keeps the title of what it is
about, so the arena can show it to tenants that cannot see the procurement itself.

A procurement's page reads its lessons once as plain rows (`procurement_lessons`) and remembers
them for the rest of the request until the next write; the benefits package's lesson gate item
asks `has_lesson`, which answers from them when the page has read them already.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, NamedTuple

from flask import g, has_app_context
from sqlalchemy import bindparam, event, func, or_, select
from sqlalchemy.orm import Session

from core import audit
from core.access import require_user
from core.db import db
from core.errors import Forbidden, NotFound, ValidationError
from core.i18n import _l
from core.library.models import Lesson
from core.library.service import get_visible_template
from core.pagination import Page, keyset_page
from core.procurement.access import caller_tenant_ids, require
from tenants.models import ROLE_RANK, Tenant, TenantRole

_REMEMBERED = "procurement_lessons"  # g: {procurement id: its newest lessons, as read this request}


class _Named(NamedTuple):
    name: str


class LessonRow(NamedTuple):
    """A lesson as a procurement's page shows it (`tenant.name` like a `Lesson`'s)."""

    id: uuid.UUID
    title: str
    body: str
    created_at: datetime
    tenant: _Named


_lessons, _tenants = Lesson.__table__, Tenant.__table__
# Built once, bound per call: the order and filter of `list_lessons(procurement_id=...)`, the
# columns the page prints. Lessons are not tenant-owned rows (every tenant reads them).
_PROCUREMENT_LESSONS = (
    select(_lessons.c.id, _lessons.c.title, _lessons.c.body, _lessons.c.created_at, _tenants.c.name)
    .join(_tenants, _tenants.c.id == _lessons.c.tenant_id)
    .where(_lessons.c.procurement_id == bindparam("procurement_id"))
    .order_by(_lessons.c.created_at.desc(), _lessons.c.id.desc())
    .limit(bindparam("limit"))
)


def _clean(title: Any, body: Any) -> tuple[str, str]:
    title, body = str(title or "").strip(), str(body or "").strip()
    errors = {}
    if not title or len(title) > 200:
        errors["title"] = [_l("A title of 1-200 characters.")]
    if not body or len(body) > 20000:
        errors["body"] = [_l("Write the lesson (1-20 000 characters).")]
    if errors:
        raise ValidationError(_l("The lesson is not complete."), errors=errors)
    return title, body


def _author_tenant(tenant_ids, chosen: uuid.UUID | None) -> uuid.UUID:
    """The tenant a lesson is written for: the chosen one, else the caller's first (members and up)."""
    principal = require_user()
    candidates = [t for t in tenant_ids if principal.role_in(t) is not None
                  and ROLE_RANK[principal.role_in(t)] >= ROLE_RANK[TenantRole.member]]
    if chosen is not None:
        if chosen not in candidates:
            raise Forbidden(_l("You cannot write lessons for that municipality."))
        return chosen
    if not candidates:
        raise Forbidden(_l("Viewers cannot write lessons."))
    return sorted(candidates, key=lambda t: principal.memberships[t].name)[0]


def add_to_procurement(procurement_id: uuid.UUID, title: str, body: str) -> Lesson:
    access = require(procurement_id)
    tenant_id = access.acting_tenant_id
    role = access.principal.role_in(tenant_id)
    if access.project_role is None and (role is None or ROLE_RANK[role] < ROLE_RANK[TenantRole.officer]):
        raise Forbidden(_l("Only the project group and officers can write lessons on a procurement."))
    title, body = _clean(title, body)
    lesson = Lesson(tenant_id=tenant_id, author_id=access.principal.user.id, procurement_id=procurement_id,
                    context_title=access.procurement.title, phase=access.procurement.phase.value,
                    title=title, body=body)
    db.session.add(lesson)
    db.session.flush()
    audit.record("lesson.added", "lesson", lesson.id, tenant_id=tenant_id, procurement_id=procurement_id,
                 changes={"after": {"title": title}})
    return lesson


def add_to_template(template_id: uuid.UUID, title: str, body: str, tenant_id: uuid.UUID | None = None) -> Lesson:
    template = get_visible_template(template_id)
    principal = require_user()
    tenant_id = _author_tenant(caller_tenant_ids(principal), tenant_id)
    title, body = _clean(title, body)
    lesson = Lesson(tenant_id=tenant_id, author_id=principal.user.id, template_id=template.id,
                    context_title=template.title, title=title, body=body)
    db.session.add(lesson)
    db.session.flush()
    audit.record("lesson.added", "lesson", lesson.id, tenant_id=tenant_id, changes={"after": {"title": title}})
    return lesson


def require_reader() -> None:
    """Lessons are for people with a tenant (404 for anyone else)."""
    if not caller_tenant_ids(require_user()):
        raise NotFound(_l("No such lesson."))


def list_lessons(*, q: str = "", template_id: uuid.UUID | None = None, procurement_id: uuid.UUID | None = None,
                 cursor: str | None = None, limit: int = 20) -> Page:
    """Lessons for every tenant member, newest first; filtered by template/procurement, or searched."""
    require_reader()
    stmt = select(Lesson)
    if template_id is not None:
        stmt = stmt.where(Lesson.template_id == template_id)
    if procurement_id is not None:
        stmt = stmt.where(Lesson.procurement_id == procurement_id)
    if q.strip():
        pattern = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(func.lower(Lesson.title).like(pattern), func.lower(Lesson.body).like(pattern),
                              func.lower(Lesson.context_title).like(pattern)))
    return keyset_page(stmt, [(Lesson.created_at, True), (Lesson.id, True)], limit=limit, cursor=cursor)


def procurement_lessons(procurement_id: uuid.UUID, limit: int = 20) -> list[LessonRow]:
    """The newest `limit` lessons of a procurement as plain rows, newest first (what
    `list_lessons(procurement_id=...)` gives the page), remembered until the next write."""
    require_reader()
    found = db.session.connection().execute(_PROCUREMENT_LESSONS, {"procurement_id": procurement_id, "limit": limit})
    rows = [LessonRow(i, title, body, at, _Named(name)) for i, title, body, at, name in found]
    if has_app_context():
        g.setdefault(_REMEMBERED, {})[procurement_id] = rows
    return rows


def has_lesson(procurement_id: uuid.UUID) -> bool:
    """Whether the procurement has a lesson learned: from the lessons this request read already
    (`procurement_lessons`, since the last write), else one statement."""
    remembered = g.get(_REMEMBERED, {}).get(procurement_id) if has_app_context() else None
    if remembered is not None:
        return bool(remembered)
    return db.session.execute(select(Lesson.id).where(Lesson.procurement_id == procurement_id)
                              .limit(1)).first() is not None


@event.listens_for(Session, "after_flush")
def _forget_after_writes(session, flush_context) -> None:
    """A write may add or remove lessons: read them again after it."""
    if has_app_context():
        g.pop(_REMEMBERED, None)


def get_lesson(lesson_id: uuid.UUID) -> Lesson:
    require_reader()
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None:
        raise NotFound(_l("No such lesson."))
    return lesson


def lesson_counts(template_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    if not template_ids:
        return {}
    return dict(db.session.execute(
        select(Lesson.template_id, func.count(Lesson.id)).where(Lesson.template_id.in_(template_ids))
        .group_by(Lesson.template_id)).all())


def delete_lesson(lesson_id: uuid.UUID) -> None:
    """The author, or an admin of the author's tenant, can withdraw a lesson."""
    principal = require_user()
    lesson = get_lesson(lesson_id)
    if lesson.author_id != principal.user.id and principal.role_in(lesson.tenant_id) != TenantRole.admin:
        raise Forbidden(_l("Only the author or their municipality's admin can delete a lesson."))
    db.session.delete(lesson)
    db.session.flush()
    audit.record("lesson.deleted", "lesson", lesson_id, tenant_id=lesson.tenant_id,
                 procurement_id=lesson.procurement_id, changes={"before": {"title": lesson.title}})

