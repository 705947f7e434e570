"""The evaluation and award as an internal plugin: its API, and its answers to the platform's
hooks — the tender read path (impartiality), the move to the contract phase (standstill), the
evaluation and contract gate items, and the protocol's texts."""

from __future__ import annotations

from flask import url_for
from flask_babel import format_date

from core.award import api, committee, contracts, decision, demo, exports, mandates, protocol, reminders, views
from core.award import form_views as _form_views  # noqa: F401  (the forms' routes on the award pages)
from core.award import models as _models  # noqa: F401  (tables)
from core.i18n import gettext as _
from core.plugin_platform.hookspecs import hookimpl
from core.procurement.access import Action, require
from core.procurement.fields import format_kroner
from core.procurement.urls import page_url
from core.web.panels import render_panel


@hookimpl
def samspill_blueprints():
    return [views.bp, views.supplier_bp]


@hookimpl
def samspill_api_blueprints():
    return [api.blp]


@hookimpl
def samspill_procurement_tabs(procurement):
    """The "Evaluation and award" tab once the procurement is past the competition."""
    if procurement.phase.value not in ("evaluation", "contract"):
        return []
    return [{"url": page_url("award.overview", procurement.id), "label": _("Evaluation and award")}]


@hookimpl
def samspill_tender_content_refused(access):
    return committee.content_refused(access)


@hookimpl
def samspill_opened_tender_links(procurement_id, tender_ids):
    """Each opened tender's assessment page (qualification, scores, rejection), for the committee."""
    if not require(procurement_id, Action.read).can(Action.evaluate):
        return {}
    label = _("Assess qualification and score")
    return {tid: [{"url": url_for("award.tender", procurement_id=procurement_id, tender_id=tid), "label": label}]
            for tid in tender_ids}


@hookimpl
def samspill_buyer_acceptance():
    """A buyer accepting its invitation records its mandate in the same transaction."""
    return [mandates.on_acceptance]


@hookimpl
def samspill_procurement_sections(procurement):
    """The buyers' mandates and the estimate that is their sum, on the procurement's page."""
    found, total = mandates.shares(procurement.id)
    if not found:
        return []
    return [render_panel("award/_mandates.html", shares=found, total_ore=total,
                         kroner=format_kroner, format_date=format_date)]


@hookimpl
def samspill_transition_refused(procurement, target):
    return decision.transition_refused(procurement, target)


@hookimpl
def samspill_gate_checks(procurement):
    return decision.gate_checks(procurement)


@hookimpl
def samspill_protocol_texts():
    return protocol.TEXTS


@hookimpl
def samspill_demo_content(passwords):
    demo.seed()


@hookimpl
def samspill_reminders(now, horizon):
    return list(reminders.option_reminders(now, horizon))


@hookimpl
def samspill_contract_start(procurement, tenant_id):
    """The earliest start date of the buyer's contracts (for benefit measurements), or None."""
    return contracts.start_of(procurement.id, tenant_id)


@hookimpl
def samspill_export_kinds():
    return [exports.EXPORT_KIND]
