"""The arena's list of templates as plain rows: the columns the page shows, read in as few
statements as the page allows (decision "[arena] The arena list reads plain rows").

`arena_page` reads one keyset page of visible, published templates with their publisher's name
and lesson count in one statement, on PostgreSQL with their reuse count and reusing
municipalities too (`_reuse_lateral`) and the recent lessons (`_recent_in_page`); `arena_rows`
adds the reuse counts on other databases (one statement, `service.reuse_stats`) and look-alike
templates (one statement, `core.library.search.lookalikes`), and gives each row what the page
prints, labels translated once per request; `arena_list` adds the recent lessons' own statement
where the page did not carry them.
Visibility is the same `visible_clause` the rest of the library uses. The statements are built
once per process (`_statements`, `_page_statement` per page size, with its constants written
into the SQL): a request only fills in its values.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import String, Text, bindparam, cast, distinct, func, literal_column, select, true, tuple_

from core.db import db
from core.i18n import gettext as _
from core.library import lessons, service
from core.library.labels import publisher_name, template_part
from core.library.models import Lesson, Template, TemplateSource, TemplateUse
from core.library.search import lookalike_statement, lookalikes
from core.pagination import Page, cursor_values, page_of
from core.plugin_platform.state import domain_label
from tenants.models import Tenant

ROW_COLUMNS = (Template.id, Template.key, Template.title, Template.domain, Template.source, Template.owner_key,
               Template.latest_version_id, Template.latest_version_number, Template.latest_published_at)
PAGE_ORDER = [Template.latest_published_at, Template.id]
REUSE_SEPARATOR = ", "  # between the reusing municipalities' names, as the page prints them


class Lookalike(NamedTuple):
    """A look-alike line under an arena row: the other template's id, whose it is, what differs."""

    id: uuid.UUID
    text: str
    differs: str


class ArenaRow(NamedTuple):
    """What the arena's table prints for one template (attributes, which Jinja reads directly;
    a dict's keys cost it a failed attribute lookup each)."""

    id: uuid.UUID
    url: str
    title: str
    domain: str | None
    domain_label: str
    publisher: str
    version: int | None
    reuse_count: int
    reuse_tenants: str
    lessons: int
    lookalikes: list[Lookalike]


class RecentLesson(NamedTuple):
    """A line of the arena's "Recent lessons learned" (the columns of `recent_lessons`' rows)."""

    id: uuid.UUID
    title: str
    tenant_name: str
    context_title: str | None


RECENT_LESSONS = 5


@dataclass(frozen=True)
class _Statements:
    """The arena's statements, built once per process; run with bind parameters `tenant_ids`
    (the viewer's tenants), `pattern` (a search), `after_at`/`after_id` (a cursor),
    `keys`/`titles` (look-alikes)."""

    pages: dict[tuple[bool, bool], Any]  # (searched, after a cursor) -> the page statement
    reuse_in_page: bool  # the page's rows carry `reuse_count`, `reuse_tenants` and `recent_lessons`
    lookalikes: Any
    recent_lessons: Any


def _reuse_lateral():
    """PostgreSQL: each row's reuse count and the reusing municipalities' names, in name order
    and each name once, joined by `REUSE_SEPARATOR` (what `service.reuse_stats` gives: its
    statement groups the uses by tenant name, in name order), as one lateral subquery: one
    index-only probe of `ix_template_uses_template` per row, and the names looked up by the
    distinct reusing tenants' ids, one `pk_tenants` lookup each (none when there are no uses),
    instead of a second probe of the uses joined to a scan of every tenant for each row with
    uses (the planner's choice for a join to the small `tenants` table). SQLite's
    `group_concat` promises no order, so there the page keeps `reuse_stats`' own statement
    (decision 193)."""
    reusers = (func.unnest(func.array_agg(distinct(TemplateUse.tenant_id)))
               .table_valued("tenant_id").render_derived(name="reusers"))
    # LIMIT: a lookup each. The limit and the separator are written into the SQL (constants of
    # the plan, as `OPEN_TO_ALL`).
    reuser = (select(Tenant.name).where(Tenant.id == reusers.c.tenant_id).limit(literal_column("1"))
              .lateral("reuser"))
    names = (select(func.string_agg(distinct(reuser.c.name), literal_column(f"'{REUSE_SEPARATOR}'", String))
                    .aggregate_order_by(reuser.c.name))
             .select_from(reusers).join(reuser, true())
             .scalar_subquery())
    return (select(func.count().label("reuse_count"), names.label("reuse_tenants"))
            .where(TemplateUse.template_id == Template.id).lateral("reuse"))


