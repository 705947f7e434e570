"""Supplier organisations, their people and the supplier portal under /supplier/.

Wiring: a principal enricher adds `principal.extra["supplier"]` ({"id", "org_number",
"name", "role"}) to every signed-in person who belongs to a supplier organisation, and each
request acting for a supplier sets `samspill.supplier_id` for PostgreSQL row-level security.
"""

from __future__ import annotations

import uuid

from flask import Flask, g


def _act_for_supplier() -> None:
    """before_request (after the principal is resolved): the RLS supplier setting."""
    from core import isolation

    principal = g.get("principal")
    facts = principal.extra.get("supplier") if principal is not None else None
    if facts:
        isolation.set_supplier(uuid.UUID(facts["id"]))


def _supplier_navigation() -> dict:
    """A "Supplier portal" link in the site menu for suppliers (outside tenant spaces)."""
    from flask import url_for
    from flask_babel import gettext as _

    principal = g.get("principal")
    if g.get("tenant") is not None or principal is None or not principal.extra.get("supplier"):
        return {}
    return {"nav_items": [{"url": url_for("supplier.index"), "label": _("Supplier portal")}]}


def init_app(app: Flask) -> None:
    from core.auth import add_principal_fact
    from core.suppliers import cli, service, views
    from core.suppliers import models as _models  # noqa: F401  (tables)

    add_principal_fact(app, service.SUPPLIER_FACT)
    app.before_request(_act_for_supplier)
    app.register_blueprint(views.bp)
    app.context_processor(_supplier_navigation)
    app.extensions.setdefault("samspill.cli_registrars", []).append(cli.register)
