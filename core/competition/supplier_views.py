"""Supplier-portal pages of the competition (/supplier/competitions/…): the announced
competitions, one competition with the supplier's own tender (save, submit, withdraw, files,
receipt) and its Q&A. Every page reads and writes through the services, like the API."""

from __future__ import annotations

import io
import uuid

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from core.competition import market, questions, tenders
from core.competition.forms import tender_field_errors, tender_from_form
from core.db import db
from core.web.forms import attempt

bp = Blueprint("supplier_competition", __name__, url_prefix="/supplier/competitions", template_folder="templates")


@bp.get("/")
def index():
    page = market.open_competitions(request.args.get("cursor"), 20)
    return render_template("competition/supplier/index.html", page=page)


def _tender_page(procurement_id: uuid.UUID, errors: dict, status: int = 200):
    own = tenders.get_own(procurement_id)
    if errors:
        errors = tender_field_errors(errors, own.actor.competition, own.documents)
    return render_template("competition/supplier/tender.html", own=own, pid=procurement_id, errors=errors,
                           receipt=tenders.receipt(own.tender),
                           closed=tenders.deadline_passed(own.actor.competition),
                           posted=request.form if errors else None), status


@bp.get("/<uuid:procurement_id>/")
def tender_page(procurement_id: uuid.UUID):
    return _tender_page(procurement_id, {})


@bp.post("/<uuid:procurement_id>/tender")
def save_tender(procurement_id: uuid.UUID):
    own = tenders.get_own(procurement_id)
    data = tender_from_form(request.form, own.actor.competition, own.documents)
    submit = request.form.get("action") == "submit"
    _r, errors = attempt(lambda: tenders.save(procurement_id, data, submit=submit))
    if errors:
        return _tender_page(procurement_id, errors, errors.status)
    db.session.commit()
    if submit:
        flash(_("Your tender is submitted. Keep the receipt."), "success")
        return redirect(url_for("supplier_competition.receipt_page", procurement_id=procurement_id), 303)
    flash(_("Your draft is saved."), "success")
    return redirect(url_for("supplier_competition.tender_page", procurement_id=procurement_id), 303)


@bp.post("/<uuid:procurement_id>/files")
def upload(procurement_id: uuid.UUID):
    _r, errors = attempt(lambda: tenders.add_file(procurement_id, request.files.get("file")))
    if errors:
        return _tender_page(procurement_id, errors, errors.status)
    db.session.commit()
    flash(_("The file is attached to your draft."), "success")
    return redirect(url_for("supplier_competition.tender_page", procurement_id=procurement_id), 303)


@bp.get("/<uuid:procurement_id>/files/<uuid:file_id>")
def download(procurement_id: uuid.UUID, file_id: uuid.UUID):
    meta, data = tenders.own_file(procurement_id, file_id)
    response = send_file(io.BytesIO(data), mimetype=meta["content_type"], as_attachment=True,
                         download_name=meta["filename"], max_age=0, etag=False, conditional=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<uuid:procurement_id>/withdraw")
def withdraw(procurement_id: uuid.UUID):
    _r, errors = attempt(lambda: tenders.withdraw(procurement_id))
    if errors:
        return _tender_page(procurement_id, errors, errors.status)
    db.session.commit()
    flash(_("Your tender is withdrawn. You can change it and submit it again until the deadline."), "success")
    return redirect(url_for("supplier_competition.tender_page", procurement_id=procurement_id), 303)


@bp.get("/<uuid:procurement_id>/receipt")
def receipt_page(procurement_id: uuid.UUID):
    own = tenders.get_own(procurement_id)
    return render_template("competition/supplier/receipt.html", own=own, pid=procurement_id,
                           receipt=tenders.receipt(own.tender))


@bp.route("/<uuid:procurement_id>/questions", methods=["GET", "POST"])
def questions_page(procurement_id: uuid.UUID):
    errors: dict = {}
    if request.method == "POST":
        _q, errors = attempt(lambda: questions.ask(procurement_id, request.form.get("text", "")))
        if not errors:
            db.session.commit()
            flash(_("Your question is sent. Only the project group sees it until it is answered."), "success")
            return redirect(url_for("supplier_competition.questions_page", procurement_id=procurement_id), 303)
    qa = questions.overview(procurement_id, request.args.get("cursor"), 20, prefer_supplier=True)
    actor = tenders.supplier_reads(procurement_id)
    return render_template("competition/supplier/questions.html", qa=qa, actor=actor, pid=procurement_id,
                           errors=errors, form=request.form), (errors.status if errors else 200)
