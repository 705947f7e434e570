"""Participants and project group pages: invite a municipality, answer an invitation, leave,
hand over the lead, and add or remove people in the project group."""

from __future__ import annotations

import uuid

from flask import render_template, request, url_for
from flask_babel import gettext as _

from core.pagination import parse_limit
from core.procurement import participants
from core.procurement.access import Action, require
from core.procurement.views import page_context
from core.web.forms import perform
from tenants import service as tenants
from tenants.resolution import current_tenant, tenant_blueprint

bp = tenant_blueprint("procurement_group", __name__, "/procurements", template_folder="templates")


def _page(procurement_id, errors: dict, status: int = 200, form=None):
    access = require(procurement_id)
    parts = participants.list_participants(procurement_id)
    taken = {p.tenant_id for p in parts if p.status.value in ("active", "invited")}
    candidates = [t for t in tenants.list_tenants() if t.id not in taken] if access.can(Action.manage) else []
    return render_template("procurement/participants.html", **page_context(access, "participants"),
                           participants=parts, group=participants.list_project_group(procurement_id),
                           candidate_options=[(t.slug, t.name) for t in candidates], errors=errors, form=form or {},
                           buyer_options=[(p.tenant.slug, p.tenant.name) for p in parts
                                          if p.role.value == "buyer" and p.status.value == "active"],
                           my_part=next((p for p in parts if p.tenant_id == current_tenant().id), None)), status


def _back(procurement_id):
    return url_for("procurement_group.show", procurement_id=procurement_id)


def _act(procurement_id, action, success):
    return perform(action, success=success, redirect_to=_back(procurement_id),
                   on_error=lambda errs, status: _page(procurement_id, errs, status, request.form))


@bp.get("/<uuid:procurement_id>/participants")
def show(procurement_id):
    return _page(procurement_id, {})


@bp.post("/<uuid:procurement_id>/participants/invite")
def invite(procurement_id):
    return _act(procurement_id, lambda: participants.invite(procurement_id, request.form.get("tenant", ""),
                                                            request.form.get("role", "")),
                _("The municipality is invited."))


@bp.get("/invitations")
def invitations():
    """Every invitation waiting for this tenant (admins and officers), a keyset page at a time."""
    tenant_id = current_tenant().id
    cursor = request.args.get("cursor")
    page = participants.pending_invitations(tenant_id, cursor=cursor, limit=parse_limit(request.args.get("limit")))
    return render_template("procurement/invitations.html", page=page, total=page.extra["total"], cursor=cursor)


MANDATE_FIELDS = ("decision_ref", "decided_on", "signatory", "volume_nok")


def _acceptance_page(procurement_id, errors: dict, status: int = 200):
    """The answer to one invitation: a buyer accepts with its municipality's mandate (decision
    reference, date, signatory, estimated volume with options); an observer just accepts."""
    participation, title, lead = participants.pending_invitation(procurement_id, current_tenant().id)
    form = request.form if request.method == "POST" else {}
    return render_template("procurement/accept.html", participation=participation, title=title, lead=lead,
                           errors=errors, form=form, back=request.values.get("back", "")), status


@bp.get("/<uuid:procurement_id>/participants/accept")
def accept_page(procurement_id):
    return _acceptance_page(procurement_id, {})


def _terms(form) -> dict:
    """The mandate fields as the accept request's terms (kroner as given: the service says what is wrong)."""
    terms = {name: form.get(name, "").strip() for name in MANDATE_FIELDS}
    terms["volume_nok"] = terms["volume_nok"].replace(" ", "").replace("\u00a0", "")
    return terms


@bp.post("/<uuid:procurement_id>/participants/respond")
def respond(procurement_id):
    """The invited tenant (this page's tenant) accepts or declines; it cannot see the
    procurement before accepting. Accepting comes from the acceptance page (a buyer's mandate),
    where bad fields are shown next to themselves; other errors go back to the dashboard. A
    decline on the invitations page returns there."""
    accept = request.form.get("answer") == "accept"
    back = (url_for("procurement_group.invitations") if request.form.get("back") == "invitations"
            else url_for("tenant.dashboard"))
    target = url_for("procurement.show", procurement_id=procurement_id) if accept else back

    def on_error(errs, status):
        if accept and status == 422:
            return _acceptance_page(procurement_id, errs, status)
        return render_template("error.html", status=status, title=_("That could not be done now."),
                               detail=" ".join(sum(errs.values(), []))), status

    terms = _terms(request.form) if accept else None
    return perform(lambda: participants.respond(procurement_id, current_tenant(), accept, terms),
                   success=_("You take part in the procurement.") if accept else _("The invitation is declined."),
                   redirect_to=target, on_error=on_error)


@bp.post("/<uuid:procurement_id>/participants/leave")
def leave(procurement_id):
    return perform(lambda: participants.leave(procurement_id, current_tenant()),
                   success=_("Your municipality has left the procurement."), redirect_to=url_for("tenant.dashboard"),
                   on_error=lambda errs, status: _page(procurement_id, errs, status))


@bp.post("/<uuid:procurement_id>/participants/lead")
def hand_over(procurement_id):
    return _act(procurement_id, lambda: participants.hand_over_lead(procurement_id, request.form.get("tenant", "")),
                _("The lead is handed over."))


@bp.post("/<uuid:procurement_id>/group/add")
def add_member(procurement_id):
    return _act(procurement_id, lambda: participants.add_member(procurement_id, request.form.get("email", ""),
                                                                request.form.get("role", "")),
                _("The project group is updated."))


@bp.post("/<uuid:procurement_id>/group/remove")
def remove_member(procurement_id):
    def run():
        try:
            user_id = uuid.UUID(request.form.get("user_id", ""))
        except ValueError:
            user_id = uuid.UUID(int=0)
        return participants.remove_member(procurement_id, user_id)

    return _act(procurement_id, run, _("The person is removed from the project group."))
