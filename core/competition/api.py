"""JSON API of the competition: settings and announcement, the market, a supplier's own tender,
the tender count / opened tenders, the opening and its protocol, competition Q&A.

Thin: each endpoint parses input, calls one service function, commits, and shapes the answer.
"""

from __future__ import annotations

import io
import uuid

from flask import request, send_file
from flask.views import MethodView
from flask_smorest import Blueprint

from core.competition import market, opening, questions, settings, tenders
from core.competition import schemas as s
from core.competition.documents import tender_documents
from core.competition.models import Competition
from core.db import db
from core.procurement.models import Procurement

blp = Blueprint("competition_api", __name__, url_prefix="/api/v1", description="Competition")


def settings_dict(procurement: Procurement, competition: Competition | None) -> dict:
    c = competition
    docs = tender_documents(procurement.id)
    lots = [{"id": lot.id, "title": lot.title} for lot in docs.lots]
    requirements = [{"id": r.id, "ref": r.ref, "title": r.title, "text": r.text, "kind": r.kind.value,
                     "lot_id": r.lot_id} for r in docs.requirements]
    return {"procurement_id": procurement.id, "title": procurement.title,
            "procedure": procurement.procedure.value if procurement.procedure else None,
            "tender_deadline": c.tender_deadline if c else None,
            "question_deadline": c.question_deadline if c else None,
            "opening_at": c.opening_at if c else None, "qualification": c.qualification if c else [],
            "lots": lots, "requirements": requirements, "announced": bool(c and c.announced_at),
            "announced_at": c.announced_at if c else None,
            "opened": bool(c and c.opened_at)}


def tender_dict(own: tenders.OwnTender) -> dict:
    t = own.tender
    return {"status": t.status.value if t else None, "content": own.content, "receipt": tenders.receipt(t),
            "withdrawn_at": t.withdrawn_at if t else None,
            "tender_deadline": own.actor.competition.tender_deadline}


@blp.route("/procurements/<uuid:procurement_id>/competition")
class CompetitionSettings(MethodView):
    @blp.response(200, s.CompetitionSettingsSchema)
    def get(self, procurement_id: uuid.UUID):
        """The competition (project group; suppliers once it is announced)."""
        return settings_dict(*tenders.readable_competition(procurement_id))

    @blp.arguments(s.CompetitionSettingsInputSchema)
    @blp.response(200, s.CompetitionSettingsSchema)
    def put(self, data, procurement_id: uuid.UUID):
        """Save the deadlines and qualification (project group); after the announcement moving a
        deadline tells every supplier."""
        competition = settings.save_settings(procurement_id, data)
        db.session.commit()
        return settings_dict(db.session.get(Procurement, procurement_id), competition)


@blp.route("/procurements/<uuid:procurement_id>/competition/announce")
class Announce(MethodView):
    @blp.response(200, s.CompetitionSettingsSchema)
    def post(self, procurement_id: uuid.UUID):
        """Announce the competition (the lead): suppliers told, visible in the market."""
        competition = settings.announce(procurement_id)
        db.session.commit()
        return settings_dict(db.session.get(Procurement, procurement_id), competition)


@blp.route("/market/competitions")
class MarketCompetitions(MethodView):
    @blp.arguments(s.CompetitionPageQuery, location="query")
    @blp.response(200, s.CompetitionMarketPageSchema)
    def get(self, query):
        """Announced competitions suppliers can answer (anyone signed in), newest first."""
        page = market.open_competitions(query["cursor"], query["limit"])
        return {"items": [{"procurement": i.procurement, "competition": i.competition,
                           "tender_status": i.tender_status.value if i.tender_status else None}
                          for i in page.items], "next_cursor": page.next_cursor}


@blp.route("/procurements/<uuid:procurement_id>/tender")
class OwnTender(MethodView):
    @blp.response(200, s.TenderSchema)
    def get(self, procurement_id: uuid.UUID):
        """The caller's supplier's own tender (empty content when none)."""
        return tender_dict(tenders.get_own(procurement_id))

    @blp.arguments(s.TenderInputSchema)
    @blp.response(200, s.TenderSchema)
    def put(self, data, procurement_id: uuid.UUID):
        """Save the draft; with `submit: true` submit it and get the receipt (until the deadline)."""
        submit = data.pop("submit", False)
        own = tenders.save(procurement_id, data, submit=submit)
        db.session.commit()
        return tender_dict(own)

    @blp.response(204)
    def delete(self, procurement_id: uuid.UUID):
        """Withdraw the submitted tender (a draft never submitted is discarded)."""
        tenders.withdraw(procurement_id)
        db.session.commit()
        return ""