def _recent_in_page(recent_lessons):
    """PostgreSQL: the `RECENT_LESSONS` newest lessons as one column of the page statement, a JSON
    text of [id, title, tenant name, context title] lists, newest first: an uncorrelated scalar
    subquery, evaluated once per statement (an InitPlan) under the lessons' read policy, so the
    arena sends no statement of its own for them (about 0.27 ms of Python per visit). Every row
    carries the same text; `arena_list` reads the first."""
    latest = (recent_lessons.add_columns(Lesson.created_at)
              .limit(literal_column(str(RECENT_LESSONS))).subquery("recent"))
    lines = func.json_agg(func.json_build_array(latest.c.id, latest.c.title, latest.c.tenant_name,
                                                latest.c.context_title)).aggregate_order_by(
        latest.c.created_at.desc(), latest.c.id.desc())
    return cast(select(lines).scalar_subquery(), Text).label("recent_lessons")


@cache
def _statements(dialect: str) -> _Statements:
    visible = service.visible_clause("tenant_ids", dialect)
    # The page's statement: the tenants read blind (`lists.one_of`), so that its generic plan
    # holds at scale 10 (the look-alikes' plan held without).
    visible_blind = service.visible_clause("tenant_ids", dialect, planned_blind=True)
    lesson_count = (select(func.count(Lesson.id)).where(Lesson.template_id == Template.id)
                    .correlate(Template).scalar_subquery().label("lesson_count"))
    reuse_in_page = dialect == "postgresql"
    reuse = _reuse_lateral() if reuse_in_page else None
    recent_lessons = (select(Lesson.id, Lesson.title, Tenant.name.label("tenant_name"), Lesson.context_title)
                      .join(Tenant, Tenant.id == Lesson.tenant_id)
                      .order_by(Lesson.created_at.desc(), Lesson.id.desc()))
    base = (select(*ROW_COLUMNS, Tenant.name.label("tenant_name"), lesson_count,
                   *((reuse.c.reuse_count, reuse.c.reuse_tenants, _recent_in_page(recent_lessons))
                     if reuse_in_page else ()))
            .outerjoin(Tenant, Tenant.id == Template.owner_tenant_id)
            .where(visible_blind, Template.latest_version_id.is_not(None)))
    if reuse_in_page:
        base = base.join(reuse, true())
    after = (tuple_(*PAGE_ORDER) < tuple_(bindparam("after_at", type_=Template.latest_published_at.type),
                                          bindparam("after_id", type_=Template.id.type)))
    pages = {}
    for searched in (False, True):
        for paged in (False, True):
            stmt = base.where(service.search_clause(bindparam("pattern"))) if searched else base
            stmt = stmt.where(after) if paged else stmt
            pages[searched, paged] = stmt.order_by(*(column.desc() for column in PAGE_ORDER))
    return _Statements(
        pages=pages,
        reuse_in_page=reuse_in_page,
        lookalikes=lookalike_statement(ROW_COLUMNS, visible, dialect),
        recent_lessons=recent_lessons)


def arena_list(*, q: str, cursor: str | None, limit: int,
               template_url: Callable[[uuid.UUID], str]) -> tuple[Page, list[ArenaRow], list]:
    """The arena's page of templates, what its table prints for each (`arena_rows`), and the
    recent lessons (from the page's statement where it carries them, else `recent_lessons`)."""
    tenant_ids = {"tenant_ids": list(service.viewer_tenant_ids())}
    page = arena_page(q=q, cursor=cursor, limit=limit, tenant_ids=tenant_ids)
    return page, arena_rows(page, template_url, tenant_ids), _recent_of(page)


def _recent_of(page: Page) -> list:
    if not page.items or "recent_lessons" not in page.items[0]._fields:  # no rows, or not PostgreSQL
        return recent_lessons()
    lessons.require_reader()
    found = page.items[0].recent_lessons
    return [RecentLesson(uuid.UUID(id_), title, tenant_name, context_title)
            for id_, title, tenant_name, context_title in (json.loads(found) if found else ())]


def arena_page(*, q: str = "", cursor: str | None = None, limit: int = 20,
               tenant_ids: dict[str, Any] | None = None) -> Page:
    """`service.list_visible` as rows: the template's columns, its publisher municipality's name
    (`tenant_name`, None for platform and plugin templates) and its lesson count, on PostgreSQL
    also `reuse_count` and `reuse_tenants` (`_reuse_lateral`) — one statement (`tenant_ids`: the
    viewer's, as `arena_list` passes them)."""
    params: dict[str, Any] = dict(tenant_ids or {"tenant_ids": list(service.viewer_tenant_ids())})
    if q.strip():
        params["pattern"] = service.search_pattern(q)
    if cursor:
        params["after_at"], params["after_id"] = cursor_values(cursor, PAGE_ORDER)
    rows = db.session.connection().execute(
        _page_statement(db.engine.dialect.name, bool(q.strip()), bool(cursor), limit + 1), params).all()
    return page_of(rows, limit, key=lambda row: [row.latest_published_at, row.id])


