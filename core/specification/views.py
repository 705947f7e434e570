"""Pages of the requirement specification inside the tenant space:
/t/<slug>/procurements/<procurement>/specification/… (requirements with the library to pick
from, traceability, award criteria with the simulation, the XLSX export)."""

from __future__ import annotations

import uuid

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.db import db
from core.errors import NotFound
from core.i18n import _l
from core.plugin_platform.procurement_pages import header_context
from core.procurement.access import Action
from core.specification import criteria, exports, forms, lots, pricing, requirements, traceability
from core.specification.labels import CATEGORIES, KINDS, SHORT_KINDS, SOURCES, category_label
from core.specification.service import editable, reads
from core.web.forms import attempt
from tenants.resolution import tenant_blueprint

bp = tenant_blueprint("specification", __name__, url_prefix="/procurements/<uuid:procurement_id>/specification",
                      template_folder="templates")


def page_context(procurement_id: uuid.UUID, tab: str) -> dict:
    access = reads(procurement_id)
    return {**header_context(access, tab), "pid": procurement_id,
            "writable": access.can(Action.write) and editable(access.procurement),
            "kinds": KINDS, "short_kinds": SHORT_KINDS, "sources": SOURCES, "categories": CATEGORIES,
            "category_label": category_label}


def back(endpoint: str, procurement_id: uuid.UUID, message: str, anchor: str | None = None):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, procurement_id=procurement_id, _anchor=anchor), code=303)


# --- requirements ----------------------------------------------------------------------

@bp.get("/")
def requirements_page(procurement_id: uuid.UUID):
    return _requirements(procurement_id, {})


def _requirements(procurement_id: uuid.UUID, errors: dict, status: int = 200, form=None, editing=None,
                  library_form=None):
    context = page_context(procurement_id, "requirements")
    matrix = traceability.build(procurement_id)
    by_category: dict[str, list] = {}
    for requirement in matrix.requirements:
        by_category.setdefault(requirement.category, []).append(requirement)
    library = requirements.library(context["procurement"]) if context["writable"] else []
    picked = {r.source_ref for r in matrix.requirements if r.source_ref}
    lot_list = lots.list_lots(procurement_id)
    return render_template(
        "specification/requirements.html", **context, matrix=matrix, by_category=by_category,
        needs=[t.need for t in matrix.needs], library=[i for i in library if i.key not in picked],
        errors=errors, form=form or {}, library_form=library_form or {}, lots=lot_list,
        lot_choices=[(str(lot.id), lot.title) for lot in lot_list], lot_titles={lot.id: lot.title for lot in lot_list},
        editing=editing or request.args.get("edit")), status


@bp.post("/requirements")
def add_requirement(procurement_id: uuid.UUID):
    data = forms.requirement_data(request.form)
    _r, errors = attempt(lambda: requirements.create_requirement(procurement_id, data))
    if errors:
        return _requirements(procurement_id, errors, errors.status, form=request.form)
    return back("specification.requirements_page", procurement_id, _("The requirement is added."))


@bp.post("/requirements/from-library")
def add_from_library(procurement_id: uuid.UUID):
    data = forms.requirement_data(request.form)
    data.setdefault("library_ref", "")
    _r, errors = attempt(lambda: requirements.create_requirement(procurement_id, data))
    if errors:
        return _requirements(procurement_id, {f"library-{k}": v for k, v in errors.items()}, errors.status,
                             library_form=request.form)
    return back("specification.requirements_page", procurement_id, _("The requirement is added from the library."))


def _own(procurement_id: uuid.UUID, requirement_id: uuid.UUID) -> None:
    """404 unless the requirement is visible and belongs to the procurement in the URL."""
    if requirements.get_requirement(requirement_id).procurement_id != procurement_id:
        raise NotFound(_l("No such requirement."))


@bp.post("/requirements/<uuid:requirement_id>")
def update_requirement(procurement_id: uuid.UUID, requirement_id: uuid.UUID):
    _own(procurement_id, requirement_id)
    data = forms.requirement_data(request.form)
    version = request.form.get("version", "")
    _r, errors = attempt(lambda: requirements.update_requirement(
        requirement_id, data, expected_version=int(version) if version.isdigit() else -1))
    if errors:
        return _requirements(procurement_id, errors, errors.status, form=request.form, editing=str(requirement_id))
    return back("specification.requirements_page", procurement_id, _("The requirement is saved."))


