"""Learning transfer: from a package in the learning arena to a published market dialogue.

`service.start_from_package` creates a procurement with everything a template version holds
(needs, gate items, lineage, invitation text, conference with agenda, questionnaire with its
questions, one-to-one round with its agenda) from one short form; `publishing` lists what is
still missing and publishes the dialogue. Pages: `views` (tenant space), the form is also
embedded on the package's arena page, and a dashboard panel offers the packages.
"""

from __future__ import annotations

from flask import Flask, render_template
from markupsafe import Markup

DASHBOARD_PACKAGES = 5


def _dashboard_panel(tenant) -> Markup | None:
    """Packages to start from, for the tenant's officers and admins (newest publications)."""
    from core.auth import current_principal
    from core.library.service import list_visible
    from tenants.models import TenantRole

    if not current_principal().has_role(tenant.id, TenantRole.officer):
        return None
    items = list_visible(limit=DASHBOARD_PACKAGES).items
    if not items:
        return None
    return Markup(render_template("transfer/_dashboard_panel.html", items=items))  # noqa: S704  (autoescaped)


def package_start_form(template) -> Markup:
    """The start form for the package's arena page (a template global the arena page calls):
    embedded when the person can start in one municipality, else a link per municipality."""
    from core.auth import current_principal
    from core.library.service import get_visible_version
    from core.transfer.service import package_plugin
    from core.transfer.views import start_form_defaults
    from tenants.models import TenantRole

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


def init_app(app: Flask) -> None:
    from core.transfer import views
    from core.transfer.guidance import next_step

    app.register_blueprint(views.bp)
    app.add_template_global(package_start_form)
    app.add_template_global(next_step)  # the procurement header's "next step" (procurement/_header.html)
    app.extensions.setdefault("samspill.dashboard_panels", []).append(_dashboard_panel)
