"""Connects the app's plugins to the app: pages, JSON API, OpenAPI names, navigation,
dashboard panels, command line, Alembic version locations and the procurement domain's
extension points (gate items, extension-data validators, templates).

A plugin's pages live under `/t/<slug>/plugins/<name>/` and its API under
`/api/v1/tenants/<slug>/plugins/<name>/`; every view of theirs is wrapped so it answers 404 in
a tenant that has not enabled the plugin. A plugin whose page raises is reported by name.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, current_app, g, got_request_exception, has_app_context, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _
from flask_smorest import Blueprint as ApiBlueprint
from markupsafe import Markup

from core import isolation
from core.access import require_tenant_member
from core.errors import NotFound
from core.extensions import csrf, migrate
from core.i18n import _l
from core.plugin_platform import problems, procurement_pages
from core.plugin_platform.extension_data import register_openapi_components
from core.plugin_platform.hookspecs import TEMPLATE_FORMAT
from core.plugin_platform.host import (
    ENABLED_CACHE_KEY,
    EXTENSION_KEY,
    PluginHost,
    call_for_tenant,
    current_host,
    enabled_for_tenant,
)
from tenants import service as tenants

PAGE_PREFIX = "/t/<slug>/plugins/{name}"
API_PREFIX = "/api/v1/tenants/<slug>/plugins/{name}"


def as_list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    return [value]


def init_app(app: Flask, host: PluginHost) -> None:
    """Register every plugin's pages (internal ones as they are, third-party ones guarded) and
    what plugins add to every page; the API shell calls `register_api`, the CLI its hook."""
    problems.init_app(app)
    register_pages(app, host)
    _configure_alembic_once()
    app.context_processor(_navigation_context)
    got_request_exception.connect(_report_page_error, app)


# --- pages and API -----------------------------------------------------------------------

def register_pages(app: Flask, host: PluginHost) -> None:
    for name, result in host.call_each("samspill_blueprints").items():
        if host.plugins[name].internal:  # the platform's own packages: pages where they say
            for bp in as_list(result):
                app.register_blueprint(bp)
            continue
        prefix = PAGE_PREFIX.format(name=name)
        for bp in as_list(result):
            in_procurement = procurement_pages.is_procurement_pages(bp, name)
            if not isinstance(bp, Blueprint) or not (in_procurement or (bp.url_prefix or "").startswith(prefix)):
                host.report(name, "register", f"Blueprint {getattr(bp, 'name', bp)!r} must be made "
                            f"with plugin_api.tenant_pages({name!r}, ...) (URL prefix {prefix}).",
                            hook="samspill_blueprints")
                continue
            try:
                app.register_blueprint(bp)
            except Exception as exc:  # e.g. a blueprint name another plugin took
                host.report(name, "register", f"Blueprint {bp.name!r}: {exc}", hook="samspill_blueprints")
                continue
            host.blueprint_owners[bp.name] = name
            guard = procurement_pages.guard if in_procurement else _page_guard
            _wrap_views(app, bp.name, lambda view, n=name, guard=guard: guard(n, view))


def register_api(app: Flask, api, host: PluginHost) -> None:


    register_openapi_components(app, api, host)
    for name, result in host.call_each("samspill_api_blueprints").items():
        if host.plugins[name].internal:  # the platform's own packages, bearer tokens only
            for bp in as_list(result):
                api.register_blueprint(bp)
                csrf.exempt(bp)
            continue
        prefix = API_PREFIX.format(name=name)
        for bp in as_list(result):
            if not isinstance(bp, ApiBlueprint) or not (bp.url_prefix or "").startswith(prefix):
                host.report(name, "register", f"API blueprint {getattr(bp, 'name', bp)!r} must be "
                            f"made with plugin_api.api_blueprint({name!r}, ...) (URL prefix {prefix}).",
                            hook="samspill_api_blueprints")
                continue
            def report(exc: Exception, name: str = name, bp=bp) -> None:
                host.report(name, "register", f"API blueprint {bp.name!r}: {exc}", hook="samspill_api_blueprints")

            try:  # the documenting runs when the OpenAPI document is first read (core.extensions.Api)
                api.register_blueprint(bp, on_error=report)
            except Exception as exc:
                report(exc)
                continue
            csrf.exempt(bp)
            host.blueprint_owners[bp.name] = name
            _wrap_views(app, bp.name, lambda view, n=name: _api_guard(n, view))


def _wrap_views(app: Flask, blueprint_name: str, wrap) -> None:
    for endpoint, view in list(app.view_functions.items()):
        if endpoint.startswith(blueprint_name + "."):
            app.view_functions[endpoint] = wrap(view)


def _page_guard(name: str, view):
    @wraps(view)
    def guarded(*args, **kwargs):
        tenant = g.get("tenant")
        if tenant is None or name not in enabled_for_tenant(tenant.id):
            raise NotFound(_l("No such page."))
        return view(*args, **kwargs)

    return guarded


def _api_guard(name: str, view):
    @wraps(view)
    def guarded(*args, **kwargs):

        tenant = tenants.find_tenant(kwargs.pop("slug", ""))
        if tenant is None or not tenant.is_active:
            raise NotFound(_l("No such tenant."))
        require_tenant_member(tenant.id)
        if name not in enabled_for_tenant(tenant.id):
            raise NotFound(_l("No such resource."))
        g.tenant = tenant
        isolation.set_scope({tenant.id}, stamp_tenant_id=tenant.id)
        return view(*args, **kwargs)

    return guarded


def _report_page_error(sender: Flask, exception: BaseException, **_extra) -> None:
    blueprint = request.blueprint or ""
    owners = sender.extensions[EXTENSION_KEY].blueprint_owners
    owner = next((owners[b] for b in owners if blueprint == b or blueprint.startswith(b + ".")), None)
    if owner is not None:
        sender.extensions[EXTENSION_KEY].report(owner, "page", f"{type(exception).__name__}: "
                                                f"{exception} ({request.path})", exc=exception)


# --- navigation and dashboard ------------------------------------------------------------

def navigation_items(tenant) -> list[dict[str, Any]]:
    """Menu links from the tenant's enabled plugins, sorted by `priority`, then hook order."""
    items = []
    for result in call_for_tenant("samspill_navigation_items", tenant.id, tenant=tenant):
        for item in as_list(result):
            if isinstance(item, dict) and item.get("label") and item.get("url"):
                items.append(item)
    return sorted(items, key=lambda item: item.get("priority", 100))


