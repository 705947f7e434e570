"""How a page's HTML is put together (speed rounds 7 and 8): the layout and the dashboard panels
render into one string each (set blocks), so their output is not yielded piece by piece through the
templates' generators; and a render copies the template globals with `dict.update`
(`core.web.template_globals`), with Jinja's names, values and precedence."""

from __future__ import annotations

import collections
import uuid

import pytest
from flask import render_template_string
from jinja2.runtime import new_context
from markupsafe import Markup

from core.procurement.panels import InvitationRow, PanelRow
from core.transfer.dashboard import PackageItem
from core.web.panels import render_panel
from core.web.template_globals import FlatGlobalsTemplate
from tests.jinja_joins import pieces_of, record_joins


@pytest.fixture
def joins(app, monkeypatch):
    """Every sequence Jinja joins into a string (a render's pieces, a set block's buffer)."""
    return record_joins(app, monkeypatch)


def test_a_page_in_the_layout_arrives_in_one_piece_whatever_its_length(app, joins):
    page = '{% extends "base.html" %}{% block content %}{% for i in items %}<p>{{ i }}</p>{% endfor %}{% endblock %}'
    for n in (0, 1, 40):
        with app.test_request_context("/"):
            app.preprocess_request()
            html = render_template_string(page, items=[f"<{i}>" for i in range(n)])
        assert html.startswith("<!doctype html>") and html.endswith("</html>")
        assert html.count("<p>&lt;") == n
        assert pieces_of(joins, html) == 1, n


def test_the_dashboard_panels_arrive_in_one_piece_whatever_their_rows(app, joins):
    for n in (0, 1, 10):
        rows = [PanelRow(uuid.uuid4(), f"/p/{i}", f"<T{i}>", "Dialog", "Bærum", "Leder") for i in range(n)]
        items = [(uuid.uuid4(), f"D{i}", i % 2 == 0, f"/d/{i}") for i in range(n)]  # (id, title, open, link)
        invitations = [InvitationRow(uuid.uuid4(), f"I{i}", f"Invitert {i}", i % 2 == 0, f"/r/{i}",
                                     f"/a/{i}" if i % 2 == 0 else None) for i in range(n)]
        with app.test_request_context("/t/x/"):
            panel = render_panel("procurement/_dashboard_panel.html", rows=rows, more=False, invitations=[],
                                 invitation_count=0, can_create=False)
            dialogues = render_panel("dialogue/group/_dashboard_panel.html", items=items)
            listed = app.jinja_env.get_template("procurement/_invitation_items.html").render(
                invitations=invitations, back=None, invitation_rows=lambda rows, back: rows)
        assert panel.count("data-procurement-id=") == n and panel.count("&lt;T") == n
        assert dialogues.count('id="dialogue-link-') == n and listed.count("<li ") == n
        assert [pieces_of(joins, str(h)) for h in (panel, dialogues, listed)] == [1, 1, 1], n


def test_templates_copy_their_globals_with_jinjas_names_values_and_precedence(app, monkeypatch):
    env = app.jinja_env
    own = env.from_string("{{ shown }}|{{ both }}|{{ later }}", globals={"shown": "own", "both": "template"})
    assert isinstance(own, FlatGlobalsTemplate)
    assert isinstance(env.get_template("base.html"), FlatGlobalsTemplate)
    monkeypatch.setitem(env.globals, "both", "environment")
    monkeypatch.setitem(env.globals, "later", "added after loading")
    for variables in ({}, {"both": "render", "extra": 1}):
        ours = own.new_context(dict(variables))
        jinjas = new_context(env, own.name, own.blocks, dict(variables), False, own.globals, None)
        assert ours.parent == jinjas.parent and ours.vars == jinjas.vars and ours.globals_keys == jinjas.globals_keys
    assert own.render() == "own|template|added after loading"
    assert own.render(both="render") == "own|render|added after loading"
    # with locals (an imported macro module's context): the same dict
    assert own.new_context({}, False, {"x": 1}).parent == new_context(
        env, own.name, own.blocks, {}, False, own.globals, {"x": 1}).parent
    # and without a ChainMap lookup per name
    looked_up = []
    original = collections.ChainMap.__getitem__
    monkeypatch.setattr(collections.ChainMap, "__getitem__", lambda self, k: looked_up.append(k) or original(self, k))
    assert env.from_string("{{ csrf_token is defined }}").render() == "True"
    assert looked_up == []


def test_the_package_panel_arrives_in_one_piece_whatever_its_rows(app, joins):
    for n in (1, 5):
        items = [PackageItem(uuid.uuid4(), f"/arena/{i}", f"k{i}", f"<P{i}>", Markup(f"Publisert av K{i}."))
                 for i in range(n)]
        with app.test_request_context("/t/x/"):
            panel = render_panel("transfer/_dashboard_panel.html", items=items)
        assert panel.count('id="package-') == n and panel.count("&lt;P") == n
        assert pieces_of(joins, str(panel)) == 1, n