@blp.route("/procurements/<uuid:procurement_id>/tender/files")
class OwnTenderFiles(MethodView):
    @blp.response(201, s.TenderFileSchema)
    def post(self, procurement_id: uuid.UUID):
        """Attach a file (multipart field `file`) to the draft; stored encrypted."""
        meta = tenders.add_file(procurement_id, request.files.get("file"))
        db.session.commit()
        return meta


@blp.route("/procurements/<uuid:procurement_id>/tender/files/<uuid:file_id>")
class OwnTenderFile(MethodView):
    @blp.response(200)
    def get(self, procurement_id: uuid.UUID, file_id: uuid.UUID):
        """A file of the caller's supplier's own tender."""
        return _download(*tenders.own_file(procurement_id, file_id))


@blp.route("/procurements/<uuid:procurement_id>/tenders")
class Tenders(MethodView):
    @blp.arguments(s.CompetitionPageQuery, location="query")
    @blp.response(200, s.TendersSchema)
    def get(self, query, procurement_id: uuid.UUID):
        """Project group: before the opening only `count`; after it the tenders in the order they
        came in, a keyset page at a time (`cursor`, `limit`; reading is logged)."""
        view = opening.overview(procurement_id, cursor=query["cursor"], limit=query["limit"])
        db.session.commit()  # the audit entry of the read
        return {"count": view.count, "opened": view.opened, "items": view.tenders, "next_cursor": view.next_cursor}


@blp.route("/procurements/<uuid:procurement_id>/tenders/<uuid:tender_id>/files/<uuid:file_id>")
class TenderFileDownload(MethodView):
    @blp.response(200)
    def get(self, procurement_id: uuid.UUID, tender_id: uuid.UUID, file_id: uuid.UUID):
        """A file of an opened tender (project group; logged)."""
        meta, data = opening.group_file(procurement_id, tender_id, file_id)
        db.session.commit()
        return _download(meta, data)


def _download(meta: dict, data: bytes):
    response = send_file(io.BytesIO(data), mimetype=meta["content_type"], as_attachment=True,
                         download_name=meta["filename"], max_age=0, etag=False, conditional=False)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blp.route("/procurements/<uuid:procurement_id>/opening")
class Opening(MethodView):
    @blp.response(200, s.OpeningSchema)
    def get(self, procurement_id: uuid.UUID):
        """The opening protocol (project group)."""
        return opening.protocol(procurement_id)

    @blp.response(200, s.OpeningSchema)
    def post(self, procurement_id: uuid.UUID):
        """Open the tenders (a project-group member, after the opening time)."""
        opening.open_tenders(procurement_id)
        db.session.commit()
        return opening.protocol(procurement_id)


@blp.route("/procurements/<uuid:procurement_id>/competition/questions")
class Questions(MethodView):
    @blp.arguments(s.CompetitionPageQuery, location="query")
    @blp.response(200, s.CompetitionQAPageSchema)
    def get(self, query, procurement_id: uuid.UUID):
        """Published answers (everyone in the competition) and open questions (group: all; supplier: own)."""
        view = questions.overview(procurement_id, query["cursor"], query["limit"])
        return {"items": view.published.items, "next_cursor": view.published.next_cursor,
                "open_questions": view.open_questions, "latest_answer_at": view.latest_answer}

    @blp.arguments(s.CompetitionQuestionInputSchema)
    @blp.response(201, s.CompetitionQuestionSchema)
    def post(self, data, procurement_id: uuid.UUID):
        """Ask a question (a supplier, until the question deadline)."""
        question = questions.ask(procurement_id, data["text"])
        db.session.commit()
        return question


@blp.route("/procurements/<uuid:procurement_id>/competition/answers")
class Answers(MethodView):
    @blp.arguments(s.CompetitionAnswerInputSchema)
    @blp.response(201, s.CompetitionAnswerSchema)
    def post(self, data, procurement_id: uuid.UUID):
        """Answer questions and publish the answer to every supplier (project group; six-day rule)."""
        record = questions.answer(procurement_id, data["questions"], data["text"], data["published_wording"])
        db.session.commit()
        return record
