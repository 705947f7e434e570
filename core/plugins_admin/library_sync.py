"""Plugin templates into the template library: the library reads them through the
`samspill_templates` hook and keeps them as `source=plugin` templates owned by the plugin.

Run by `samspill plugins sync-templates` (after installing or upgrading a plugin) and by the
demo seed. New keys become templates, changed content a new published version, unchanged
content is left alone, so running it again is harmless. A plugin whose template does not
validate is reported by name; the others are still synced.
"""

from __future__ import annotations

from core.db import db
from core.errors import DomainError
from core.plugin_manager import current_host
from core.plugin_wiring import as_list


def sync_plugin_templates() -> dict[str, int]:
    """Plugin name -> number of template versions it published now (active plugins only)."""
    from core.library.models import TemplateSource
    from core.library.platform import sync_templates
    from core.plugin_api import TEMPLATE_FORMAT

    host = current_host()
    published: dict[str, int] = {}
    for plugin, result in host.call_each("samspill_templates", domain=None).items():
        documents = [t for t in as_list(result)
                     if isinstance(t, dict) and t.get("format") == TEMPLATE_FORMAT]
        try:
            with db.session.begin_nested():
                versions = sync_templates(documents, source=TemplateSource.plugin, owner_key=plugin)
        except DomainError as exc:
            details = "; ".join(f"{k}: {v}" for k, v in (exc.errors or {}).items())
            host.report(plugin, "content", f"Template refused by the library: {exc.detail} {details}",
                        hook="samspill_templates")
            continue
        published[plugin] = len(versions)
    return published
