"""The award's HTML forms: an evaluator's blind scores per tender, the lead's consensus,
rejection, decision and complaint handling, the tenderer's complaint in the portal and the
buyer's signature on its own contract. Thin: read the form, call one service, commit, redirect
— or show the page again with the messages next to the fields."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.award import assessment, committee, complaints, contracts, decision, form_input, scoring
from core.award import tenders as award_tenders
from core.award.views import bp, letter_page, page, supplier_bp
from core.db import db
from core.errors import NotFound
from core.i18n import _l
from core.procurement.models import ProjectRole
from core.web.forms import attempt


def _tender(procurement_id: uuid.UUID, tender_id: uuid.UUID):
    tender = award_tenders.tender_in(tender_id)
    if tender.procurement_id != procurement_id:
        raise NotFound(_l("No such tender."))
    return tender


def _tender_page(procurement_id: uuid.UUID, tender_id: uuid.UUID, errors: dict, status: int = 200):
    _tender(procurement_id, tender_id)
    view = scoring.view_scores(tender_id)  # 404 unless a declared evaluator
    access = committee.require_evaluator(procurement_id)
    row = assessment.assessment_of(view.tender)
    is_lead = access.project_role == ProjectRole.lead
    answers = award_tenders.qualification_answers(access, view.tender) if is_lead else []
    db.session.commit()  # the audit entry of the read
    return render_template(
        "award/tender.html", pid=procurement_id, procurement=access.procurement, view=view,
        criteria=scoring.tender_criteria(view.tender), assessment=row, errors=errors,
        is_lead=is_lead and access.procurement.is_active, shows_assessment=is_lead, answers=answers,
        grounds=assessment.GROUNDS), status


def _done(procurement_id: uuid.UUID, message: str, tender_id: uuid.UUID | None = None):
    db.session.commit()
    flash(message, "success")
    if tender_id is None:
        return redirect(url_for("award.overview", procurement_id=procurement_id), 303)
    return redirect(url_for("award.tender", procurement_id=procurement_id, tender_id=tender_id), 303)


@bp.get("/tenders/<uuid:tender_id>/")
def tender(procurement_id: uuid.UUID, tender_id: uuid.UUID):
    return _tender_page(procurement_id, tender_id, {})


@bp.post("/tenders/<uuid:tender_id>/scores")
def save_scores(procurement_id: uuid.UUID, tender_id: uuid.UUID):
    row = _tender(procurement_id, tender_id)
    submit = request.form.get("submit") == "yes"
    body, order = form_input.scores_body(request.form, scoring.tender_criteria(row), "justification",
                                         complete=submit)
    _view, errors = attempt(lambda: scoring.save_scores(tender_id, {**body, "submit": submit}))
    if errors:
        return _tender_page(procurement_id, tender_id, form_input.score_fields(errors, order, "justification"),
                            errors.status)
    return _done(procurement_id, _("Your scores are submitted.") if submit else _("Your scores are saved."), tender_id)


@bp.post("/tenders/<uuid:tender_id>/consensus")
def consensus(procurement_id: uuid.UUID, tender_id: uuid.UUID):
    row = _tender(procurement_id, tender_id)
    body, order = form_input.scores_body(request.form, scoring.tender_criteria(row), "motivation", complete=True,
                                         prefix="c-")
    _row, errors = attempt(lambda: scoring.set_consensus(tender_id, body))
    if errors:
        return _tender_page(procurement_id, tender_id, form_input.score_fields(errors, order, "motivation", "c-"),
                            errors.status)
    return _done(procurement_id, _("The consensus scores are recorded."), tender_id)


@bp.post("/tenders/<uuid:tender_id>/qualification")
def qualify(procurement_id: uuid.UUID, tender_id: uuid.UUID):
    _tender(procurement_id, tender_id)
    data = form_input.qualification_body(request.form)
    _row, errors = attempt(lambda: assessment.qualify(tender_id, data))
    if errors:
        return _tender_page(procurement_id, tender_id, form_input.qualification_fields(errors), errors.status)
    return _done(procurement_id, _("The qualification assessment is recorded."), tender_id)


@bp.post("/tenders/<uuid:tender_id>/rejection")
def reject(procurement_id: uuid.UUID, tender_id: uuid.UUID):
    _tender(procurement_id, tender_id)
    data = {"ground": request.form.get("ground", ""), "reason": request.form.get("reason", "")}
    _row, errors = attempt(lambda: assessment.reject(tender_id, data))
    if errors:
        return _tender_page(procurement_id, tender_id, errors, errors.status)
    return _done(procurement_id, _("The tender is rejected and the tenderer is told."), tender_id)


@bp.post("/decision")
def decide(procurement_id: uuid.UUID):
    scoring.require_evaluation_reader(procurement_id)
    body = form_input.winners_body(request.form, scoring.evaluate(procurement_id))
    _row, errors = attempt(lambda: decision.decide(procurement_id, body))
    if errors:
        return page(procurement_id, form_input.winner_fields(errors), errors.status)
    return _done(procurement_id, _("The award decision is made and every tenderer has got a letter."))


@bp.post("/complaints")
def handle_complaint(procurement_id: uuid.UUID):
    action = request.form.get("action", "")
    complaint_id = request.form.get("complaint_id", "")
    data = {"action": action, "complaint_id": complaint_id,
            "answer": request.form.get(f"answer-{complaint_id}", "")}
    _row, errors = attempt(lambda: complaints.act(procurement_id, data))
    if errors:
        if "answer" in errors:
            errors[f"answer-{complaint_id}"] = errors.pop("answer")
        return page(procurement_id, errors, errors.status)
    done = {"suspend": _("The standstill period is suspended."), "resume": _("The standstill period runs again.")}
    return _done(procurement_id, done.get(action, _("The answer is sent to the tenderer.")))


@bp.post("/contracts/<uuid:contract_id>/signature")
def sign(procurement_id: uuid.UUID, contract_id: uuid.UUID):
    if contracts.get(contract_id).procurement_id != procurement_id:
        raise NotFound(_l("No such contract."))
    # an empty date would clear the signature: send it as a bad date so the service asks for one
    signed_on = request.form.get(f"signed_on-{contract_id}", "").strip() or "-"
    upload = request.files.get(f"document-{contract_id}")
    _row, errors = attempt(lambda: contracts.sign(contract_id, signed_on, upload.stream if upload else None,
                                                  upload.filename if upload else ""))
    if errors:
        for name in ("signed_on", "file"):
            if name in errors:
                errors[f"{'document' if name == 'file' else name}-{contract_id}"] = errors.pop(name)
        return page(procurement_id, errors, errors.status)
    return _done(procurement_id, _("The contract is signed."))


@supplier_bp.post("/<uuid:procurement_id>/complaints")
def complain(procurement_id: uuid.UUID):
    _row, errors = attempt(lambda: complaints.file(procurement_id, {"text": request.form.get("text", "")}))
    if errors:
        return letter_page(procurement_id, errors, errors.status)
    db.session.commit()
    flash(_("Your complaint is sent to the contracting authority."), "success")
    return redirect(url_for("supplier_award.letter", procurement_id=procurement_id), 303)
