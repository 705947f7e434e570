"""The arena's page statement leaves PostgreSQL nothing to guess per visit: its limit, the
visibility open to all, the reusers' lookup limit and their separator are constants of the SQL,
and the viewer's tenants are read through a scalar subquery (an InitPlan). A prepared
statement's generic plan is then the plan a visit would get, and PostgreSQL keeps it instead of
planning the page again on every visit, which it did at scale 10 (docs/benchmarks.md, speed
round 10). And the page still shows what each viewer may see."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.dialects import postgresql

from core.library import listing

PG = postgresql.psycopg.dialect()


@pytest.mark.parametrize(("searched", "paged", "bound"), [
    (False, False, {"tenant_ids"}),
    (True, False, {"tenant_ids", "pattern"}),
    (False, True, {"tenant_ids", "after_at", "after_id"}),
    (True, True, {"tenant_ids", "pattern", "after_at", "after_id"}),
])
def test_only_the_visit_s_own_values_are_bound(searched, paged, bound):
    statement = listing._page_statement("postgresql", searched, paged, 21)
    compiled = statement.compile(dialect=PG)
    assert set(compiled.params) == bound
    sql = " ".join(compiled.string.split())
    assert re.search(r"\bLIMIT 21$", sql), sql
    assert "templates.visibility = 'all'" in sql
    assert "LIMIT 1)" in sql and "', '" in sql  # the reusers' lookup and their separator
    # every use of the viewer's tenants is a scalar subquery, none a bare array parameter
    assert sql.count("ANY (CAST((SELECT %(tenant_ids)s::UUID[]") == 2, sql
    assert "ANY (%(tenant_ids)s" not in sql


def test_each_page_size_is_built_once():
    assert listing._page_statement("postgresql", False, False, 21) is listing._page_statement(
        "postgresql", False, False, 21)
    assert listing._page_statement("postgresql", False, False, 6) is not listing._page_statement(
        "postgresql", False, False, 21)
