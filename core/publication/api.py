"""JSON API of publication: notices, OCDS, the open-data feed and the protocol as PDF.

Thin: each endpoint calls one service function, commits and shapes the answer.
"""

from __future__ import annotations

import uuid

from flask import Response, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from core.db import db
from core.publication import doffin, notices, ocds_service, pdf
from core.publication import schemas as s
from core.publication.models import Notice

blp = Blueprint("publication_api", __name__, url_prefix="/api/v1", description="Publication")


def notice_dict(notice: Notice) -> dict:
    return {"id": notice.id, "procurement_id": notice.procurement_id, "kind": notice.kind.value,
            "subtype": notice.subtype, "created_at": notice.created_at, "validation": notice.validation,
            "doffin": {"status": notice.doffin_status.value, "id": notice.doffin_id,
                       "reply_status": notice.doffin_reply_status, "attempts": notice.doffin_attempts,
                       "sent_at": notice.doffin_sent_at.isoformat() if notice.doffin_sent_at else None,
                       "last_error": notice.doffin_last_error or None},
            "xml_url": url_for("publication_api.NoticeOne", notice_id=notice.id)}


@blp.route("/procurements/<uuid:procurement_id>/notices")
class ProcurementNotices(MethodView):
    @blp.response(200, s.PublicationNoticeListSchema)
    def get(self, procurement_id: uuid.UUID):
        """The procurement's eForms notices (project group), newest first."""
        return {"items": [notice_dict(n) for n in notices.list_for(procurement_id)]}

    @blp.arguments(s.PublicationNoticeInputSchema)
    @blp.response(201, s.PublicationNoticeSchema)
    @blp.alt_response(422, description="The notice fails the eForms XSD or schematron: `failures` lists "
                                        "each rule id and message; nothing is stored")
    def post(self, data, procurement_id: uuid.UUID):
        """Make a notice of `kind`, validate it (XSD + schematron) and store it; sent to Doffin when configured."""
        notice = notices.create(procurement_id, data["kind"])
        db.session.commit()
        doffin.queue_after_request(notice)
        return notice_dict(notice)


@blp.route("/notices/<uuid:notice_id>")
class NoticeOne(MethodView):
    @blp.response(200, s.PublicationNoticeSchema, content_type="application/json")
    @blp.alt_response(200, description="The eForms XML (Accept: application/xml), for manual upload",
                      content_type="application/xml")
    def get(self, notice_id: uuid.UUID):
        """One notice; with `Accept: application/xml` its eForms XML."""
        notice = notices.get(notice_id)
        if request.accept_mimetypes.best == "application/xml":
            return Response(notice.xml, mimetype="application/xml", headers={
                "Content-Disposition": f'attachment; filename="notice-{notice.subtype}-{notice.id}.xml"'})
        return notice_dict(notice)


@blp.route("/procurements/<uuid:procurement_id>/ocds")
class ProcurementOcds(MethodView):
    @blp.response(200, s.OcdsPackageSchema)
    def get(self, procurement_id: uuid.UUID):
        """OCDS 1.1 release package (project group: all stages; anyone: what is published)."""
        return ocds_service.release_package(procurement_id)


@blp.route("/procurements/<uuid:procurement_id>/ocds/record")
class ProcurementOcdsRecord(MethodView):
    @blp.response(200, s.OcdsPackageSchema)
    def get(self, procurement_id: uuid.UUID):
        """OCDS record package with the compiled release."""
        return ocds_service.record_package(procurement_id)


@blp.route("/ocds/releases")
class OcdsFeed(MethodView):
    @blp.arguments(s.FeedQuery, location="query")
    @blp.response(200, s.ReleasePageSchema)
    def get(self, query):
        """Published OCDS releases for harvesters (anyone), oldest first, keyset pages."""
        page = ocds_service.feed(query["cursor"], query["limit"], query["since"])
        return {"releases": [r.data for r in page.items], "next_cursor": page.next_cursor}


@blp.route("/procurements/<uuid:procurement_id>/protocol.pdf")
class ProtocolPdf(MethodView):
    @blp.response(200, content_type="application/pdf", description="The protocol as PDF")
    def get(self, procurement_id: uuid.UUID):
        """The procurement protocol as PDF (project group)."""
        body, filename = pdf.protocol_pdf(procurement_id)
        return Response(body, mimetype="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{filename}"'})
