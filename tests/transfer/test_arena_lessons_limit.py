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


def _recent(html: str) -> str:
    listed = html[html.index('<ul id="recent-lessons">'):]
    return listed[:listed.index("</ul>")]


def test_the_lessons_read_with_the_page_are_the_lessons_read_alone(world, package):
    """On PostgreSQL the page statement carries the recent lessons (`listing._recent_in_page`); a
    page without templates (a search that finds none) reads them with their own statement. Both
    list the same lessons, links and escaped text, newest first."""
    for title in ("Første <b>lærdom</b>", "Andre & siste"):
        made = world.api("asker").post(f"/api/v1/templates/{package.template_id}/lessons",
                                       json={"title": title, "body": "Nattevaktene likte varslene."})
        assert made.status_code == 201, made.json
    browser = world.browser("drammen")
    with_page = browser.get("/arena/").get_data(as_text=True)
    alone = browser.get("/arena/", query_string={"q": "ingen mal heter dette"}).get_data(as_text=True)
    assert 'id="arena-templates"' in with_page and 'id="arena-templates"' not in alone
    assert _recent(with_page) == _recent(alone)
    assert re.findall(r'<a href="[^"]*/arena/lessons/[0-9a-f-]{36}">([^<]*)</a>', _recent(with_page)) == [
        "Andre &amp; siste", "Første &lt;b&gt;lærdom&lt;/b&gt;"]
    with world.app.app_context():
        on_postgresql = db.engine.dialect.name == "postgresql"
    assert ("recent_lessons" in listing._page_statement(
        "postgresql" if on_postgresql else "sqlite", False, False, 21).selected_columns) == on_postgresql


def test_without_lessons_the_arena_says_so(world, package):
    html = world.browser("drammen").get("/arena/").get_data(as_text=True)
    assert 'id="arena-templates"' in html
    assert "<a " not in _recent(html) and "<li>" in _recent(html)
