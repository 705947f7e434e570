"""Project-group pages of a procurement's competition, inside the tenant space:
/t/<slug>/procurements/<procurement>/competition/… (settings and announcement, tender count
and opened tenders, the opening protocol, Q&A). Rules live in the services."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from core.competition import opening, questions, settings
from core.competition.forms import qualification_from_form, settings_values
from core.competition.models import Competition
from core.db import db
from core.dialogue.forms import local_datetime
from core.plugin_platform.host import current_host
from core.procurement.access import Action
from core.procurement.models import Procurement
from core.web.forms import attempt
from tenants.resolution import tenant_blueprint

bp = tenant_blueprint("competition", __name__, url_prefix="/procurements/<uuid:procurement_id>/competition",
                      template_folder="templates")


@bp.context_processor
def _breadcrumb():
    """The procurement for the breadcrumb (the service has read it already: the session's copy)."""
    def competition_procurement():
        procurement_id = (request.view_args or {}).get("procurement_id")
        return db.session.get(Procurement, procurement_id) if procurement_id else None

    return {"competition_procurement": competition_procurement}


def _back(endpoint: str, procurement_id: uuid.UUID, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(endpoint, procurement_id=procurement_id), 303)


def _overview(procurement_id: uuid.UUID, errors: dict, status: int = 200, values: dict | None = None):
    access, competition = settings.for_group(procurement_id)
    count = opening.submitted_count(procurement_id) if competition and competition.announced_at else None
    return render_template("competition/group/overview.html", pid=procurement_id, procurement=access.procurement,
                           competition=competition, count=count, errors=errors,
                           values=values or settings_values(competition),
                           can_manage=access.can(Action.manage), label=competition_label(competition)), status


@bp.get("/")
def overview(procurement_id: uuid.UUID):
    return _overview(procurement_id, {})


@bp.post("/settings")
def save_settings(procurement_id: uuid.UUID):
    form = request.form
    data = {"tender_deadline": local_datetime(form.get("tender_deadline")),
            "question_deadline": local_datetime(form.get("question_deadline")),
            "opening_at": local_datetime(form.get("opening_at"))}
    _c, existing = settings.for_group(procurement_id)
    if existing is None or existing.announced_at is None:
        data["qualification"] = qualification_from_form(form, existing)
    _r, errors = attempt(lambda: settings.save_settings(procurement_id, data))
    if errors:
        return _overview(procurement_id, errors, errors.status, values=dict(form))
    return _back("competition.overview", procurement_id, _("The competition is saved."))


@bp.post("/announce")
def announce(procurement_id: uuid.UUID):
    _r, errors = attempt(lambda: settings.announce(procurement_id))
    if errors:
        return _overview(procurement_id, errors, errors.status)
    return _back("competition.overview", procurement_id, _("The competition is announced. Suppliers are told."))


@bp.post("/open")
def open_tenders(procurement_id: uuid.UUID):
    _r, errors = attempt(lambda: opening.open_tenders(procurement_id))
    if errors:
        return _overview(procurement_id, errors, errors.status)
    return _back("competition.opening_page", procurement_id, _("The tenders are opened."))


@bp.get("/tenders")
def tenders_page(procurement_id: uuid.UUID):
    view = opening.overview(procurement_id, cursor=request.args.get("cursor"))
    db.session.commit()  # the audit entry of the read
    links: dict = {}
    for answer in current_host().call("samspill_opened_tender_links", procurement_id=procurement_id,
                                      tender_ids=[t["id"] for t in view.tenders]) or []:
        for tender_id, items in (answer or {}).items():
            links.setdefault(tender_id, []).extend(items)
    return render_template("competition/group/tenders.html", pid=procurement_id, view=view, links=links)


@bp.get("/opening")
def opening_page(procurement_id: uuid.UUID):
    record = opening.shown_protocol(opening.protocol(procurement_id))
    return render_template("competition/group/opening.html", pid=procurement_id, record=record)


@bp.route("/questions", methods=["GET", "POST"])
def questions_page(procurement_id: uuid.UUID):
    errors: dict = {}
    if request.method == "POST":
        ids = []
        for raw in request.form.getlist("questions"):
            try:
                ids.append(uuid.UUID(raw))
            except ValueError:
                continue
        _a, errors = attempt(lambda: questions.answer(procurement_id, ids, request.form.get("text", "")))
        if not errors:
            return _back("competition.questions_page", procurement_id, _("The answer is published to every supplier."))
    qa = questions.overview(procurement_id, request.args.get("cursor"), 20)
    return render_template("competition/group/questions.html", pid=procurement_id, qa=qa, errors=errors,
                           form=request.form), (errors.status if errors else 200)


def competition_label(competition: Competition | None) -> str:
    if competition is None or competition.announced_at is None:
        return _("Not announced")
    return _("Opened") if competition.opened_at else _("Announced")
