"""Cheap building blocks for the dashboard's panels (the hook `samspill_dashboard_panels`),
which run on every visit of a tenant's dashboard.

`render_panel` renders a panel's template with only the context it is given: Flask's
`render_template` would run every context processor again for each panel (the site menu's
hooks among them) although a panel shows none of it. Row links come from
`core.web.urls.url_per_id` (one URL build per list). `labels_in` translates each label of a
table once per process and catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app
from flask.globals import _cv_app
from markupsafe import Markup

from core.i18n import translations


def render_panel(template_name: str, **context: Any) -> Markup:
    """The panel's template rendered (autoescaped) with `context` and the app's template
    globals (`_`, `url_for`, `csrf_token`, …), without the page context processors."""
    app_context = _cv_app.get(None)  # the app without a proxy look-up (a dashboard renders three panels)
    app = app_context.app if app_context is not None else current_app
    template = app.jinja_env.get_or_select_template(template_name)
    return Markup(template.render(context))  # noqa: S704 (an autoescaped template)


def labels_in(table: Mapping[Any, Any]) -> Callable[[Any], str]:
    """A function giving the translated label of a value of `table` (lazy strings), or the value
    itself when it has none. Each label is translated once per process and catalogue (the
    request's, `core.i18n.translations`: locale and domain), which is what a lazy label's text
    depends on; `table` must be a constant (a module's labels), as every caller's is."""
    catalogue = translations()
    key = (id(table), id(catalogue))
    kept = _LABELS_KEPT.get(key)
    if kept is None or kept[0] is not table or kept[1] is not catalogue:
        if len(_LABELS_KEPT) >= _MAX_KEPT:
            _LABELS_KEPT.clear()
        kept = _LABELS_KEPT[key] = (table, catalogue, {})
    done: dict[Any, str] = kept[2]

    def label(value: Any) -> str:
        found = done.get(value)
        if found is None:
            found = done[value] = str(table.get(value, value))
        return found
    return label


# Translated labels per (table, catalogue), each entry holding both so an id is never reused
# for another: tables × locales × domains (a few dozen), cleared if ever more.
_LABELS_KEPT: dict[tuple[int, int], tuple[Mapping[Any, Any], Any, dict[Any, str]]] = {}
_MAX_KEPT = 256
