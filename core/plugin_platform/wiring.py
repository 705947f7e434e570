"""Connects the app's plugins to the app: pages, JSON API, OpenAPI names, navigation,
dashboard panels, command line, Alembic version locations and the procurement domain's
extension points (gate items, extension-data validators, templates).

A plugin's pages live under `/t/<slug>/plugins/<name>/` and its API under
`/api/v1/tenants/<slug>/plugins/<name>/`; every view of theirs is wrapped so it answers 404 in
a tenant that has not enabled the plugin. A plugin whose page raises is reported by name.
"""

from __future__ import annotations

import os
from functools import wraps
from typing import Any

from flask import Blueprint, Flask, current_app, g, got_request_exception, has_app_context, request
from flask_babel import lazy_gettext as _
from markupsafe import Markup

from core import isolation
from core.errors import NotFound
from core.i18n import _l
from core.plugin_platform.host import (
    EXTENSION_KEY,
    PluginHost,
    call_for_tenant,
    create_host,
    enabled_for_tenant,
)

PAGE_PREFIX = "/t/<slug>/plugins/{name}"
API_PREFIX = "/api/v1/tenants/<slug>/plugins/{name}"
OWNERS_KEY = "samspill.plugin_blueprints"


def as_list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    return [value]


def init_app(app: Flask) -> PluginHost:
    """Load the app's plugins and wire everything they contribute."""
    host = create_host(app)
    app.extensions.setdefault(OWNERS_KEY, {})
    register_pages(app, host)
    from core.api import add_api_registrar

    add_api_registrar(app, lambda api: register_api(app, api, host))
    app.extensions.setdefault("samspill.cli_registrars", []).append(
        lambda cli: host.call("samspill_register_commands", cli=cli))
    _configure_alembic_once()
    _feed_procurement_domain(app)
    app.extensions.setdefault("samspill.dashboard_panels", []).append(dashboard_panels)
    app.context_processor(_navigation_context)
    got_request_exception.connect(_report_page_error, app)
    return host


# --- pages and API -----------------------------------------------------------------------

def register_pages(app: Flask, host: PluginHost) -> None:
    for name, result in host.call_each("samspill_blueprints").items():
        prefix = PAGE_PREFIX.format(name=name)
        for bp in as_list(result):
            if not isinstance(bp, Blueprint) or not (bp.url_prefix or "").startswith(prefix):
                host.report(name, "register", f"Blueprint {getattr(bp, 'name', bp)!r} must be made "
                            f"with plugin_api.tenant_pages({name!r}, ...) (URL prefix {prefix}).",
                            hook="samspill_blueprints")
                continue
            try:
                app.register_blueprint(bp)
            except Exception as exc:  # e.g. a blueprint name another plugin took
                host.report(name, "register", f"Blueprint {bp.name!r}: {exc}", hook="samspill_blueprints")
                continue
            app.extensions[OWNERS_KEY][bp.name] = name
            _wrap_views(app, bp.name, lambda view, n=name: _page_guard(n, view))


def register_api(app: Flask, api, host: PluginHost) -> None:
    from flask_smorest import Blueprint as ApiBlueprint

    from core.extensions import csrf
    from core.plugin_platform.extension_data import register_openapi_components

    register_openapi_components(app, api, host)
    for name, result in host.call_each("samspill_api_blueprints").items():
        prefix = API_PREFIX.format(name=name)
        for bp in as_list(result):
            if not isinstance(bp, ApiBlueprint) or not (bp.url_prefix or "").startswith(prefix):
                host.report(name, "register", f"API blueprint {getattr(bp, 'name', bp)!r} must be "
                            f"made with plugin_api.api_blueprint({name!r}, ...) (URL prefix {prefix}).",
                            hook="samspill_api_blueprints")
                continue
            try:
                api.register_blueprint(bp)
            except Exception as exc:
                host.report(name, "register", f"API blueprint {bp.name!r}: {exc}",
                            hook="samspill_api_blueprints")
                continue
            csrf.exempt(bp)
            app.extensions[OWNERS_KEY][bp.name] = name
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
        from core.access import require_tenant_member
        from tenants import service as tenants

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
    owners = sender.extensions.get(OWNERS_KEY, {})
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
    tenant = g.get("tenant") if has_app_context() else None
    if tenant is None or EXTENSION_KEY not in current_app.extensions:
        return {}
    links = []
    for provide in current_app.extensions.get("samspill.admin_links", ()):
        links.extend(as_list(provide(tenant)))
    return {"nav_items": navigation_items(tenant), "admin_links": links}


def dashboard_panels(tenant) -> Markup | None:
    """The tenant's enabled plugins' dashboard panels, in priority order."""
    panels = [p for r in call_for_tenant("samspill_dashboard_panels", tenant.id, tenant=tenant)
              for p in as_list(r) if p]
    return Markup("").join(panels) if panels else None  # plain strings get escaped


# --- command line and migrations ---------------------------------------------------------

def _configure_alembic_once() -> None:
    from core.extensions import migrate

    if _configure_alembic not in migrate.configure_callbacks:
        migrate.configure(_configure_alembic)


