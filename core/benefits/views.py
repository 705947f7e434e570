"""Benefit pages: the procurement's follow-up page (KPIs, charts, baseline and measurement
forms), the printable benefits report per buyer with its XLSX, and the tenant's consent page."""

from __future__ import annotations

from flask import Response, render_template, request, url_for
from flask_babel import gettext as _

from core.benefits import followup, report, service
from core.procurement.access import require
from core.procurement.views import page_context
from core.web.forms import perform
from tenants.resolution import current_tenant, tenant_blueprint

bp = tenant_blueprint("benefits", __name__, "", template_folder="templates")

def SEVERITY_LABELS() -> dict[str, str]:  # noqa: N802  (a constant in the reader's language)
    return {"low": _("Low"), "medium": _("Medium"), "high": _("High"), "critical": _("Critical")}


BASELINE_FIELDS = ("value", "unit", "measured_on", "method", "source", "owner", "waiver_reason",
                   "target_value", "target_date")


def _tenant_choice(form, info) -> object:
    chosen = form.get("tenant")
    if not chosen:
        return None
    buyer = next((b for b in info.buyers if b.tenant.slug == chosen), None)
    return buyer.tenant_id if buyer else "unknown"


def _page(procurement_id, errors=None, status=200, form=None, which=None):
    access = require(procurement_id)
    info = service.overview(procurement_id, access=access)
    writable = [b for b in info.buyers if b.tenant_id in info.writable]
    return render_template("benefits/follow_up.html", **page_context(access, "benefits"), info=info,
                           writable=writable, errors=errors or {}, form=form or {}, which=which,
                           contracts=followup.follow_up(procurement_id), severities=SEVERITY_LABELS(),
                           chosen_kpi=request.args.get("kpi", "")), status


@bp.get("/procurements/<uuid:procurement_id>/benefits")
def follow_up(procurement_id):
    return _page(procurement_id)


def _write(procurement_id, which, run, success):
    def action():
        access = require(procurement_id)
        info = service.overview(procurement_id, access=access)
        tenant = _tenant_choice(request.form, info)
        if tenant == "unknown":
            tenant = None
        return run(tenant)

    return perform(action, success=success,
                   redirect_to=url_for("benefits.follow_up", procurement_id=procurement_id) + f"#{which}-form",
                   on_error=lambda errs, status: _page(procurement_id, errs, status, request.form, which))


@bp.post("/procurements/<uuid:procurement_id>/benefits/baselines")
def save_baseline(procurement_id):
    data = {name: request.form.get(name, "") for name in BASELINE_FIELDS}
    return _write(procurement_id, "baseline",
                  lambda tenant: service.save_baseline(procurement_id, request.form.get("kpi_key", ""), data, tenant),
                  _("The baseline is saved."))


@bp.post("/procurements/<uuid:procurement_id>/benefits/measurements")
def record_measurement(procurement_id):
    data = {name: request.form.get(name, "") for name in ("period", "value", "note")}
    return _write(procurement_id, "measurement",
                  lambda tenant: service.record_measurement(procurement_id, request.form.get("kpi_key", ""), data,
                                                            tenant),
                  _("The measurement is saved."))


def _contract_write(procurement_id, which, run, success, anchor):
    return perform(run, success=success,
                   redirect_to=url_for("benefits.follow_up", procurement_id=procurement_id) + anchor,
                   on_error=lambda errs, status: _page(procurement_id, errs, status, request.form, which))


@bp.post("/procurements/<uuid:procurement_id>/benefits/meetings")
def add_meeting(procurement_id):
    contract = request.form.get("contract", "")
    return _contract_write(procurement_id, f"meeting:{contract}",
                           lambda: followup.add_meeting(procurement_id, contract, request.form),
                           _("The meeting and its minutes are saved."), f"#contract-{contract}")


@bp.post("/procurements/<uuid:procurement_id>/benefits/deviations")
def add_deviation(procurement_id):
    contract = request.form.get("contract", "")
    return _contract_write(procurement_id, f"deviation:{contract}",
                           lambda: followup.add_deviation(procurement_id, contract, request.form),
                           _("The deviation is recorded."), f"#contract-{contract}")


@bp.post("/procurements/<uuid:procurement_id>/benefits/deviations/close")
def close_deviation(procurement_id):
    deviation = request.form.get("deviation", "")
    return _contract_write(procurement_id, f"close:{deviation}",
                           lambda: followup.close_deviation(procurement_id, deviation,
                                                            request.form.get("closing_note")),
                           _("The deviation is closed."), "#contract-follow-up")


@bp.get("/procurements/<uuid:procurement_id>/benefits/report")
def benefits_report(procurement_id):
    info, tenant, series = report.for_buyer(procurement_id, request.args.get("buyer") or current_tenant().slug)
    return render_template("benefits/report.html", **page_context(info.access, "benefits"), info=info,
                           buyer=tenant, series=series)


@bp.get("/procurements/<uuid:procurement_id>/benefits/report.xlsx")
def benefits_report_xlsx(procurement_id):
    buyer = request.args.get("buyer") or current_tenant().slug
    filename, data = report.xlsx(procurement_id, buyer, report.xlsx_labels())
    response = Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/admin/benefit-sharing", methods=["GET", "POST"])
def sharing():
    tenant = current_tenant()
    if request.method == "POST":
        return perform(lambda: service.set_sharing(tenant.id, request.form.get("share") == "yes"),
                       success=_("The choice is saved."), redirect_to=url_for("benefits.sharing"),
                       on_error=lambda errs, status: (render_template("benefits/sharing.html", tenant=tenant,
                                                                      errors=errs), status))
    return render_template("benefits/sharing.html", tenant=tenant, errors={})
