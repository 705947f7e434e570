"""The market dialogue as an internal plugin: project-group and supplier-portal pages, the API,
the dashboard panel, the "Market dialogue" tab on procurements, its sections of the supplier
portal's start page, reminders and passed deadlines for the reminder job, and demo content."""

from __future__ import annotations

from flask import render_template, request
from markupsafe import Markup

from core.auth import current_principal
from core.dialogue import (  # noqa: F401
    api,
    api_feedback,
    api_meetings,
    dashboard,
    demo,
    group_views,
    market,
    reminders,
    supplier_views,
)
from core.dialogue import group_views_feedback as _feedback_views  # noqa: F401  (routes on group_views.bp)
from core.dialogue import models as _models  # noqa: F401  (tables)
from core.i18n import gettext as _
from core.plugin_platform.hookspecs import hookimpl
from core.procurement.urls import page_url


@hookimpl
def samspill_blueprints():
    return [group_views.bp, supplier_views.bp]


@hookimpl
def samspill_api_blueprints():
    return [api.blp]


@hookimpl
def samspill_dashboard_panels(tenant):
    """Market dialogues of the tenant's procurements, on the tenant dashboard."""
    return dashboard.dialogue_panel(tenant)


@hookimpl
def samspill_procurement_tabs(procurement):
    """The "Market dialogue" tab on a procurement's pages."""
    return [{"url": page_url("dialogue.overview", procurement.id), "label": _("Market dialogue")}]


@hookimpl
def samspill_supplier_start_sections(context):
    """Your dialogues (once the email is confirmed) and the open ones, on the supplier portal."""
    principal = current_principal()
    page = market.open_dialogues(request.args.get("cursor"), 20)
    mine = []
    if context is not None and principal.user.email_verified_at is not None:
        mine = market.my_dialogues()
    return Markup(render_template(  # noqa: S704  (autoescaped)
        "dialogue/supplier/_portal_start.html", context=context, mine=mine, page=page))


@hookimpl
def samspill_reminders(now, horizon):
    return list(reminders.dialogue_reminders(now, horizon))


@hookimpl
def samspill_passed_deadlines(now):
    return list(reminders.passed_dialogue_deadlines(now))


@hookimpl
def samspill_demo_content(passwords):
    demo.seed(passwords)