def _configure_alembic(config):
    """Add every loaded plugin's own version location next to the core's."""
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
    return config


# --- the procurement domain's extension points -------------------------------------------

def _feed_procurement_domain(app: Flask) -> None:
    from core.plugin_platform import extension_data

    app.extensions.setdefault("samspill.gate_item_providers", []).append(gate_items_for)
    validators = app.extensions.setdefault("samspill.extension_validators", {})
    for namespace in extension_data.namespaces(app.extensions[EXTENSION_KEY], "procurement"):
        validators[namespace] = extension_data.procurement_validator(namespace)
    app.extensions.setdefault("samspill.template_providers", []).append(templates_for_tenant)
    app.extensions.setdefault("samspill.procurement_listeners", []).append(procurement_event)
    app.extensions.setdefault("samspill.procurement_nav", []).append(procurement_tabs)
    app.extensions.setdefault("samspill.invitation_template_sources", []).append(invitation_text)


def procurement_tabs(procurement) -> list[dict[str, str]]:
    """A "domain details" tab when the lead's plugins add extension data to procurements."""
    from flask import url_for

    from core.plugin_platform.extension_data import PROCUREMENT, schemas_for

    tenant = g.get("tenant")
    if tenant is None or not schemas_for(procurement, PROCUREMENT):
        return []
    return [{"url": url_for("extension_data.show", slug=tenant.slug, procurement_id=procurement.id),
             "label": str(_("Domain details"))}]


def invitation_text(procurement) -> str | None:
    """The dialogue-invitation draft: from the template the procurement started from, else
    from the template of the domain plugin the lead enabled (`texts.dialogue_invitation`, or
    its `_solo` variant while the lead buys alone)."""
    from core.db import db
    from core.library.texts import package_text
    from core.procurement.participants import is_joint

    if procurement.template_version_id is not None:
        from core.library.models import TemplateVersion

        version = db.session.get(TemplateVersion, procurement.template_version_id)
        text = package_text(version.content, "dialogue_invitation", joint=is_joint(procurement.id)) if version else ""
        if text:
            return text
    if not procurement.domain:
        return None
    for template in templates_for_tenant(procurement.lead_tenant_id, domain=procurement.domain):
        text = package_text(template, "dialogue_invitation", joint=is_joint(procurement.id))
        if text:
            return text
    return None


PROCUREMENT_EVENTS = {"created": "procurement_created", "procurement_created": "procurement_created",
                      "phase_changed": "phase_changed", "artefact_published": "artefact_published",
                      "deadline_passed": "deadline_passed"}


def procurement_event(event: str, procurement, **data: Any) -> None:
    """Listener for `core.procurement.service.emit`: passes the lifecycle events on to the
    plugins (`core.plugin_platform.host.emit`); events without a hook (e.g. `lead_changed`) are not."""
    from core.plugin_platform.host import emit

    hook_event = PROCUREMENT_EVENTS.get(event)
    if hook_event is None:
        return
    emit(hook_event, procurement, **{k: getattr(v, "value", v) for k, v in data.items()})


def gate_items_for(procurement) -> list[dict[str, Any]]:
    """Gate items from the plugins the lead tenant enabled (the lead governs), each with its
    plugin as `source`. A plugin whose hook fails adds one blocking item naming it, so a gate
    never opens because a checklist could not be read; the item can be waived with a reason."""
    from core.plugin_platform.host import current_host

    failed: list[str] = []
    results = current_host().call_each(
        "samspill_gate_items", enabled=enabled_for_tenant(procurement.lead_tenant_id),
        failed=failed, procurement=procurement, phase=None)
    items = [{**item, "source": plugin} for plugin, result in results.items()
             for item in as_list(result) if isinstance(item, dict) and item.get("key")]
    phase = getattr(procurement.phase, "value", procurement.phase)
    items += [{"phase": phase, "key": f"plugin-error:{plugin}", "source": plugin,
               "text": _("The checklist items of the plugin %(name)s could not be read.", name=plugin)}
              for plugin in failed]
    return items


def templates_for_tenant(tenant_id, domain: str | None = None) -> list[dict[str, Any]]:
    """`samspill.template/1` templates from the plugins `tenant_id` enabled."""
    from core.plugin_api import TEMPLATE_FORMAT

    templates = []
    for result in call_for_tenant("samspill_templates", tenant_id, domain=domain):
        for template in as_list(result):
            wanted = isinstance(template, dict) and template.get("format") == TEMPLATE_FORMAT
            if wanted and domain in (None, template.get("domain")):
                templates.append(template)
    return templates


def installed_templates() -> list[dict[str, Any]]:
    """Every active plugin's templates, whichever tenant enabled it (the library's view)."""
    from core.plugin_api import TEMPLATE_FORMAT
    from core.plugin_platform.host import current_host

    return [template for result in current_host().call_each("samspill_templates", domain=None).values()
            for template in as_list(result)
            if isinstance(template, dict) and template.get("format") == TEMPLATE_FORMAT]
