"""The dashboard panels' building blocks (core/web/panels.py, core/web/urls.py): a row link built from one URL
build is the link `url_for` gives, under a subpath too, and a panel renders only what it is
given, translated."""

from __future__ import annotations

import uuid

from flask import url_for

from core.procurement.labels import LABELS
from core.web.panels import labels_in, render_panel
from core.web.urls import url_per_id


def test_url_per_id_gives_url_for_links_also_under_a_subpath(app):
    ids = [uuid.uuid4() for _ in range(3)]
    for root in ("/", "/samspill/"):
        with app.test_request_context("/t/x/", base_url=f"http://host{root.rstrip('/')}"):
            show = url_per_id("procurement.show", "procurement_id", slug="x")
            accept = url_per_id("procurement_group.accept_page", "procurement_id", slug="x", back="invitations")
            for pid in ids:
                assert show(pid) == url_for("procurement.show", procurement_id=pid, slug="x")
                assert accept(pid) == url_for("procurement_group.accept_page", procurement_id=pid, slug="x",
                                              back="invitations")
            if root != "/":
                assert show(ids[0]).startswith("/samspill/t/x/")


def test_labels_are_translated_and_unknown_values_shown_as_they_are(app):
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        app.preprocess_request()
        phase = labels_in(LABELS["phase"])
        assert phase("dialogue") == str(LABELS["phase"]["dialogue"])
        assert phase("no-such-phase") == "no-such-phase"


def test_a_panel_renders_what_it_is_given_autoescaped(app):
    with app.test_request_context("/t/x/"):
        html = render_panel("dialogue/group/_dashboard_panel.html",
                            items=[("p1", "<b>T</b>", True, "/u")])  # (id, title, dialogue open, link)
    assert 'href="/u"' in html and "&lt;b&gt;T&lt;/b&gt;" in html and "<b>" not in html


def test_labels_are_translated_once_per_catalogue_and_follow_the_requests_language(app, monkeypatch):
    from flask_babel.speaklater import LazyString

    translated = []
    original = LazyString.__str__
    monkeypatch.setattr(LazyString, "__str__", lambda self: translated.append(1) or original(self))
    shown = {}
    for visit in range(2):
        if visit:
            translated.clear()
        for language in ("en", "nb", "en", "nb"):
            with app.test_request_context("/", headers={"Accept-Language": language}):
                app.preprocess_request()
                phase = labels_in(LABELS["phase"])
                shown.setdefault(language, []).append((phase("dialogue"), phase("needs"), phase("dialogue")))
    assert shown["en"] == [("Market dialogue", "Needs mapping", "Market dialogue")] * 4
    assert len(set(shown["nb"])) == 1 and shown["nb"][0][0] != "Market dialogue"
    assert len(translated) == 0  # each label was translated once per language, during the first visit
