"""The layout's constant texts and links (`base.html`), built once per catalogue and script root.

Every page's frame shows about ten translated texts and ten links that depend only on the
language (the request's catalogue: locale and, on a plugin's pages, its domain) and on the
script root. `layout_texts()` renders `_layout_texts.html` once per such pair and keeps its
module (the template's `{% set %}` names as attributes), so a page pays attribute look-ups
instead of twenty `_()` and `fixed_url` calls through Jinja's context. The texts stay in a
template, where the catalogue's extraction finds them.
"""

from __future__ import annotations

from flask import Flask, current_app, request

from core.i18n import translations

TEMPLATE = "_layout_texts.html"
_KEY = "samspill.layout_texts"
_MAX_KEPT = 64  # catalogues (locales × plugin domains) × script roots; more is not a real app


def layout_texts():
    """The module of `_layout_texts.html` for this request's catalogue and script root."""
    app = current_app._get_current_object()
    kept: dict = app.extensions[_KEY]
    key = (id(catalogue := translations()), request.script_root)
    found = kept.get(key)
    if found is None or found[0] is not catalogue:
        module = app.jinja_env.get_template(TEMPLATE).make_module({"url_endpoints": app.view_functions})
        found = (catalogue, module)
        if len(kept) >= _MAX_KEPT:
            kept.clear()
        kept[key] = found
    return found[1]


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = {}
    app.jinja_env.globals["layout_texts"] = layout_texts
