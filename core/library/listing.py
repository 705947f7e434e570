"""The arena's list of templates as plain rows: the columns the page shows, read in as few
statements as the page allows (decision "[arena] The arena list reads plain rows").

`arena_page` reads one keyset page of visible, published templates with their publisher's name
and lesson count in one statement; `arena_rows` adds reuse counts (one statement), look-alike
templates (one or two statements, `core.library.search.lookalikes`) and the recent lessons (one
statement), and gives each row what the page prints, labels translated once per request.
Visibility is the same `visible_clause` the rest of the library uses.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from core.db import db
from core.i18n import gettext as _
from core.library import lessons, service
from core.library.labels import publisher_name, template_part
from core.library.models import Lesson, Template, TemplateSource
from core.library.search import lookalikes
from core.pagination import Page, keyset_page
from core.plugin_platform.state import domain_label
from tenants.models import Tenant

ROW_COLUMNS = (Template.id, Template.key, Template.title, Template.domain, Template.source, Template.owner_key,
               Template.latest_version_id, Template.latest_version_number, Template.latest_published_at)


def arena_list(*, q: str, cursor: str | None, limit: int,
               template_url: Callable[[uuid.UUID], str]) -> tuple[Page, list[dict[str, Any]]]:
    """The arena's page of templates and what its table prints for each (`arena_rows`)."""
    clause = service.visible_clause(service.viewer_tenant_ids())
    page = arena_page(q=q, cursor=cursor, limit=limit, clause=clause)
    return page, arena_rows(page, template_url, clause)


def arena_page(*, q: str = "", cursor: str | None = None, limit: int = 20, clause=None) -> Page:
    """`service.list_visible` as rows: the template's columns, its publisher municipality's name
    (`tenant_name`, None for platform and plugin templates) and its lesson count — one statement."""
    lesson_count = (select(func.count(Lesson.id)).where(Lesson.template_id == Template.id)
                    .correlate(Template).scalar_subquery().label("lesson_count"))
    stmt = (select(*ROW_COLUMNS, Tenant.name.label("tenant_name"), lesson_count)
            .outerjoin(Tenant, Tenant.id == Template.owner_tenant_id))
    stmt = service.visible_published(stmt, q, clause)
    return keyset_page(stmt, [(Template.latest_published_at, True), (Template.id, True)], limit=limit,
                       cursor=cursor, scalars=False, key=lambda row: [row.latest_published_at, row.id])


def _publisher(row, domains: dict[str, str]) -> str:
    if row.source == TemplateSource.plugin and row.tenant_name is None:
        if row.owner_key not in domains:
            domains[row.owner_key] = domain_label(row.owner_key)
        return domains[row.owner_key]
    return publisher_name(row.source, row.owner_key, row.tenant_name)


def arena_rows(page: Page, template_url: Callable[[uuid.UUID], str], clause=None) -> list[dict[str, Any]]:
    """What the arena's table prints for each row of `page` (an `arena_page`; `clause`: the
    caller's `visible_clause` when built already)."""
    rows = page.items
    reuse = service.reuse_stats([row.id for row in rows])
    if clause is None:
        clause = service.visible_clause(service.viewer_tenant_ids())
    alike = lookalikes(rows, clause, others=ROW_COLUMNS,
                       publisher=Tenant.name.label("tenant_name"))
    domains: dict[str, str] = {}
    parts: dict[str, str] = {}
    result = []
    for row in rows:
        stats = reuse[row.id]
        domain = row.domain
        if domain and domain not in domains:
            domains[domain] = domain_label(domain)
        result.append({
            "id": row.id, "url": template_url(row.id), "title": row.title, "domain": domain,
            "domain_label": domains[domain] if domain else "", "publisher": _publisher(row, domains),
            "version": row.latest_version_number, "reuse_count": stats["count"],
            "reuse_tenants": ", ".join(stats["tenants"]), "lessons": row.lesson_count,
            "lookalikes": [_lookalike(item, domains, parts) for item in alike.get(row.id, ())],
        })
    return result


def _lookalike(item: dict[str, Any], domains: dict[str, str], parts: dict[str, str]) -> dict[str, Any]:
    """A look-alike line: the other template's id, whose it is, and what differs (part names
    translated once per request, only those shown)."""
    for name in item["differs"]:
        if name not in parts:
            parts[name] = template_part(name)
    return {"id": item["template"].id,
            "text": _("Looks like the template from %(publisher)s.", publisher=_publisher(item["template"], domains)),
            "differs": (_("Differs in: %(parts)s.", parts=", ".join(parts[name] for name in item["differs"]))
                        if item["differs"] else _("Same content."))}


def recent_lessons(limit: int = 5) -> list:
    """The newest lessons as rows (id, title, tenant_name, context_title), for every tenant member."""
    lessons.require_reader()
    return list(db.session.execute(
        select(Lesson.id, Lesson.title, Tenant.name.label("tenant_name"), Lesson.context_title)
        .join(Tenant, Tenant.id == Lesson.tenant_id)
        .order_by(Lesson.created_at.desc(), Lesson.id.desc()).limit(limit)).all())
