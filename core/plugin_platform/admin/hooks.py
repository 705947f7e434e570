"""The plugin platform's own hook implementations, registered as the internal plugin `samspill`.

Core features use the same hooks plugins do: the plugin pages and API, the `samspill plugins`
commands, the admin notice about failing plugins (a dashboard panel), the "Plugins" link of the
dashboard's administration list, the "Domain details" tab and the validators of the plugins'
extension data on procurements, the demo's enabled plugins, and a `wrapper=True` implementation
that times the per-page hooks.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, g, render_template, url_for
from markupsafe import Markup

from core.auth import current_principal
from core.i18n import gettext as _
from core.plugin_platform import extension_data, problems, procurement_pages
from core.plugin_platform import state as service
from core.plugin_platform.admin import api, extension_views, views
from core.plugin_platform.admin.cli import register
from core.plugin_platform.hookspecs import hookimpl
from core.plugin_platform.host import chosen_by_tenant, current_host
from tenants import service as tenants
from tenants.models import TenantRole

log = logging.getLogger("samspill.plugins")
SLOW_HOOK_SECONDS = 0.05
DEMO_PLUGINS = {"asker": ("welfare_tech", "smart_mat"), "baerum": ("welfare_tech", "smart_mat")}


@hookimpl
def samspill_setup_app(app: Flask) -> None:
    app.jinja_env.globals["plugin_label"] = service.plugin_label


@hookimpl
def samspill_blueprints():
    return [views.bp, extension_views.bp]


@hookimpl
def samspill_api_blueprints():
    return api.blueprints()


@hookimpl
def samspill_register_commands(cli):
    register(cli)


@hookimpl
def samspill_admin_links(tenant):
    return [{"label": _("Plugins"), "url": url_for("plugins_admin.index", slug=tenant.slug)}]


@hookimpl
def samspill_extension_validators():
    """A validator for each plugin namespace of procurement extension data."""
    return {namespace: extension_data.procurement_validator(namespace)
            for namespace in extension_data.namespaces(current_host(), extension_data.PROCUREMENT)}


@hookimpl
def samspill_procurement_tabs(procurement):
    """A "domain details" tab when the lead's plugins add extension data to procurements, and
    the tabs of the lead's plugins (public hook `samspill_procurement_navigation_items`)."""
    tenant = g.get("tenant")
    tabs = procurement_pages.tabs(procurement)
    if tenant is None or not extension_data.schemas_for(procurement, extension_data.PROCUREMENT):
        return tabs
    return [{"url": url_for("extension_data.show", slug=tenant.slug, procurement_id=procurement.id),
             "label": _("Domain details")}, *tabs]


@hookimpl
def samspill_demo_content(passwords):
    seed_demo(passwords)


def seed_demo(_passwords: dict[str, str]) -> None:
    """Both first-party plugins enabled in Asker and Bærum (idempotent); the library then
    publishes their templates."""
    active = set(current_host().active)
    for slug, names in DEMO_PLUGINS.items():
        tenant = tenants.find_tenant(slug)
        if tenant is None:
            continue
        for name in names:
            if name in active:
                service.set_enabled(tenant, name, True, check_access=False)


@hookimpl
def samspill_dashboard_panels(tenant):
    """Tell the tenant's admins about plugins they enabled that reported problems."""
    if not current_principal().has_role(tenant.id, TenantRole.admin):
        return None
    host = current_host()
    chosen = [n for n in sorted(chosen_by_tenant(tenant.id)) if n in host.plugins]
    if not chosen:
        return None
    recorded = problems.recorded(chosen)  # every process's reports, not only this worker's
    troubled = [{"name": n, "status": host.plugins[n].status, "problems": recorded.get(n, [])}
                for n in chosen if recorded.get(n) or host.plugins[n].status != "active"]
    if not troubled:
        return None
    html = render_template("plugins_admin/notice.html", troubled=troubled, tenant=tenant)
    return Markup(html)  # noqa: S704 - output of an autoescaped template


@hookimpl(wrapper=True)
def samspill_navigation_items(tenant):
    started = time.perf_counter()
    result = yield
    _log_if_slow("samspill_navigation_items", started)
    return result


def _log_if_slow(hook: str, started: float) -> None:
    elapsed = time.perf_counter() - started
    if elapsed > SLOW_HOOK_SECONDS:
        log.warning("plugins took %.0f ms in %s", elapsed * 1000, hook)
