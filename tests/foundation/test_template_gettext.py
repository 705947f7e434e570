"""Jinja's `_()` (`core.i18n._template_gettext`) gives what Jinja's new-style gettext gives."""

from __future__ import annotations

from flask import render_template_string
from jinja2.ext import _make_new_gettext
from markupsafe import Markup


def test_template_gettext_formats_as_jinja_does_with_and_without_values(app):
    texts = ["Plain text", "100%% sure", "50 %% of <b>%(name)s</b>", "A <tag> & more", "%(name)s only"]
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        jinja = _make_new_gettext(lambda s: s)  # Jinja's own callable, for the expected answer
        for text in texts:
            for values in ({}, {"name": "<i>x</i>"}):
                if "%(name)s" in text and not values:
                    continue
                ours = render_template_string("{{ _(text, **values) }}", text=text, values=values)
                theirs = render_template_string("{{ jinja(text, **values) }}", text=text, values=values,
                                                jinja=jinja)
                assert ours == theirs, (text, values)
        assert render_template_string("{{ _('100%% sure') }}") == "100% sure"
        assert isinstance(render_template_string("{% set t = _('Plain text') %}{{ t.__class__.__name__ }}"), str)
        assert Markup("x") == render_template_string("{{ _('x') }}")
