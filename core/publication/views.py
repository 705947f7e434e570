"""Pages: the public pages (`/public/`, no sign-in) and, inside a tenant, a procurement's
publication page (notices, OCDS, the protocol as PDF)."""

from __future__ import annotations

import uuid

from flask import Blueprint, Response, render_template, request, url_for
from flask_babel import gettext as _

from core.errors import NotFound
from core.plugin_platform.host import current_host
from core.procurement.access import Action, require
from core.publication import doffin, notices, pdf, register, settings
from core.publication.published import buyers as buyers_of
from core.publication.published import open_procurements, published
from core.web.forms import perform
from tenants.resolution import tenant_blueprint

public = Blueprint("publication_pages", __name__, url_prefix="/public", template_folder="templates")
bp = tenant_blueprint("publication", __name__, "/procurements/<uuid:procurement_id>", template_folder="templates")


@public.after_request
def _noindex_unpublished(response: Response) -> Response:
    """Search engines index what is published and nothing else (404s, drafts)."""
    if response.status_code >= 400:
        response.headers["X-Robots-Tag"] = "noindex"
    return response


@public.get("/")
def index():
    page = open_procurements(request.args.get("cursor") or None, 20)
    return render_template("publication/public_index.html", page=page)


@public.get("/procurements/<uuid:procurement_id>")
def procurement(procurement_id: uuid.UUID):
    view = published(procurement_id)
    sections = [s for s in current_host().call("samspill_public_sections", procurement=view.procurement) if s]
    return render_template("publication/public_procurement.html", view=view, sections=sections)


@bp.get("/publication")
def overview(procurement_id: uuid.UUID, errors=None, status=200):
    access = require(procurement_id, Action.read)
    items = notices.list_for(procurement_id)
    buyers = published_buyers(procurement_id)
    suppliers = register.dialogue_suppliers(procurement_id)
    checks = register.checks_for([b.org_number for b in buyers] + [s.org_number for s in suppliers])
    return render_template("publication/overview.html", procurement=access.procurement, notices=items,
                           errors=errors or {}, doffin_configured=settings.doffin() is not None,
                           buyers=buyers, suppliers=suppliers, checks=checks), status


def published_buyers(procurement_id: uuid.UUID):
    return buyers_of(procurement_id)


@bp.post("/publication/notices")
def make_notice(procurement_id: uuid.UUID):
    def action():
        notice = notices.create(procurement_id, request.form.get("kind", ""))
        doffin.queue_after_request(notice)
        return notice

    return perform(action, success=_("The notice passed the eForms rules and is stored."),
                   redirect_to=url_for("publication.overview", procurement_id=procurement_id),
                   on_error=lambda errors, status: overview(procurement_id, errors, status))


@bp.get("/publication/notices/<uuid:notice_id>.xml")
def notice_xml(procurement_id: uuid.UUID, notice_id: uuid.UUID):
    notice = notices.get(notice_id)
    if notice.procurement_id != procurement_id:
        raise NotFound()
    return Response(notice.xml, mimetype="application/xml", headers={
        "Content-Disposition": f'attachment; filename="kunngjoring-{notice.subtype}.xml"'})


@bp.get("/protocol.pdf")
def protocol_pdf(procurement_id: uuid.UUID):
    body, filename = pdf.protocol_pdf(procurement_id)
    return Response(body, mimetype="application/pdf", headers={"Content-Disposition": f'inline; filename="{filename}"'})
