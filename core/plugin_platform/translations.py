"""A plugin's own message catalogue, merged with the platform's only for that plugin.

A plugin package may ship `translations/<locale>/LC_MESSAGES/messages.mo` (compiled from its
`.po` with `pybabel compile -d translations`). Its pages and API run with a Flask-Babel
`Domain` whose catalogue is the platform's with the plugin's merged on top, set as the
request's domain before its views run: the plugin's templates and messages find the plugin's
translations, the layout they extend still finds the platform's, and no other page sees the
plugin's. Outside its own pages (a dashboard panel, an event handler, a domain error's lazy
message) a plugin uses `plugin_api.translations(name)`: `.gettext`, `.ngettext`,
`.lazy_gettext`, `.lazy_ngettext`, and `.render(template, **context)`.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from flask import current_app, g, has_app_context, render_template
from flask_babel import Domain, get_babel

FOLDER = "translations"
_domains: dict[str, PluginDomain] = {}


class PluginDomain(Domain):
    """The platform's catalogue with one plugin's merged on top (the plugin's entries win)."""

    def __init__(self, plugin: str) -> None:
        super().__init__()
        self.plugin = plugin
        self._caches: dict[tuple[str, ...], dict] = {}

    @property
    def translation_directories(self) -> list[str]:
        own = plugin_folder(self.plugin)
        return [*get_babel().translation_directories, *([own] if own else [])]

    def get_translations_cache(self, ctx) -> dict:
        """One cache per set of folders: another app (or a reinstalled plugin) may differ."""
        return self._caches.setdefault(tuple(self.translation_directories), {})

    def render(self, template: str, **context: Any) -> str:
        """Render one of the plugin's templates with its catalogue (e.g. a dashboard panel)."""
        if not has_app_context():
            return render_template(template, **context)
        previous = getattr(getattr(g, "_flask_babel", None), "babel_domain", None)
        self.as_default()
        try:
            return render_template(template, **context)
        finally:
            if previous is None:
                del g._flask_babel.babel_domain
            else:
                g._flask_babel.babel_domain = previous


def translations(plugin: str) -> PluginDomain:
    """The catalogue of `plugin` (its own translations, the platform's beneath)."""
    domain = _domains.get(plugin)
    if domain is None:
        domain = _domains[plugin] = PluginDomain(plugin)
    return domain


def plugin_folder(plugin: str) -> str | None:
    """The plugin package's `translations` folder, when it ships one (looked up once per app)."""
    host = current_app.extensions.get("samspill.plugins")
    folders = host.catalogue_folders if host is not None else {}
    if plugin not in folders:
        folders[plugin] = _find_folder(plugin)
    return folders[plugin]


def _find_folder(plugin: str) -> str | None:
    host = current_app.extensions.get("samspill.plugins")
    info = host.plugins.get(plugin) if host else None
    module = sys.modules.get(info.module or "") if info else None
    path = getattr(module, "__file__", None)
    if not path:
        return None
    folder = os.path.join(os.path.dirname(path), FOLDER)
    return folder if os.path.isdir(folder) else None


def use_for_blueprint(bp, plugin: str) -> None:
    """Run the blueprint's requests (pages or API) with the plugin's catalogue."""

    @bp.before_request
    def _plugin_catalogue():
        translations(plugin).as_default()
