"""Pages of the evaluation and award: the project group's page inside a procurement
(/t/<slug>/procurements/<procurement>/award/: impartiality declaration, the printable evaluation
report, the decision, complaints and the contracts the caller may see) and the tenderer's
letter in the supplier portal (/supplier/award/<procurement>/). Rules live in the services."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from core.award import committee, complaints, contracts, decision, exports, scoring
from core.db import db
from core.errors import DomainError, NotFound
from core.i18n import _l
from core.procurement.access import Action, require
from core.procurement.models import Procurement, ProjectRole
from core.suppliers.service import require_supplier
from core.web.forms import attempt
from tenants.resolution import tenant_blueprint

bp = tenant_blueprint("award", __name__, url_prefix="/procurements/<uuid:procurement_id>/award",
                      template_folder="templates")
supplier_bp = Blueprint("supplier_award", __name__, url_prefix="/supplier/award", template_folder="templates")


def _page(procurement_id: uuid.UUID, errors: dict, status: int = 200):
    access = require(procurement_id, Action.read)
    committee_member = access.can(Action.evaluate)
    declaration = committee.declaration_of(procurement_id, access.principal.user.id) if committee_member else None
    results, report_error = None, None
    if declaration is not None and not declaration.conflict:
        try:
            scoring.require_evaluation_reader(procurement_id)
            results = scoring.evaluate(procurement_id)
        except DomainError as exc:
            report_error = exc.detail
    current = decision.decision_of(procurement_id) if committee_member else None
    group = access.project_role in (ProjectRole.lead, ProjectRole.member, ProjectRole.evaluator)
    return render_template(
        "award/group.html", pid=procurement_id, procurement=access.procurement, errors=errors,
        committee_member=committee_member, declaration=declaration, results=results, report_error=report_error,
        decision=current, complaints=complaints.list_for_caller(procurement_id) if group else [],
        contracts=contracts.list_contracts(procurement_id), shown=scoring.shown), status


@bp.get("/")
def overview(procurement_id: uuid.UUID):
    return _page(procurement_id, {})


@bp.post("/impartiality")
def declare(procurement_id: uuid.UUID):
    form = request.form
    data = {"conflict": {"yes": True, "no": False}.get(form.get("conflict", "")),
            "statement": form.get("statement", "")}
    _row, errors = attempt(lambda: committee.declare(procurement_id, data))
    if errors:
        return _page(procurement_id, errors, errors.status)
    db.session.commit()
    flash(_("Your declaration is recorded."), "success")
    return redirect(url_for("award.overview", procurement_id=procurement_id), 303)


@bp.get("/evaluation.xlsx")
def evaluation_xlsx(procurement_id: uuid.UUID):
    scoring.require_evaluation_reader(procurement_id)
    procurement = db.session.get(Procurement, procurement_id)
    data = exports.evaluation_workbook(procurement, scoring.evaluate(procurement_id))
    return send_file(data, mimetype=exports.XLSX_TYPE, as_attachment=True, download_name="evaluering.xlsx")


@supplier_bp.get("/<uuid:procurement_id>/")
def letter(procurement_id: uuid.UUID):
    context = require_supplier()
    row = decision.own_letter(procurement_id, context.supplier_id)
    if row is None:
        raise NotFound(_l("No award letter."))
    ends = row.content.get("standstill_ends_at")
    return render_template("award/letter.html", letter=row, content=row.content,
                           ends=datetime.fromisoformat(ends) if ends else None)
