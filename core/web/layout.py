"""The layout's constant texts and links (`base.html`), built once per catalogue and script root.

Every page's frame shows about ten translated texts and ten links that depend only on the
language (the request's catalogue: locale and, on a plugin's pages, its domain) and on the
script root. `layout_texts()` renders `_layout_texts.html` once per such pair and keeps its
module (the template's `{% set %}` names as attributes), so a page pays attribute look-ups
instead of twenty `_()` and `fixed_url` calls through Jinja's context. The texts stay in a
template, where the catalogue's extraction finds them. `constant_texts(template)` does the same
for a page's own constant texts (the procurement pages' header and overview:
`procurement/_texts.html`).
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask.globals import _cv_request

from core.i18n import translations

TEMPLATE = "_layout_texts.html"
_KEY = "samspill.layout_texts"
_MAX_KEPT = 256  # texts templates × catalogues (locales × plugin domains) × script roots


def constant_texts(template: str = TEMPLATE):
    """The module of `template` (texts and links only, no per-request values) for this
    request's catalogue and script root, rendered once per such pair and kept."""
    context = _cv_request.get(None)  # without a proxy look-up each (three panels and the layout)
    app, script_root = (context.app, context.request.script_root) if context is not None else (
        current_app._get_current_object(), request.script_root)
    kept: dict = app.extensions[_KEY]
    key = (template, id(catalogue := translations()), script_root)
    found = kept.get(key)
    if found is None or found[0] is not catalogue:
        module = app.jinja_env.get_template(template).make_module({"url_endpoints": app.view_functions})
        found = (catalogue, module)
        if len(kept) >= _MAX_KEPT:
            kept.clear()
        kept[key] = found
    return found[1]


def layout_texts():
    """The module of `_layout_texts.html` for this request's catalogue and script root."""
    return constant_texts(TEMPLATE)


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = {}
    app.jinja_env.globals["layout_texts"] = layout_texts
    app.jinja_env.globals["constant_texts"] = constant_texts
