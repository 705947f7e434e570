"""The arena's look-alike statement (`core.library.search.lookalike_statement`) after speed round 6:
on PostgreSQL each key's and each title's lookup is a lateral join that stops after `SHOWN` + 1
rows, the union's parts carry the shown columns (no second lookup of its rows), and lists are one
array parameter each (`core.library.lists.one_of`). The rows are the same as the window-function
form SQLite runs, on a library where keys and titles have more templates than are shown, some of
them invisible to the reader or unpublished; on PostgreSQL the statement's text does not change
with the page's length and its generic plan reads `templates` only in the union's three parts and
the versions' read policy, with no call of `samspill_visible_template`."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, insert, select, text

from core import isolation
from core.db import db
from core.library import listing
from core.library.models import Template, TemplateShare, TemplateVersion
from core.library.search import SHOWN, contents_statement, lookalike_statement


def _library(app, make) -> tuple[uuid.UUID, list, list]:
    """A reader's tenant, the page (rows as `arena_page` gives them) and every template made:
    three keys and three titles with up to nine templates each (open, own, shared with the reader,
    shared elsewhere, private elsewhere, unpublished), times close together (ties broken by id)."""
    reader, other, third = make.tenant("lesar"), make.tenant("annan"), make.tenant("tredje")
    base = datetime(2026, 1, 1, tzinfo=UTC)
    made = []
    with app.app_context(), isolation.system_scope():
        connection = db.session.connection()
        for n in range(40):
            template_id, version_id = uuid.UUID(int=n + 1), uuid.uuid4()
            kind = n % 6
            owner = reader.id if kind == 1 else other.id
            visibility = ("all", "private", "shared", "shared", "private", "all")[kind]
            published = kind != 5
            connection.execute(insert(Template.__table__).values(
                id=template_id, key=f"key-{n % 3}", source="tenant", owner_tenant_id=owner,
                owner_key=f"{owner}-{n}", visibility=visibility, title=f"Tittel {n % 4}", summary="", search_text="",
                latest_version_id=version_id if published else None, latest_version_number=1 if published else 0,
                latest_published_at=base + timedelta(minutes=n // 2) if published else None,
                created_at=base, updated_at=base))
            connection.execute(insert(TemplateVersion.__table__).values(
                id=version_id, template_id=template_id, number=1, status="published" if published else "draft",
                content={"title": f"Tittel {n % 4}", "summary": str(n)}, content_hash=str(n), changelog="",
                created_at=base))
            if kind in (2, 3):
                connection.execute(insert(TemplateShare.__table__).values(
                    id=uuid.uuid4(), template_id=template_id, tenant_id=reader.id if kind == 2 else third.id,
                    owner_tenant_id=owner))
            made.append(template_id)
        db.session.commit()
    with app.test_request_context("/arena/"):
        isolation.set_scope([reader.id])
        page = listing.arena_page(limit=4, tenant_ids={"tenant_ids": [reader.id]})
        db.session.rollback()
    return reader.id, page.items, made


def _params(reader, rows) -> dict:
    return {"tenant_ids": [reader], "ids": [r.id for r in rows], "keys": sorted({r.key for r in rows}),
            "titles": sorted({r.title.strip().lower() for r in rows})}


def test_the_lateral_lookups_find_the_rows_of_the_window_form(app, make):
    reader, rows, _made = _library(app, make)
    assert len(rows) == 4
    with app.app_context(), isolation.system_scope():
        dialect = db.engine.dialect.name
        window_visible = listing.service.visible_clause("tenant_ids", "sqlite")
        window = lookalike_statement(listing.ROW_COLUMNS, window_visible, "sqlite")  # the window-function form
        used = listing._statements(dialect).lookalikes
        params = _params(reader, rows)
        found = db.session.connection().execute(used, params).all()
        expected = db.session.connection().execute(window, params).all()
        contents = db.session.connection().execute(contents_statement(dialect),
                                                   {"version_ids": [found[0].latest_version_id]}).all()
        alike = db.session.connection().execute(
            select(func.count()).where(window_visible, Template.latest_version_id.is_not(None),
                                       Template.key.in_(params["keys"]) | Template.title_key.in_(params["titles"])),
            params).scalar()
        db.session.rollback()
    assert found == expected
    assert len(params["keys"]) * (SHOWN + 1) < alike and len(found) < alike  # the limits cut: they are compared
    assert [row.id for row in contents] == [found[0].latest_version_id]
    assert json.loads(contents[0].content_text)["summary"]


def _generic_plan(statement, values: dict) -> dict:
    """The JSON plan of `statement` prepared with `values`' types, under `force_generic_plan`."""
    connection = db.session.connection()
    compiled = statement.compile(dialect=db.engine.dialect)
    names: list[str] = []

    def number(match: re.Match) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    sql = re.sub(r"%\((\w+)\)s", number, compiled.string)
    name = f"lookalikes_{uuid.uuid4().hex}"
    connection.exec_driver_sql(f"PREPARE {name} AS {sql}")
    connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
    types = db.session.execute(text("select parameter_types::text[] from pg_prepared_statements where name = :n"),
                               {"n": name}).scalar_one()

    def literal(value, kind):
        if isinstance(value, list):
            return "'{" + ",".join(f'"{v}"' for v in value) + "}'::" + kind
        return f"'{value}'::{kind}"

    arguments = ", ".join(literal(values.get(n, compiled.params.get(n)), kind)
                          for n, kind in zip(names, types, strict=True))
    plan = connection.exec_driver_sql(f"EXPLAIN (VERBOSE, FORMAT JSON) EXECUTE {name}({arguments})").scalar()
    connection.exec_driver_sql(f"DEALLOCATE {name}")
    return plan[0]["Plan"] if isinstance(plan, list) else json.loads(plan)[0]["Plan"]


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


def test_the_statement_is_one_text_and_reads_templates_once_per_part(app, make):
    reader, rows, _made = _library(app, make)
    with app.app_context(), isolation.system_scope():
        dialect = db.engine.dialect
        statements = listing._statements(dialect.name)
        if dialect.name != "postgresql":
            return  # arrays and plans: PostgreSQL's (SQLite keeps expanding lists and the window form)
        compiled = statements.lookalikes.compile(dialect=dialect)
        assert "POSTCOMPILE" not in compiled.string  # one placeholder per list, whatever its length
        assert len(compiled.string) <= 4096  # psycopg keeps its parsed form (MAX_CACHED_STATEMENT_LENGTH)
        for page in statements.pages.values():
            assert "POSTCOMPILE" not in page.compile(dialect=dialect).string
        plan = _generic_plan(statements.lookalikes, _params(reader, rows))
        db.session.rollback()
    nodes = list(_nodes(plan))
    scans = [n for n in nodes if n.get("Relation Name") == "templates"]
    # the page's ids, each key's newest, each title's newest (the versions are not read here)
    assert len(scans) == 3, [n.get("Node Type") for n in scans]
    assert not [n for n in nodes if n.get("Relation Name") == "template_versions"]
    assert "samspill_visible_template" not in json.dumps(plan)
    indexes = {n.get("Index Name") for n in nodes}
    assert {"ix_templates_key", "ix_templates_title_key"} <= indexes, indexes
