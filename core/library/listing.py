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

from flask_babel import gettext as _
from sqlalchemy import func, select

from core.db import db
from core.library import lessons, service
from core.library.labels import part_labels, publisher_name
from core.library.models import Lesson, Template
from core.library.search import lookalikes
from core.pagination import Page, keyset_page
from core.plugin_platform.state import domain_label
from tenants.models import Tenant

ROW_COLUMNS = (Template.id, Template.key, Template.title, Template.domain, Template.source, Template.owner_key,
               Template.latest_version_id, Template.latest_version_number, Template.latest_published_at)


def arena_page(*, q: str = "", cursor: str | None = None, limit: int = 20) -> Page:
    """`service.list_visible` as rows: the template's columns, its publisher municipality's name
    (`tenant_name`, None for platform and plugin templates) and its lesson count — one statement."""
    lesson_count = (select(func.count(Lesson.id)).where(Lesson.template_id == Template.id)
                    .correlate(Template).scalar_subquery().label("lesson_count"))
    stmt = (select(*ROW_COLUMNS, Tenant.name.label("tenant_name"), lesson_count)
            .outerjoin(Tenant, Tenant.id == Template.owner_tenant_id))
    stmt = service.visible_published(stmt, q)
    return keyset_page(stmt, [(Template.latest_published_at, True), (Template.id, True)], limit=limit,
                       cursor=cursor, scalars=False, key=lambda row: [row.latest_published_at, row.id])


def _publisher(row, domains: dict[str, str]) -> str:
    if row.source.value == "plugin" and row.tenant_name is None:
        if row.owner_key not in domains:
            domains[row.owner_key] = domain_label(row.owner_key)
        return domains[row.owner_key]
    return publisher_name(row.source, row.owner_key, row.tenant_name)


def arena_rows(page: Page, template_url: Callable[[uuid.UUID], str]) -> list[dict[str, Any]]:
    """What the arena's table prints for each row of `page` (an `arena_page`)."""
    rows = page.items
    reuse = service.reuse_stats([row.id for row in rows])
    alike = lookalikes(rows, service.visible_clause(service.viewer_tenant_ids()), others=ROW_COLUMNS,
                       publisher=Tenant.name.label("tenant_name"))
    domains: dict[str, str] = {}
    parts = part_labels()
    looks_like, differs_in, same = _("Looks like the template from %(publisher)s."), _("Differs in: %(parts)s."), \
        _("Same content.")
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
            "lookalikes": [{
                "id": item["template"].id,
                "text": looks_like % {"publisher": _publisher(item["template"], domains)},
                "differs": (differs_in % {"parts": ", ".join(parts.get(name, parts[None]) for name in item["differs"])}
                            if item["differs"] else same),
            } for item in alike.get(row.id, ())],
        })
    return result


def recent_lessons(limit: int = 5) -> list:
    """The newest lessons as rows (id, title, tenant_name, context_title), for every tenant member."""
    lessons.require_reader()
    return list(db.session.execute(
        select(Lesson.id, Lesson.title, Tenant.name.label("tenant_name"), Lesson.context_title)
        .join(Tenant, Tenant.id == Lesson.tenant_id)
        .order_by(Lesson.created_at.desc(), Lesson.id.desc()).limit(limit)).all())
