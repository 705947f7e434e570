"""The dashboard's packages statement has its limit as a constant in the SQL, so PostgreSQL's
generic plan of the prepared statement is not costed for a tenth of the templates (what it
assumes for `LIMIT $n`) and is chosen after the first five runs, as for the dashboard's other
statements, instead of a new plan on every visit (docs/benchmarks.md: pg_prepared_statements on
the scale-1 data). And the panel still shows the newest packages up to the limit."""

from __future__ import annotations

import copy
import re

import pytest

from core.db import db
from core.transfer.dashboard import DASHBOARD_PACKAGES, packages_statement
from plugins.welfare_tech.content import TEMPLATE


@pytest.mark.parametrize("limit", [DASHBOARD_PACKAGES, 2])
def test_the_packages_limit_is_a_constant_of_the_statement(app, limit):
    with app.app_context():
        sql = str(packages_statement(db.engine.dialect.name, limit).compile(dialect=db.engine.dialect))
    assert re.search(rf"\bLIMIT {limit}(\s+OFFSET \?)?\s*$", sql), sql  # SQLite adds its OFFSET
    assert packages_statement("postgresql", limit) is packages_statement("postgresql", limit)  # built once


def test_the_panel_shows_the_newest_packages_up_to_the_limit(world, package):
    published = [package.template_id]
    for n in range(DASHBOARD_PACKAGES):
        content = {**copy.deepcopy(TEMPLATE), "key": f"pakke-{n}", "title": f"Pakke {n}", "summary": f"Pakke {n}"}
        made = world.api("baerum").post("/api/v1/tenants/baerum/templates",
                                        json={"content": content, "visibility": "all"})
        assert made.status_code == 201, made.json
        published.append(made.json["template_id"])
    page = world.browser("drammen").get("/t/drammen/").get_data(as_text=True)
    shown = re.findall(r'id="package-([0-9a-f-]+)"', page)
    assert shown == published[::-1][:DASHBOARD_PACKAGES], (shown, published)