def _navigation_context() -> dict[str, Any]:
    """The tenant's menu and admin links, for every template the request renders: built once
    per request and tenant (a dashboard renders four templates; the hooks ran for each), and
    built again after `forget_enabled_cache` (a plugin switched on or off in this request)."""
    tenant = g.get("tenant") if has_app_context() else None
    if tenant is None or EXTENSION_KEY not in current_app.extensions:
        return {}
    built = g.get(_NAVIGATION_KEY)
    locale = get_locale()  # an e-mail rendered with `force_locale` gets its own labels
    if (built is not None and built[0] == tenant.id and built[1] is g.get(ENABLED_CACHE_KEY)
            and built[3] is locale):
        return built[2]
    context = {"nav_items": navigation_items(tenant), "admin_links": AdminLinks(tenant)}
    setattr(g, _NAVIGATION_KEY, (tenant.id, g.get(ENABLED_CACHE_KEY), context, locale))
    return context


_NAVIGATION_KEY = "samspill_navigation"


class AdminLinks:
    """The tenant's admin links (hook `samspill_admin_links`), asked for when a page lists them:
    only the dashboard does, in its administration section, which only admins see; the other
    pages and people do not run the hook (two links and a `url_for` each)."""

    __slots__ = ("_links", "_tenant")

    def __init__(self, tenant) -> None:
        self._tenant, self._links = tenant, None

    def __iter__(self) -> Iterator[Any]:
        if self._links is None:
            tenant = self._tenant
            self._links = [link for result in call_for_tenant("samspill_admin_links", tenant.id, tenant=tenant)
                           for link in as_list(result)]
        return iter(self._links)


