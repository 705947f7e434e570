"""The competition as an internal plugin: its pages, API, the "Competition" tab on procurements
and its section of the supplier portal's start page."""

from __future__ import annotations

from flask import render_template, request
from markupsafe import Markup

from core.competition import api, demo, group_views, market, settings, supplier_views
from core.competition import models as _models  # noqa: F401  (tables)
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
def samspill_procurement_tabs(procurement):
    """The "Competition" tab on a procurement's pages."""
    return [{"url": page_url("competition.overview", procurement.id), "label": _("Competition")}]


@hookimpl
def samspill_supplier_start_sections(context):
    """Announced competitions, on the supplier portal's start page."""
    page = market.open_competitions(request.args.get("competitions_cursor"), 20)
    return Markup(render_template("competition/supplier/_portal_start.html",  # noqa: S704  (autoescaped)
                                  context=context, page=page))


@hookimpl
def samspill_competition_announced(procurement):
    """The specification is fixed once the competition is announced."""
    return settings.is_announced(procurement.id)


@hookimpl
def samspill_gate_checks(procurement):
    """`core-competition-notice` is met by the announcement itself."""
    return settings.gate_checks(procurement)


@hookimpl
def samspill_demo_content(passwords):
    demo.seed(passwords)
