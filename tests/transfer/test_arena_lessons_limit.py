"""The arena's recent lessons: the limit is a constant of the statement (PostgreSQL's generic plan
of a `LIMIT $n` is costed for a tenth of the rows, so the prepared statement was planned again on
every visit), and the page still lists the newest five, newest first."""

from __future__ import annotations

import re

import pytest

from core.db import db
from core.library import listing


@pytest.mark.parametrize("limit", [5, 2])
def test_the_recent_lessons_limit_is_a_constant_of_the_statement(app, limit):
    with app.app_context():
        dialect = db.engine.dialect
        sql = str(listing._recent_lessons(dialect.name, limit).compile(dialect=dialect))
    assert re.search(rf"\bLIMIT {limit}(\s+OFFSET \?)?\s*$", sql), sql  # SQLite adds its OFFSET
    assert listing._recent_lessons(dialect.name, limit) is listing._recent_lessons(dialect.name, limit)


def test_the_arena_lists_the_five_newest_lessons(world, package):
    titles = [f"Lærdom {n}" for n in range(7)]
    for title in titles:
        made = world.api("asker").post(f"/api/v1/templates/{package.template_id}/lessons",
                                       json={"title": title, "body": "Nattevaktene likte varslene."})
        assert made.status_code == 201, made.json
    html = world.browser("drammen").get("/arena/").get_data(as_text=True)
    listed = html[html.index('<ul id="recent-lessons">'):]
    listed = listed[:listed.index("</ul>")]
    assert re.findall(r">(Lærdom \d)</a>", listed) == titles[::-1][:5]
