"""The gate checklist page: items per phase, tick off, waive with a reason, move on, history."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _

from core.procurement import gates
from core.procurement.access import require
from core.procurement.models import PHASE_ORDER
from core.procurement.views import page_context
from core.web.forms import perform
from tenants.resolution import tenant_blueprint

bp = tenant_blueprint("procurement_gates", __name__, "/procurements", template_folder="templates")


def _page(procurement_id, errors: dict, status: int = 200, form=None):
    access = require(procurement_id)
    procurement = access.procurement
    items = gates.checklist(procurement)
    by_phase = {phase: [s for s in items if s.item.phase == phase] for phase in PHASE_ORDER}
    return render_template("procurement/gates.html", **page_context(access, "gates"), by_phase=by_phase,
                           phases=PHASE_ORDER, history=gates.history(procurement_id), errors=errors,
                           form=form or {}, current_open=[s for s in by_phase[procurement.phase] if not s.met]
                           ), status


@bp.get("/<uuid:procurement_id>/gates")
def show(procurement_id):
    return _page(procurement_id, {})


@bp.post("/<uuid:procurement_id>/gates/check")
def check(procurement_id):
    key, action = request.form.get("item", ""), request.form.get("action", "")

    def run():
        if action == "done":
            return gates.mark_done(procurement_id, key)
        if action == "waive":
            return gates.waive(procurement_id, key, request.form.get("reason", ""))
        return gates.reopen(procurement_id, key)

    messages = {"done": _("The item is marked as done."), "waive": _("The item is waived."),
                "reopen": _("The item is open again.")}
    return perform(run, success=messages.get(action, ""),
                   redirect_to=url_for("procurement_gates.show", procurement_id=procurement_id),
                   on_error=lambda errs, status: _page(procurement_id, {f"{key}-{k}": v for k, v in errs.items()},
                                                       status, request.form))


@bp.post("/<uuid:procurement_id>/transition")
def transition(procurement_id):
    return perform(lambda: gates.transition(procurement_id, request.form.get("to")),
                   success=_("The procurement moved on."),
                   redirect_to=url_for("procurement_gates.show", procurement_id=procurement_id),
                   on_error=lambda errs, status: _page(procurement_id, {"transition": sum(errs.values(), [])}, status))