@bp.post("/requirements/<uuid:requirement_id>/delete")
def delete_requirement(procurement_id: uuid.UUID, requirement_id: uuid.UUID):
    _own(procurement_id, requirement_id)
    _r, errors = attempt(lambda: requirements.delete_requirement(requirement_id))
    if errors:
        return _requirements(procurement_id, errors, errors.status)
    return back("specification.requirements_page", procurement_id, _("The requirement is deleted."))


@bp.get("/requirements.xlsx")
def export(procurement_id: uuid.UUID):
    name, body = exports.export_xlsx(procurement_id)
    return Response(body, mimetype=exports.XLSX_TYPE, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/traceability")
def traceability_page(procurement_id: uuid.UUID):
    context = page_context(procurement_id, "requirements")
    return render_template("specification/traceability.html", **context, matrix=traceability.build(procurement_id))


# --- award criteria --------------------------------------------------------------------

@bp.get("/award-criteria")
def criteria_page(procurement_id: uuid.UUID):
    return _criteria(procurement_id, forms.chosen_lot(request.args.get("lot")), {})


def _criteria(procurement_id: uuid.UUID, lot_id: uuid.UUID | None, errors: dict, status: int = 200, rows=None,
              ranking=None, simulation_form=None, simulation_errors=None):
    context = page_context(procurement_id, "award-criteria")
    sets = criteria.criteria_sets(procurement_id)
    chosen, shown = criteria.chosen_set(sets, lot_id)
    rows = rows if rows is not None else forms.rows_from_set(chosen)
    rows = rows + [{"name": "", "weight": "", "description": "", "level": "criterion", "price_model": ""}
                   for _i in range(forms.CRITERIA_ROWS_EXTRA)]
    return render_template(
        "specification/criteria.html", **context, sets=sets, chosen=chosen, whole=shown, rows=rows, errors=errors,
        lot_value=str(lot_id) if lot_id else "", missing=criteria.gate_missing(context["procurement"]),
        formulas=pricing.FORMULAS, price_models=pricing.LABELS, ranking=ranking,
        simulation_form=simulation_form or {}, simulation_errors=simulation_errors or {},
        tender_count=forms.SIMULATION_TENDERS), status


def _after(procurement_id: uuid.UUID, lot_id: uuid.UUID | None, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("specification.criteria_page", procurement_id=procurement_id,
                            lot=str(lot_id) if lot_id else None), code=303)


@bp.post("/award-criteria")
def save_criteria(procurement_id: uuid.UUID):
    lot_id = forms.chosen_lot(request.form.get("lot"))
    rows = forms.criteria_rows(request.form)
    _r, errors = attempt(lambda: criteria.replace_set(procurement_id, lot_id, forms.criteria_from_rows(rows)))
    if errors:
        return _criteria(procurement_id, lot_id, errors, errors.status, rows=rows)
    return _after(procurement_id, lot_id, _("The award criteria are saved."))


@bp.post("/award-criteria/simulation")
def simulate(procurement_id: uuid.UUID):
    lot_id = forms.chosen_lot(request.form.get("lot"))
    _chosen, shown = criteria.chosen_set(criteria.criteria_sets(procurement_id), lot_id)
    leaves = [leaf for leaf in shown.leaves() if not leaf.is_price]
    tenders = forms.tenders(request.form, leaves)
    result, errors = attempt(lambda: criteria.simulate(procurement_id, tenders, lot_id))
    if errors:
        shown = {key.replace("tenders.", "tender-").replace(".scores.", "-score-").replace(".", "-"): messages
                 for key, messages in errors.items()}
        return _criteria(procurement_id, lot_id, {}, errors.status, simulation_form=request.form,
                         simulation_errors=shown)
    return _criteria(procurement_id, lot_id, {}, ranking=result[1], simulation_form=request.form)
