"""The Smart Mat plugin's page: menu, allergens and the requirement library at a glance."""

from __future__ import annotations

from flask import render_template, url_for
from markupsafe import Markup

from core.plugin_api import gettext, settings, tenant_pages
from plugins.smart_mat import content

NAME = "smart_mat"
bp = tenant_pages(NAME, __name__, template_folder="templates")


@bp.get("/")
def overview():
    by_category: dict[str, list[dict]] = {}
    for item in content.REQUIREMENTS:
        by_category.setdefault(item["category"], []).append(item)
    return render_template("smart_mat/overview.html", domain=content.DOMAIN,
                           allergens=content.ALLERGENS, kpis=content.KPIS,
                           categories=content.REQUIREMENT_CATEGORIES, by_category=by_category,
                           settings=settings(NAME))


def navigation_item(tenant) -> dict:
    return {"id": "smart-mat", "label": gettext("Food services"),
            "url": url_for("plugin_smart_mat.overview", slug=tenant.slug), "priority": 60}


def dashboard_panel(tenant) -> Markup | None:
    current = settings(NAME, tenant.id)
    if not current.get("show_on_dashboard"):
        return None
    html = render_template("smart_mat/panel.html", settings=current, tenant=tenant,
                           allergen_count=len(content.ALLERGENS))
    return Markup(html)  # noqa: S704 - output of an autoescaped template
