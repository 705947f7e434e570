"""JSON API for feedback and solution proposals: questionnaires, the supplier's own response,
all responses side by side for the project group, and the exports."""

from __future__ import annotations

import uuid

from flask import Response, request
from flask.views import MethodView

from core.api.preconditions import etag_pattern, sent_versions
from core.db import db, utcnow
from core.dialogue import exports, questionnaires, responses
from core.dialogue import schemas as s
from core.dialogue.api import attachment_dict, blp, supplier_ref

ETAG_RE = etag_pattern("q")


@blp.route("/procurements/<uuid:procurement_id>/questionnaires")
class Questionnaires(MethodView):
    @blp.response(200, s.DialogueQuestionnaireSchema(many=True))
    def get(self, procurement_id: uuid.UUID):
        """Questionnaires: all for the project group, opened ones for registered suppliers."""
        return questionnaires.list_questionnaires(procurement_id)[1]

    @blp.arguments(s.DialogueQuestionnaireInputSchema)
    @blp.response(201, s.DialogueQuestionnaireSchema)
    def post(self, data, procurement_id: uuid.UUID):
        """A new questionnaire (project group); `open: true` opens it to every registered supplier now."""
        questionnaire = questionnaires.create_questionnaire(
            procurement_id, title=data["title"], intro=data["intro"], deadline=data["deadline"],
            questions=data["questions"], open_now=data["open"])
        db.session.commit()
        return questionnaire


def _etag(questionnaire) -> dict[str, str]:
    return {"ETag": f'"q-{questionnaire.version}"'}


@blp.route("/questionnaires/<uuid:questionnaire_id>")
class QuestionnaireDetail(MethodView):
    @blp.response(200, s.DialogueQuestionnaireSchema)
    def get(self, questionnaire_id: uuid.UUID):
        """One questionnaire; sends an ETag for `PATCH`."""
        questionnaire = questionnaires.get_questionnaire(questionnaire_id)[1]
        return questionnaire, 200, _etag(questionnaire)

    @blp.arguments(s.DialogueQuestionnairePatchSchema)
    @blp.response(200, s.DialogueQuestionnaireSchema)
    @blp.alt_response(409, schema=None, description="`version` is stale, or the questionnaire is open "
                                                    "(then only `deadline` may change)")
    @blp.alt_response(412, schema=None, description="`If-Match` is stale")
    @blp.alt_response(428, schema=None, description="Neither `If-Match` nor `version` was sent")
    def patch(self, data, questionnaire_id: uuid.UUID):
        """Change a draft (project group); once opened only the `deadline` moves, for every supplier alike.
        Send `If-Match` (the ETag) or the `version` you read."""
        questionnaires.get_questionnaire(questionnaire_id)  # who cannot see it learns nothing about preconditions
        if_match, expected = sent_versions(data, ETAG_RE)
        questionnaire = questionnaires.update_questionnaire(questionnaire_id, **data, expected_version=expected,
                                                            if_match_version=if_match)
        db.session.commit()
        return questionnaire, 200, _etag(questionnaire)


@blp.route("/questionnaires/<uuid:questionnaire_id>/open")
class QuestionnaireOpen(MethodView):
    @blp.response(200, s.DialogueQuestionnaireSchema)
    def post(self, questionnaire_id: uuid.UUID):
        """Open to every registered supplier at the same moment (questions are fixed from then)."""
        questionnaire = questionnaires.open_questionnaire(questionnaire_id)
        db.session.commit()
        return questionnaire


def _own_dict(own: responses.OwnResponse) -> dict:
    response = own.response
    return {"id": response.id if response else None, "questionnaire_id": own.questionnaire.id,
            "supplier": {"id": own.actor.supplier_id, "name": own.actor.context.name,
                         "org_number": own.actor.context.org_number},
            "status": response.status.value if response else "none",
            "submitted_at": response.submitted_at if response else None,
            "version": response.version if response else None,
            "deadline": own.questionnaire.deadline, "open": utcnow() < own.questionnaire.deadline,
            "answers": [{"question_id": a.question_id, "value": a.value, "business_secret": a.is_business_secret,
                         "secret_reason": a.secret_reason}
                        for a in responses.ordered_answers(own.questionnaire, response)],
            "files": [attachment_dict(a) for a in own.files.values()]}


@blp.route("/questionnaires/<uuid:questionnaire_id>/response")
class OwnResponse(MethodView):
    @blp.response(200, s.DialogueResponseSchema)
    def get(self, questionnaire_id: uuid.UUID):
        """The caller's supplier's own response (status `none` before the first save)."""
        return _own_dict(responses.my_response(questionnaire_id))

    @blp.arguments(s.DialogueResponseInputSchema)
    @blp.response(200, s.DialogueResponseSchema)
    def put(self, data, questionnaire_id: uuid.UUID):
        """Save (and with `submit: true` hand in) the response; refused after the deadline (409)."""
        saved = responses.save_own_response(questionnaire_id, data["answers"], submit=data["submit"],
                                            expected_version=data["version"])
        db.session.flush()
        body = _own_dict(saved)  # what was saved, as committed below (a commit refused raises)
        db.session.commit()
        return body


@blp.route("/questionnaires/<uuid:questionnaire_id>/response/attachments")
class ResponseAttachments(MethodView):
    @blp.response(201, s.DialogueAttachmentSchema)
    def post(self, questionnaire_id: uuid.UUID):
        """Upload a file (multipart: `question_id`, `file`); put its id in that answer's value."""
        stored = responses.upload_attachment(questionnaire_id, request.form.get("question_id", ""),
                                             request.files.get("file"))
        db.session.commit()
        return attachment_dict(stored)


@blp.route("/questionnaires/<uuid:questionnaire_id>/responses")
class AllResponses(MethodView):
    @blp.response(200, s.DialogueResponsesSchema)
    def get(self, questionnaire_id: uuid.UUID):
        """Every submitted response (project group), business secrets marked."""
        overview = responses.responses_overview(questionnaire_id)
        q = overview.questionnaire
        return {"questionnaire": q, "drafts": overview.drafts, "responses": [{
            "id": r.id, "questionnaire_id": q.id, "supplier": supplier_ref(r.supplier), "status": r.status.value,
            "submitted_at": r.submitted_at, "version": r.version, "deadline": q.deadline,
            "open": utcnow() < q.deadline,
            "answers": [{"question_id": a.question_id, "value": a.value, "business_secret": a.is_business_secret,
                         "secret_reason": a.secret_reason} for a in responses.ordered_answers(q, r)],
            "files": [attachment_dict(a) for a in overview.files.values() if a.response_id == r.id],
        } for r in overview.responses]}


@blp.route("/questionnaires/<uuid:questionnaire_id>/export")
class ResponsesExport(MethodView):
    @blp.arguments(s.DialogueExportQuery, location="query")
    @blp.response(200, content_type="text/csv")
    def get(self, query, questionnaire_id: uuid.UUID):
        """CSV or XLSX. `variant=internal` (write access) marks business secrets; `external` leaves them out.

        Any other `variant` answers 422 (problem+json with `allowed`), never a silently external export."""
        internal = exports.internal_variant(query["variant"])
        if query["format"] == "xlsx":
            name, body = exports.export_xlsx(questionnaire_id, internal=internal)
            mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            name, body = exports.export_csv(questionnaire_id, internal=internal)
            mimetype = "text/csv"
        db.session.commit()  # the export is on the record
        return Response(body, mimetype=mimetype, headers={
            "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "private, no-store"})
