"""What the arena's search reads in a template: its words, not only its title.

`search_text(content)` joins the title, summary, domain, needs (statement, user group, theme),
requirements (ref, title, text, standards), questionnaire questions and their options, award
criteria, KPIs and the named texts of a template version into one lower-case text, kept on the
template (`Template.search_text`) whenever a version is published. Lessons learned are searched
where they live (`core.library.models.Lesson`), so a lesson added later is found at once.
`lookalikes` finds, for a page of the arena, the other templates with the same key or title.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from sqlalchemy import ARRAY, String, Text, bindparam, cast, func, literal_column, select, true, union

from core.db import db
from core.library.diff import differing_parts
from core.library.lists import one_of
from core.library.models import Template, TemplateVersion
from tenants.models import Tenant

FIELDS = {
    "needs": ("statement", "user_group", "theme"),
    "requirements": ("ref", "title", "text"),
    "questionnaire": ("text",),
    "award_criteria": ("name", "description"),
    "kpis": ("name", "description"),
    "gate_items": ("text",),
}
MAX_CHARS = 200_000
SHOWN = 3  # look-alikes shown per template (decision "[arena] The arena's look-alikes are found through indexes")
PAGE_OTHERS = 20  # templates not on the page that its look-alike lines may name (speed round 8)


def search_text(content: dict[str, Any]) -> str:
    parts: list[str] = [str(content.get(name) or "") for name in ("title", "summary", "domain")]
    for section, names in FIELDS.items():
        for item in content.get(section) or []:
            parts += [str(item.get(name) or "") for name in names]
            parts += [str(choice) for choice in item.get("choices") or []]
            parts += [str(standard) for standard in item.get("standards") or []]
    parts += [str(text) for text in (content.get("texts") or {}).values()]
    return "\n".join(p for p in parts if p).lower()[:MAX_CHARS]


def lookalike_statement(columns: tuple, visible_clause, dialect: str):
    """The statement `lookalikes` runs: the page's templates (bind parameter `ids`) and, for each
    of the page's keys (`keys`) and lower-case titles (`titles`), the `SHOWN` + 1 most recently
    published visible templates that have it (the +1: the page's own template), with `columns`
    (columns of `Template`; the publisher municipality's name is added as `tenant_name`), newest
    first. Their contents are not read here: `lookalikes` compares a pair of versions once per
    process and remembers the answer, so after the first visits the contents (and the versions'
    read policy, checked per version) are not needed (`contents_statement`). The parts are
    index lookups (`ix_templates_key`, `ix_templates_title_key`); on PostgreSQL each key's and
    each title's lookup stops after `SHOWN` + 1 rows (a lateral join with a limit), so the rows
    read do not grow with the library, and the lists are arrays (`lists.one_of`). Each part
    carries the columns shown, so the union's rows are not looked up again. Of the templates not
    on the page the statement keeps `PAGE_OTHERS` (below), so what a page shows and reads does not
    grow with the library."""
    newest = (Template.latest_published_at.desc(), Template.id.desc())
    carried = (*columns, Template.owner_tenant_id)
    published = (visible_clause, Template.latest_version_id.is_not(None))

    def nearest(column, values: str):
        ranked = (select(*carried, func.row_number().over(partition_by=column, order_by=newest).label("rank"))
                  .where(column.in_(bindparam(values, expanding=True)), *published)
                  .subquery())
        return select(*(ranked.c[c.key] for c in carried), ranked.c.rank).where(ranked.c.rank <= SHOWN + 1)

    def nearest_each(column, values: str):
        wanted = func.unnest(bindparam(values, type_=ARRAY(String))).table_valued("value").render_derived()
        first = (select(*carried, func.row_number().over(order_by=newest).label("rank"))
                 .where(column == wanted.c.value, *published)
                 .order_by(*newest).limit(SHOWN + 1).lateral())
        return (select(*(first.c[c.key] for c in carried), first.c.rank).select_from(wanted).join(first, true())
                .where(~one_of(first.c.id, "ids", dialect)))

    page = select(*carried, literal_column("0").label("rank")).where(one_of(Template.id, "ids", dialect), *published)
    # The others (look-alikes not on the page): `PAGE_OTHERS` of those found, each key's and
    # title's newest first, then their second newest, and so on (`rank`: 1 is usually the page's
    # own template), so every template with look-alikes keeps its newest before any keeps a
    # second. A constant limit: the planner sizes the joins below by it.
    if dialect == "postgresql":
        alike = union(nearest_each(Template.key, "keys"), nearest_each(Template.title_key, "titles"))
        others = alike.order_by(alike.selected_columns.rank, alike.selected_columns.latest_published_at.desc(),
                                alike.selected_columns.id.desc())
    else:  # SQLite: no ORDER BY or LIMIT in a union's part, nor parentheses around one
        alike = union(nearest(Template.key, "keys"), nearest(Template.title_key, "titles")).subquery("alike")
        others = (select(*(alike.c[c.key] for c in carried), alike.c.rank)
                  .where(~one_of(alike.c.id, "ids", dialect))
                  .order_by(alike.c.rank, alike.c.latest_published_at.desc(), alike.c.id.desc()))
        others = select(*others.limit(literal_column(str(PAGE_OTHERS))).subquery("others").c)
    if dialect == "postgresql":
        others = others.limit(literal_column(str(PAGE_OTHERS)))
    hits = union(page, others).subquery("hits")
    return (select(*(hits.c[c.key] for c in columns), Tenant.name.label("tenant_name"))
            .select_from(hits)
            .outerjoin(Tenant, Tenant.id == hits.c.owner_tenant_id)
            .order_by(hits.c.latest_published_at.desc(), hits.c.id.desc()))


def lookalikes(templates: list, statement, params: dict[str, Any]) -> dict[Any, list[tuple[Any, tuple[str, ...]]]]:
    """For each template of a page (rows with id, key, title and latest_version_id), at most
    `SHOWN` other visible templates that look the same (same key or same title), the most
    recently published first, and what differs between their latest versions — one query
    whatever the page holds (`statement`, a `lookalike_statement` run with `params` and the
    page's ids, keys and titles), and a second (`contents_statement`) only when this process has
    not compared a pair of those versions before:
    {template_id: [(row of the statement's columns, (part names that differ, in order))]}.
    The other templates are grouped through an index by key and by title (one pass)."""
    if not templates:
        return {}
    found = db.session.connection().execute(statement, {
        **params, "ids": [t.id for t in templates], "keys": sorted({t.key for t in templates}),
        "titles": sorted({t.title.strip().lower() for t in templates})}).all()
    # Rows are named by their place in `found` (newest first), so grouping and ordering them
    # compares small integers, not UUIDs.
    by_key: dict[str, list[int]] = {}
    by_title: dict[str, list[int]] = {}
    position = {}
    for n, other in enumerate(found):
        if other.id in position:  # found by its key and by its title, at two ranks
            continue
        position[other.id] = n
        by_key.setdefault(other.key, []).append(n)
        by_title.setdefault(other.title.strip().lower(), []).append(n)
    shown: list[tuple[Any, Any, list]] = []  # (page template id, its row, the others shown)
    for t in templates:
        own = position.get(t.id)
        if own is None:  # published anew between the two reads: shown next time
            continue
        group = set(by_key.get(t.key, ())).union(by_title.get(t.title.strip().lower(), ()))
        group.discard(own)
        if group:
            shown.append((t.id, found[own], [found[n] for n in sorted(group)[:SHOWN]]))
    differs = _differences({(other.latest_version_id, template.latest_version_id)
                            for _id, template, others in shown for other in others})
    result: dict[Any, list[tuple[Any, tuple[str, ...]]]] = {}
    for template_id, template, others in shown:
        lines = [(other, parts) for other in others
                 if (parts := differs.get((other.latest_version_id, template.latest_version_id))) is not None]
        if lines:
            result[template_id] = lines
    return result


@cache
def contents_statement(dialect: str):
    """The contents of template versions as JSON text (bind parameter `version_ids`, a list)."""
    return (select(TemplateVersion.id, cast(TemplateVersion.content, Text).label("content_text"))
            .where(one_of(TemplateVersion.id, "version_ids", dialect)))


_DIFFERS: dict[tuple, tuple[str, ...]] = {}
_DIFFERS_KEPT = 20_000


def _differences(pairs: set[tuple]) -> dict[tuple, tuple[str, ...]]:
    """`differing_parts` of each pair of version ids (other, template): remembered per pair (a
    published version never changes), so a version's content is read and parsed only the first
    time this process compares it. A pair whose version the reader may no longer see (deleted
    since the first read) is left out."""
    known = {pair: _DIFFERS.get(pair) for pair in pairs}
    missing = {version_id for pair, parts in known.items() if parts is None for version_id in pair}
    if not missing:
        return known
    rows = db.session.connection().execute(contents_statement(db.engine.dialect.name),
                                           {"version_ids": sorted(missing)}).all()
    contents = {row.id: json.loads(row.content_text) for row in rows}
    for pair, parts in known.items():
        if parts is None and pair[0] in contents and pair[1] in contents:
            if len(_DIFFERS) >= _DIFFERS_KEPT:
                _DIFFERS.clear()
            known[pair] = _DIFFERS[pair] = tuple(differing_parts(contents[pair[0]], contents[pair[1]]))
    return {pair: parts for pair, parts in known.items() if parts is not None}
