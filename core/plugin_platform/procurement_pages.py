"""A plugin's pages inside a procurement: a tab among the procurement's own, with access
checked by the platform.

`plugin_api.procurement_pages(name, __name__)` makes a blueprint mounted at
`/t/<slug>/procurements/<procurement_id>/plugins/<name>/`. Before a view runs the platform
resolves the tenant (membership), then the procurement for reading (the procurement package's
check, hook `samspill_procurement_access`: an unseen procurement answers 404), then checks that
the procurement's *lead* enabled the plugin (the lead governs a joint procurement; elsewhere
404). Views get no `procurement_id` argument: `current_procurement()` gives the procurement and
`can_change_procurement()` tells whether the caller may change it; `url_for` fills in the
procurement. Templates may include `procurement/_header.html` (title, phase and tabs, the
plugin's own tab marked current). The hook `samspill_procurement_navigation_items(procurement,
tenant)` adds the tab.
"""

from __future__ import annotations

from functools import wraps
from typing import Any, NamedTuple

from flask import Blueprint, g

from core.errors import Forbidden, NotFound
from core.i18n import _l
from core.plugin_platform.host import current_host, enabled_for_tenant, require_procurement
from core.plugin_platform.translations import use_for_blueprint
from tenants.resolution import tenant_blueprint

PREFIX = "/procurements/<uuid:procurement_id>/plugins/{name}"


def blueprint(plugin: str, import_name: str, **kwargs: Any) -> Blueprint:
    """The blueprint of `plugin`'s procurement pages (see the module docstring)."""
    bp = tenant_blueprint(f"plugin_{plugin}_procurement", import_name,
                          url_prefix=PREFIX.format(name=plugin), **kwargs)
    bp.samspill_procurement_pages = plugin
    use_for_blueprint(bp, plugin)  # the plugin's own catalogue on its pages

    @bp.url_defaults
    def _add_procurement(endpoint, values):
        if "procurement_id" not in values and g.get("procurement") is not None:
            values["procurement_id"] = g.procurement.id

    @bp.context_processor
    def _procurement_context():
        access = g.get("procurement_access")
        if access is None:
            return {}
        return header_context(access, plugin)

    return bp


class Tab(NamedTuple):
    """One tab of `samspill_procurement_tabs` as `procurement/_header.html` prints it (unpacked in
    its loop, no attribute look-up per field)."""

    url: Any
    label: Any
    id: Any = None


def _field(item: Any, name: str, missing: Any) -> Any:
    # as Jinja's `item.<name>` read it: the attribute, else the key, else undefined (printed as "")
    try:
        return getattr(item, name)
    except AttributeError:
        pass
    try:
        return item[name]
    except (TypeError, LookupError):
        return missing


def tab_rows(results: list | None) -> list[Tab]:
    """The hook's answers (lists of `{"url", "label", "id"?}`) as one list of `Tab`s, in order."""
    return [Tab(item.get("url", ""), item.get("label", ""), item.get("id")) if isinstance(item, dict)
            else Tab(_field(item, "url", ""), _field(item, "label", ""), _field(item, "id", None))
            for result in results or [] for item in result or []]


def header_context(access, active: str) -> dict[str, Any]:
    """What `procurement/_header.html` needs (the procurement's title, phase and tabs), as the
    procurement's own pages give it; the tabs come from the hook `samspill_procurement_tabs`."""
    tabs = tab_rows(current_host().call("samspill_procurement_tabs", procurement=access.procurement))
    return {"procurement": access.procurement, "access": access, "active_tab": active,
            "can": access.abilities(), "extra_tabs": tabs}


def is_procurement_pages(bp: Any, plugin: str) -> bool:
    return getattr(bp, "samspill_procurement_pages", None) == plugin


def guard(plugin: str, view):
    """Wrap a procurement page: tenant member, procurement readable, plugin enabled by the lead."""

    @wraps(view)
    def guarded(*args, **kwargs):
        access = require_procurement(kwargs.pop("procurement_id"), "read")  # 404 when not visible
        if plugin not in enabled_for_tenant(access.procurement.lead_tenant_id):
            raise NotFound(_l("No such page."))
        g.procurement, g.procurement_access = access.procurement, access
        return view(*args, **kwargs)

    return guarded


def current_procurement():
    """The procurement whose page this is (resolved and checked by the platform)."""
    procurement = g.get("procurement")
    if procurement is None:
        raise NotFound(_l("No procurement in this request."))
    return procurement


def can_change_procurement() -> bool:
    """Whether the caller may change the current procurement (project group, lead or buyer
    officers): show or hide editing controls with it."""
    access = g.get("procurement_access")
    return bool(access is not None and access.can("write"))


def require_procurement_change() -> None:
    """403 unless the caller may change the current procurement (404 when there is none)."""
    current_procurement()
    if not can_change_procurement():
        raise Forbidden(_l("Your role in this procurement does not allow this."))


def tabs(procurement) -> list[dict[str, str]]:
    """Tabs from the plugins the lead enabled (`samspill_procurement_navigation_items`), for the
    procurement's pages in the current tenant's space."""
    tenant = g.get("tenant")
    if tenant is None:
        return []
    results = current_host().call_each("samspill_procurement_navigation_items",
                                       enabled=enabled_for_tenant(procurement.lead_tenant_id),
                                       procurement=procurement, tenant=tenant)
    found = []
    for plugin, items in results.items():
        for item in items if isinstance(items, list | tuple) else [items]:
            if isinstance(item, dict) and item.get("label") and item.get("url"):
                found.append({"id": str(item.get("id") or plugin), "url": str(item["url"]),
                              "label": str(item["label"]), "priority": item.get("priority", 100)})
    return sorted(found, key=lambda item: item["priority"])
