"""The requirement specification as an internal plugin: its tables, pages and API, the
"Requirements" and "Award criteria" tabs, the automatic checks of the competition gate's
requirement and award-criteria items, the copy of a template's requirements and criteria, and
its demo content."""

from __future__ import annotations

from core.i18n import gettext as _
from core.plugin_platform.hookspecs import hookimpl
from core.procurement.gates import Deferred
from core.procurement.urls import page_url
from core.specification import api, criteria, demo, exports, requirements, traceability, views
from core.specification import models as _models  # noqa: F401  (tables)
from core.specification import views_lots as _views_lots  # noqa: F401  (the lots page's routes on views.bp)


@hookimpl
def samspill_blueprints():
    return [views.bp]


@hookimpl
def samspill_api_blueprints():
    return [api.blp]


@hookimpl
def samspill_procurement_tabs(procurement):
    """The "Requirements" and "Award criteria" tabs on a procurement's pages."""
    return [{"id": "requirements", "label": _("Requirements"),
             "url": page_url("specification.requirements_page", procurement.id)},
            {"id": "award-criteria", "label": _("Award criteria"),
             "url": page_url("specification.criteria_page", procurement.id)}]


@hookimpl
def samspill_gate_checks(procurement):
    """`core-requirements`: every priority-1 need covered; `core-award-criteria`: weights add up
    to 100 with a price model (each lists what is missing)."""
    return Deferred({"core-requirements": lambda: traceability.gate_missing(procurement),
                     "core-award-criteria": lambda: criteria.gate_missing(procurement)})


@hookimpl
def samspill_template_applied(procurement, content):
    """Requirements and award criteria come along from the template (source `template`)."""
    requirements.seed_from_template(procurement, content)
    criteria.seed_from_template(procurement, content)


@hookimpl
def samspill_demo_content(passwords):
    demo.seed()


@hookimpl
def samspill_export_kinds():
    return [exports.EXPORT_KIND]