@cache
def _page_statement(dialect: str, searched: bool, paged: bool, limit: int):
    """A page statement of `_statements` with its limit a constant of the SQL (one statement per
    page size asked for, at most `MAX_LIMIT` + 1): with `LIMIT $n`, PostgreSQL planned the page
    for a tenth of the rows, found the generic plan dearer than a custom one, and at scale 10
    planned the statement again on every visit (as `_recent_lessons`)."""
    return _statements(dialect).pages[searched, paged].limit(literal_column(str(int(limit))))


def _publisher(row, domains: dict[str, str]) -> str:
    if row.source == TemplateSource.plugin and row.tenant_name is None:
        if row.owner_key not in domains:
            domains[row.owner_key] = domain_label(row.owner_key)
        return domains[row.owner_key]
    return publisher_name(row.source, row.owner_key, row.tenant_name)


def arena_rows(page: Page, template_url: Callable[[uuid.UUID], str],
               tenant_ids: dict[str, Any] | None = None) -> list[ArenaRow]:
    """What the arena's table prints for each row of `page` (an `arena_page`; `tenant_ids`: the
    viewer's, as `arena_list` passes them)."""
    rows = page.items
    statements = _statements(db.engine.dialect.name)
    reuse = None if statements.reuse_in_page else service.reuse_stats([row.id for row in rows])
    alike = lookalikes(rows, statements.lookalikes,
                       tenant_ids or {"tenant_ids": list(service.viewer_tenant_ids())})
    domains: dict[str, str] = {}
    said = _Said()
    result = []
    for row in rows:
        if reuse is None:
            reuse_count, reuse_tenants = row.reuse_count, row.reuse_tenants or ""
        else:
            stats = reuse[row.id]
            reuse_count, reuse_tenants = stats["count"], REUSE_SEPARATOR.join(stats["tenants"])
        domain = row.domain
        if domain and domain not in domains:
            domains[domain] = domain_label(domain)
        result.append(ArenaRow(
            row.id, template_url(row.id), row.title, domain, domains[domain] if domain else "",
            _publisher(row, domains), row.latest_version_number, reuse_count, reuse_tenants,
            row.lesson_count, [_lookalike(other, parts, domains, said) for other, parts in alike.get(row.id, ())]))
    return result


class _Said:
    """The look-alike lines' sentences of one request, each translated once: whose a look-alike
    is (per publisher) and what differs (per list of parts)."""

    def __init__(self):
        self.looks_like: str | None = None
        self.by_publisher: dict[str, str] = {}
        self.by_parts: dict[tuple[str, ...], str] = {}

    def publisher(self, publisher: str) -> str:
        text = self.by_publisher.get(publisher)
        if text is None:
            if self.looks_like is None:
                self.looks_like = _("Looks like the template from %(publisher)s.")
            text = self.by_publisher[publisher] = self.looks_like % {"publisher": publisher}
        return text

    def differs(self, parts: tuple[str, ...]) -> str:
        text = self.by_parts.get(parts)
        if text is None:
            text = self.by_parts[parts] = (
                _("Differs in: %(parts)s.", parts=", ".join(template_part(name) for name in parts))
                if parts else _("Same content."))
        return text


def _lookalike(other, parts: tuple[str, ...], domains: dict[str, str], said: _Said) -> Lookalike:
    """A look-alike line: the other template's id, whose it is, and what differs (sentences and
    part names translated once per request, only those shown)."""
    return Lookalike(other.id, said.publisher(_publisher(other, domains)), said.differs(parts))


def recent_lessons(limit: int = RECENT_LESSONS) -> list:
    """The newest lessons as rows (id, title, tenant_name, context_title), for every tenant member."""
    lessons.require_reader()
    return db.session.connection().execute(_recent_lessons(db.engine.dialect.name, limit)).all()


@cache
def _recent_lessons(dialect: str, limit: int):
    """The recent lessons' statement with its limit a constant of the SQL: PostgreSQL plans a
    `LIMIT $n` for a tenth of the rows, so the prepared statement's generic plan looked dearer
    than a custom one and the statement was planned again on every arena visit."""
    return _statements(dialect).recent_lessons.limit(literal_column(str(int(limit))))
