"""The arena's content block renders into one string (a set block, decision 220): the layout
receives it in one piece whatever the number of templates and look-alike lines on the page; and
its rows and look-alike lines are named tuples unpacked in the `for`, so a row more reads no
attribute more through Jinja's `getattr`."""

from __future__ import annotations

import uuid

from flask import render_template

from core.library.listing import ArenaRow, Lookalike
from core.pagination import Page
from tests.jinja_joins import record_joins


def _rows(n: int) -> list[ArenaRow]:
    return [ArenaRow(uuid.uuid4(), f"/arena/templates/{i}", f"<Mal {i}>", "welfare_tech", "Velferd", "Asker",
                     1, i, "Bærum" if i else "", 2,
                     [Lookalike(uuid.uuid4(), "Ligner malen fra Asker.", "Samme innhold.")] * (i % 3))
            for i in range(n)]


def _render(app, rows: list[ArenaRow]) -> str:
    with app.test_request_context("/arena/"):
        app.preprocess_request()
        html = render_template("library/arena.html", page=Page(items=rows, next_cursor=None, limit=20), q="",
                               rows=rows, recent_lessons=[], lesson_url=str)
    assert html.count("<tr data-template-id=") == len(rows) and ("&lt;Mal" in html) == bool(rows)
    return html


def _layout_pieces(app, monkeypatch, n: int) -> int:
    joins = record_joins(app, monkeypatch)
    html = _render(app, _rows(n))
    return next(len(p) for p in joins if "".join(p) == html)  # the layout's buffer (its set block)


def test_the_arena_reaches_the_layout_in_one_piece_whatever_its_rows(app, monkeypatch):
    assert _layout_pieces(app, monkeypatch, 1) == _layout_pieces(app, monkeypatch, 20)


def test_a_row_more_reads_no_attribute_through_jinja(app, monkeypatch):
    reads: list[str] = []
    getattr_ = app.jinja_env.getattr

    def counted(obj, attribute):
        reads.append(attribute)
        return getattr_(obj, attribute)
    monkeypatch.setattr(app.jinja_env, "getattr", counted)
    _render(app, _rows(1))  # first-render work (not per row)
    counts = []
    for n in (1, 7):
        reads.clear()
        _render(app, _rows(n))  # rows 2 to 7 bring six look-alike lines
        counts.append(len(reads))
    assert counts[0] == counts[1], counts
