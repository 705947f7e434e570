"""Benefit realisation as an internal plugin: pages, API, the procurement tab, the gate
checks, the arena section, the admin link and the demo content."""

from __future__ import annotations

from flask import render_template
from flask_babel import format_date
from markupsafe import Markup

from core.benefits import api, charts, demo, report, results, service, views
from core.i18n import gettext as _
from core.plugin_platform.hookspecs import hookimpl
from core.procurement.urls import page_url
from core.web.urls import slug_url


@hookimpl
def samspill_blueprints():
    return [views.bp]


@hookimpl
def samspill_api_blueprints():
    return [api.bp]


@hookimpl
def samspill_setup_app(app):
    app.add_template_filter(lambda d: format_date(d, "MMM yyyy") if d else "", "benefit_month")
    app.add_template_global(charts.build, "benefit_chart")


@hookimpl
def samspill_procurement_tabs(procurement):
    """The "Benefits" tab on a procurement's pages."""
    return [{"url": page_url("benefits.follow_up", procurement.id), "label": _("Benefits"),
             "id": "benefits"}]


@hookimpl
def samspill_gate_checks(procurement):
    return service.gate_checks(procurement)


@hookimpl
def samspill_arena_template_sections(template):
    """The consenting municipalities' results on the template's arena page."""
    return Markup(render_template(  # noqa: S704  (autoescaped)
        "benefits/_arena_results.html", results=results.for_template(template.id)))


@hookimpl
def samspill_admin_links(tenant):
    return [{"label": _("Sharing benefit results"), "url": slug_url("benefits.sharing")(tenant.slug)}]


@hookimpl
def samspill_demo_content(passwords):
    demo.seed()



@hookimpl
def samspill_export_kinds():
    return [report.EXPORT_KIND]
