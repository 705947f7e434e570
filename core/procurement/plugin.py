"""The procurement domain as an internal plugin: its pages, API, dashboard panel, template
globals and its access check, through the same hooks a third-party plugin uses (its demo
procurements come with the library's demo content, `core.library.demo`)."""

from __future__ import annotations

from flask import Flask

from core.plugin_platform.hookspecs import hookimpl
from core.procurement import access, api, api_group, panels, views, views_gates, views_group, views_needs
from core.procurement.gates import shown_text
from core.procurement.labels import LABELS
from core.procurement.protocol import detail_rows, shown_action
from core.procurement.readable import object_label
from core.procurement.urls import ProcurementUrls


@hookimpl
def samspill_setup_app(app: Flask) -> None:
    app.jinja_env.globals["procurement_labels"] = LABELS
    app.jinja_env.globals["invitation_rows"] = panels.invitation_rows  # _invitation_items.html
    app.jinja_env.globals["shown_text"] = shown_text  # recorded gate item texts in the reader's language
    app.jinja_env.globals["protocol_details"] = detail_rows
    app.jinja_env.globals["audit_action"] = shown_action  # records read as sentences, not codes
    app.jinja_env.globals["audit_object"] = object_label
    app.jinja_env.globals["procurement_urls"] = ProcurementUrls  # a procurement's page URLs, one url_for


@hookimpl
def samspill_procurement_access():
    """The access check the plugin platform's procurement pages and extension data use."""
    return access.require


@hookimpl
def samspill_blueprints():
    return [views.bp, views_gates.bp, views_group.bp, views_needs.bp]


@hookimpl
def samspill_api_blueprints():
    return [api.bp, api_group.bp]


@hookimpl(tryfirst=True)
def samspill_dashboard_panels(tenant):
    """The tenant's procurements, first on the dashboard."""
    return panels.procurement_panel(tenant)

