"""The arena's reuse counts: how many procurements started from each template on the page and
which municipalities started them (each name once, in name order). On PostgreSQL they come with
the page statement (decision 193's correlated `count` and `string_agg(DISTINCT ... ORDER BY ...)`),
elsewhere from `service.reuse_stats`' own statement; both say what `reuse_stats` says: every
use counts, whoever's it is, and a municipality that reused a template twice is named once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from core import isolation
from core.db import db
from core.library import listing, service
from core.library.models import Template, TemplateShare, TemplateUse, TemplateVersion
from tests.bench.helpers import led_procurements

BASE = datetime(2026, 1, 1, tzinfo=UTC)


def _template(connection, n: int, owner, visibility: str) -> tuple[uuid.UUID, uuid.UUID]:
    template_id, version_id = uuid.uuid4(), uuid.uuid4()
    connection.execute(insert(Template.__table__).values(
        id=template_id, key=f"reuse-{n}", source="tenant", owner_tenant_id=owner, owner_key=f"{owner}-{n}",
        visibility=visibility, title=f"Mal {n}", summary="", search_text="", latest_version_id=version_id,
        latest_version_number=1, latest_published_at=BASE + timedelta(minutes=n), created_at=BASE, updated_at=BASE))
    connection.execute(insert(TemplateVersion.__table__).values(
        id=version_id, template_id=template_id, number=1, status="published",
        content={"title": f"Mal {n}", "summary": str(n)}, content_hash=str(n), changelog="", created_at=BASE))
    return template_id, version_id


def _library(app, make):
    """The reader (Drammen), four templates it sees and one it does not, and their uses."""
    reader, asker = make.tenant("drammen", "Drammen"), make.tenant("asker", "Asker")
    baerum = make.tenant("baerum", "Bærum")
    uses = {0: [asker, asker, baerum, reader], 1: [baerum], 2: [], 3: [reader, asker], 4: [asker, baerum]}
    procurements = {t.id: iter(led_procurements(app, t, [BASE + timedelta(hours=h) for h in range(4)]))
                    for t in (reader, asker, baerum)}
    with app.app_context(), isolation.system_scope():
        connection = db.session.connection()
        made = []
        for n, (owner, visibility) in enumerate([(asker, "all"), (baerum, "all"), (asker, "all"),
                                                 (baerum, "shared"), (asker, "private")]):
            template_id, version_id = _template(connection, n, owner.id, visibility)
            if visibility == "shared":
                connection.execute(insert(TemplateShare.__table__).values(
                    id=uuid.uuid4(), template_id=template_id, tenant_id=reader.id, owner_tenant_id=owner.id))
            for user in uses[n]:
                connection.execute(insert(TemplateUse.__table__).values(
                    id=uuid.uuid4(), template_id=template_id, version_id=version_id, tenant_id=user.id,
                    procurement_id=next(procurements[user.id]), created_at=BASE))
            made.append(template_id)
        db.session.commit()
    return reader.id, made


def test_the_page_says_who_reused_each_template_as_the_reuse_statement_does(app, make):
    reader, made = _library(app, make)
    with app.test_request_context("/arena/"):
        isolation.set_scope([reader])
        tenant_ids = {"tenant_ids": [reader]}
        page = listing.arena_page(limit=10, tenant_ids=tenant_ids)
        rows = listing.arena_rows(page, str, tenant_ids)
        stats = service.reuse_stats(made)  # the statement the page ran before (and runs on SQLite)
        db.session.rollback()
    shown = {row.id: (row.reuse_count, row.reuse_tenants) for row in rows}
    assert shown == {made[0]: (4, "Asker, Bærum, Drammen"), made[1]: (1, "Bærum"), made[2]: (0, ""),
                     made[3]: (2, "Asker, Drammen")}  # the private one of Asker's is not on the page
    assert shown == {tid: (stats[tid]["count"], ", ".join(stats[tid]["tenants"])) for tid in shown}


def test_on_postgresql_the_reuse_counts_come_with_the_page(app, make, count_queries):
    reader, made = _library(app, make)
    with app.test_request_context("/arena/"):
        isolation.set_scope([reader])
        tenant_ids = {"tenant_ids": [reader]}
        page = listing.arena_page(limit=10, tenant_ids=tenant_ids)
        with count_queries() as counted:
            listing.arena_rows(page, str, tenant_ids)
        dialect = db.engine.dialect.name
        db.session.rollback()
    reuse_statements = [s for s in counted.statements if "template_uses" in s]
    assert len(reuse_statements) == (0 if dialect == "postgresql" else 1), counted.statements


def _scans(node: dict, relation: str) -> list[dict]:
    """The plan nodes under `node` that read `relation` (a table or one of its indexes)."""
    found = [node] if node.get("Relation Name") == relation else []
    for child in node.get("Plans", ()):
        found += _scans(child, relation)
    return found


def test_on_postgresql_the_page_reads_each_rows_uses_once_and_looks_each_reuser_up(app, make):
    """The page statement's reuse columns are one lateral subquery (`listing._reuse_lateral`),
    run as the app role under the read policies: one scan of `template_uses` per row (the
    correlated count and names read them twice), and a reusing municipality's name is one lookup
    of its id, once per template it reused (the names' join read every tenant for each row with
    uses: 3 municipalities here, 356 in the bench)."""
    reader, made = _library(app, make)
    with app.test_request_context("/arena/"):
        if db.engine.dialect.name != "postgresql":
            return  # SQLite: `reuse_stats`' own statement (decision 193)
        isolation.set_scope([reader])
        statement = listing._page_statement("postgresql", False, False, 11)
        compiled = statement.compile(dialect=db.engine.dialect)
        params = compiled.construct_params({"tenant_ids": [reader]})
        connection = db.session.connection()
        rows = connection.execute(statement, {"tenant_ids": [reader]}).all()
        plan = connection.exec_driver_sql("EXPLAIN (ANALYZE, FORMAT JSON) " + compiled.string,
                                          params).scalar_one()[0]["Plan"]
        db.session.rollback()
    assert len(rows) == 4 and sum(row.reuse_count for row in rows) == 7  # the page has rows with uses
    assert len(_scans(plan, "template_uses")) == 1, plan
    lookups = [scan for scan in _scans(plan, "tenants") if scan.get("Alias") != "tenants"]  # not the publisher's
    assert lookups, plan
    # distinct reusers per row: Asker, Bærum, Drammen; Bærum; none; Drammen, Asker
    assert sum(scan["Actual Loops"] for scan in lookups) == 6, lookups
    assert all(scan["Actual Rows"] <= 1 for scan in lookups), lookups
