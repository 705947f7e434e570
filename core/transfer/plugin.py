"""Learning transfer as an internal plugin: its pages, the start form on a package's arena page
and the procurement header's "next step" (template globals), and the dashboard panel that
offers the packages."""

from __future__ import annotations

from flask import Flask, render_template
from markupsafe import Markup

from core.auth import current_principal
from core.library.service import get_visible_version
from core.plugin_platform.hookspecs import hookimpl
from core.transfer import dashboard, views
from core.transfer.guidance import next_step
from core.transfer.service import package_plugin
from core.transfer.views import start_form_defaults
from tenants.models import TenantRole


def package_start_form(template) -> Markup:
    """The start form for the package's arena page (a template global the arena page calls):
    embedded when the person can start in one municipality, else a link per municipality."""
    principal = current_principal()
    starting = [m for m in principal.memberships.values() if principal.has_role(m.tenant_id, TenantRole.officer)]
    if template.latest_version_id is None or not starting:
        return Markup("")
    version = get_visible_version(template.latest_version_id)
    single = starting[0] if len(starting) == 1 else None
    return Markup(render_template(  # noqa: S704  (autoescaped)
        "transfer/_arena_start.html", version=version, starting=starting, single=single,
        slug=single.slug if single else None, form=start_form_defaults(version), errors={},
        plugin=package_plugin(single.tenant_id, version) if single else None))


@hookimpl
def samspill_setup_app(app: Flask) -> None:
    app.add_template_global(package_start_form)
    app.add_template_global(next_step)  # the procurement header's "next step" (procurement/_header.html)


@hookimpl
def samspill_blueprints():
    return [views.bp]


@hookimpl
def samspill_dashboard_panels(tenant):
    """Packages to start from, for the tenant's officers and admins (newest publications)."""
    if not current_principal().has_role(tenant.id, TenantRole.officer):
        return None
    return dashboard.package_panel()
