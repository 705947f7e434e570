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
from core.award import tenders as award_tenders
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


def page(procurement_id: uuid.UUID, errors: dict, status: int = 200):
    """The project group's award page; `errors` are a failed form's messages."""
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
    evaluating = declaration is not None and not declaration.conflict
    rows = contracts.list_contracts(procurement_id)
    return render_template(
        "award/group.html", pid=procurement_id, procurement=access.procurement, errors=errors,
        committee_member=committee_member, declaration=declaration, results=results, report_error=report_error,
        decision=current, complaints=complaints.list_for_caller(procurement_id) if group else [],
        contracts=rows, signable={c.id for c in rows if contracts.signs(access, c)},
        tenders=award_tenders.submitted(procurement_id) if evaluating else [],
        is_lead=evaluating and access.project_role == ProjectRole.lead,
        active=access.procurement.is_active, shown=scoring.shown), status


@bp.get("/")
def overview(procurement_id: uuid.UUID):
    return page(procurement_id, {})


@bp.post("/impartiality")
def declare(procurement_id: uuid.UUID):
    form = request.form
    data = {"conflict": {"yes": True, "no": False}.get(form.get("conflict", "")),
            "statement": form.get("statement", "")}
    _row, errors = attempt(lambda: committee.declare(procurement_id, data))
    if errors:
        return page(procurement_id, errors, errors.status)
    db.session.commit()
    flash(_("Your declaration is recorded."), "success")
    return redirect(url_for("award.overview", procurement_id=procurement_id), 303)


@bp.get("/evaluation.xlsx")
def evaluation_xlsx(procurement_id: uuid.UUID):
    scoring.require_evaluation_reader(procurement_id)
    procurement = db.session.get(Procurement, procurement_id)
    data = exports.evaluation_workbook(procurement, scoring.evaluate(procurement_id))
    return send_file(data, mimetype=exports.XLSX_TYPE, as_attachment=True, download_name="evaluering.xlsx")


def letter_page(procurement_id: uuid.UUID, errors: dict, status: int = 200):
    """The tenderer's own letter with its complaints and the complaint form."""
    context = require_supplier()
    row = decision.own_letter(procurement_id, context.supplier_id)
    if row is None:
        raise NotFound(_l("No award letter."))
    ends = row.content.get("standstill_ends_at")
    return render_template("award/letter.html", letter=row, content=row.content, pid=procurement_id,
                           ends=datetime.fromisoformat(ends) if ends else None, errors=errors,
                           complaints=complaints.list_for_caller(procurement_id),
                           may_complain=complaints.may_file(procurement_id)), status


@supplier_bp.get("/<uuid:procurement_id>/")
def letter(procurement_id: uuid.UUID):
    return letter_page(procurement_id, {})
