"""The lots page of the requirement specification: /t/<slug>/procurements/<procurement>/
specification/lots — list the lots (delkontrakter), add, edit and remove one (the service
refuses once the competition is announced)."""

from __future__ import annotations

import uuid

from flask import render_template, request
from flask_babel import gettext as _

from core.specification import lots
from core.specification.views import back, bp, page_context
from core.web.forms import attempt


@bp.get("/lots")
def lots_page(procurement_id: uuid.UUID):
    return _lots(procurement_id, {})


def _lots(procurement_id: uuid.UUID, errors: dict, status: int = 200, form=None, editing=None):
    context = page_context(procurement_id, "requirements")
    return render_template("specification/lots.html", **context, lots=lots.list_lots(procurement_id),
                           errors=errors, form=form or {}, editing=editing or request.args.get("edit")), status


@bp.post("/lots")
def add_lot(procurement_id: uuid.UUID):
    _r, errors = attempt(lambda: lots.add_lot(procurement_id, request.form.get("title"),
                                              request.form.get("description")))
    if errors:
        return _lots(procurement_id, errors, errors.status, form=request.form)
    return back("specification.lots_page", procurement_id, _("The lot is added."))


@bp.post("/lots/<uuid:lot_id>")
def update_lot(procurement_id: uuid.UUID, lot_id: uuid.UUID):
    _r, errors = attempt(lambda: lots.update_lot(procurement_id, lot_id, request.form.get("title"),
                                                 request.form.get("description")))
    if errors:
        return _lots(procurement_id, errors, errors.status, form=request.form, editing=str(lot_id))
    return back("specification.lots_page", procurement_id, _("The lot is saved."))


@bp.post("/lots/<uuid:lot_id>/delete")
def remove_lot(procurement_id: uuid.UUID, lot_id: uuid.UUID):
    _r, errors = attempt(lambda: lots.remove_lot(procurement_id, lot_id))
    if errors:
        return _lots(procurement_id, errors, errors.status)
    return back("specification.lots_page", procurement_id, _("The lot is removed."))