def dashboard_panels(tenant) -> list[Markup]:
    """The dashboard panels of the platform's packages and the tenant's enabled plugins, in hook
    order (the procurement domain's first)."""
    return [panel for result in call_for_tenant("samspill_dashboard_panels", tenant.id, tenant=tenant)
            for panel in as_list(result) if panel]


# --- command line and migrations ---------------------------------------------------------

def _configure_alembic_once() -> None:

    if _configure_alembic not in migrate.configure_callbacks:
        migrate.configure(_configure_alembic)


def _configure_alembic(config):
    """Add every loaded plugin's own version location next to the core's."""
    from core.plugin_platform.absent_revisions import (  # noqa: PLC0415 - imports Alembic: a command only
        stand_in_for_absent_revisions,
    )

    if not has_app_context() or EXTENSION_KEY not in current_app.extensions:
        return config
    host: PluginHost = current_app.extensions[EXTENSION_KEY]
    core_versions = os.path.join(config.get_main_option("script_location"), "versions")
    locations = [os.path.abspath(core_versions)]
    for name, result in host.call_each("samspill_migration_locations").items():
        for path in as_list(result):
            path = os.path.abspath(str(path))
            if os.path.isdir(path):
                locations.append(path)
            else:
                host.report(name, "register", f"Migration location {path} does not exist.",
                            hook="samspill_migration_locations")
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations",
                           os.pathsep.join(p.replace("%", "%%") for p in locations))
    stand_in_for_absent_revisions(config)  # a blocked or uninstalled plugin's applied branch
    return config


# --- templates and gate items from the tenant's plugins ---------------------------------

def gate_items_for(procurement) -> list[dict[str, Any]]:
    """Gate items from the platform's own packages and the plugins the lead tenant enabled (the
    lead governs), each with its plugin as `source`. A plugin whose hook fails adds one blocking
    item naming it, so a gate never opens because a checklist could not be read; the item can be
    waived with a reason."""
    host = current_host()
    failed: list[str] = []
    results = host.call_each(
        "samspill_gate_items", enabled=enabled_for_tenant(procurement.lead_tenant_id),
        failed=failed, procurement=procurement, phase=None)
    items = [{**item, "source": plugin} for plugin, result in results.items()
             for item in as_list(result) if isinstance(item, dict) and item.get("key")]
    phase = getattr(procurement.phase, "value", procurement.phase)
    for plugin in failed:
        if host.plugins[plugin].internal:
            items.append({"phase": phase, "key": f"provider-error:{plugin}", "source": plugin,
                          "text": _l("The checklist from %(name)s could not be loaded", name=plugin)})
        else:
            items.append({"phase": phase, "key": f"plugin-error:{plugin}", "source": plugin, "text": _(
                "The checklist items of the plugin %(name)s could not be read.", name=plugin)})
    return items


def templates_for_tenant(tenant_id, domain: str | None = None) -> list[dict[str, Any]]:
    """`samspill.template/1` templates from the plugins `tenant_id` enabled."""
    templates = []
    for result in call_for_tenant("samspill_templates", tenant_id, domain=domain):
        for template in as_list(result):
            wanted = isinstance(template, dict) and template.get("format") == TEMPLATE_FORMAT
            if wanted and domain in (None, template.get("domain")):
                templates.append(template)
    return templates


def installed_templates() -> list[dict[str, Any]]:
    """Every active plugin's templates, whichever tenant enabled it (the library's view)."""
    return [template for result in current_host().call_each("samspill_templates", domain=None).values()
            for template in as_list(result)
            if isinstance(template, dict) and template.get("format") == TEMPLATE_FORMAT]
