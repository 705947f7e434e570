"""Supplier organisations as an internal plugin: the supplier portal's pages, the supplier fact
on every principal, the RLS supplier setting per request, the portal link and the commands."""

from __future__ import annotations

import uuid

from flask import Flask, g, url_for
from flask_babel import gettext as _

from core import isolation
from core.plugin_platform.hookspecs import hookimpl
from core.suppliers import cli as commands
from core.suppliers import service, views


def _act_for_supplier() -> None:
    """before_request (after the principal is resolved): the RLS supplier setting."""
    principal = g.get("principal")
    facts = principal.extra.get("supplier") if principal is not None else None
    if facts:
        isolation.set_supplier(uuid.UUID(facts["id"]))


def _supplier_navigation() -> dict:
    """A "Supplier portal" link in the site menu for suppliers (outside tenant spaces)."""
    principal = g.get("principal")
    if g.get("tenant") is not None or principal is None or not principal.extra.get("supplier"):
        return {}
    return {"nav_items": [{"url": url_for("supplier.index"), "label": _("Supplier portal")}]}


@hookimpl
def samspill_setup_app(app: Flask) -> None:
    app.before_request(_act_for_supplier)
    app.context_processor(_supplier_navigation)


@hookimpl
def samspill_principal_facts():
    return [service.SUPPLIER_FACT]


@hookimpl
def samspill_blueprints():
    return [views.bp]


@hookimpl
def samspill_register_commands(cli):
    commands.register(cli)
