"""JSON API of the market dialogue: market, invitation, registrations, conference, Q&A, calendar.

Thin: each endpoint parses input, calls one service function, commits, and shapes the answer.
Authentication is by bearer token (see `core.auth`); unauthorised objects answer 404.
"""

from __future__ import annotations

import uuid

from flask import Response, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from core.db import db
from core.dialogue import attachments, calendar, conference, invitation, market, questions, registrations
from core.dialogue import schemas as s
from core.dialogue.models import DialogueAttachment
from core.errors import NotFound
from core.i18n import _l

blp = Blueprint("dialogue_api", __name__, url_prefix="/api/v1", description="Market dialogue")


def attachment_dict(attachment: DialogueAttachment) -> dict:
    return {"id": attachment.id, "filename": attachment.filename, "content_type": attachment.content_type,
            "size": attachment.size,
            "url": url_for("dialogue_api.DialogueAttachmentDownload", file_id=attachment.id)}


def supplier_ref(org) -> dict:
    return {"id": org.id, "name": org.name, "org_number": org.org_number}


@blp.route("/market/dialogues")
class MarketDialogues(MethodView):
    @blp.arguments(s.DialoguePageQuery, location="query")
    @blp.response(200, s.DialogueMarketPageSchema)
    def get(self, query):
        """Open market dialogues suppliers can join (anyone signed in), newest first."""
        page = market.open_dialogues(query["cursor"], query["limit"])
        return {"items": page.items, "next_cursor": page.next_cursor}


@blp.route("/procurements/<uuid:procurement_id>/invitation")
class Invitation(MethodView):
    @blp.response(200, s.DialogueInvitationSchema)
    def get(self, procurement_id: uuid.UUID):
        """The dialogue invitation (project group): raw text and text with placeholders filled."""
        return invitation.get_invitation(procurement_id)

    @blp.arguments(s.DialogueInvitationInputSchema)
    @blp.response(200, s.DialogueInvitationSchema)
    def put(self, data, procurement_id: uuid.UUID):
        """Save the invitation text (may contain `{{ placeholders }}`)."""
        view = invitation.save_invitation(procurement_id, data["text"])
        db.session.commit()
        return view


@blp.route("/procurements/<uuid:procurement_id>/invitation.json")
class InvitationExport(MethodView):
    @blp.response(200)
    def get(self, procurement_id: uuid.UUID):
        """The invitation as structured JSON for publication elsewhere."""
        return invitation.export_json(procurement_id)


@blp.route("/procurements/<uuid:procurement_id>/dialogue/open")
class OpenDialogue(MethodView):
    @blp.response(200, s.DialogueInvitationSchema)
    def post(self, procurement_id: uuid.UUID):
        """Open the dialogue: suppliers can find and join it (lead, market-dialogue phase)."""
        invitation.open_dialogue(procurement_id)
        db.session.commit()
        return invitation.get_invitation(procurement_id)


@blp.route("/procurements/<uuid:procurement_id>/registrations")
class Registrations(MethodView):
    @blp.arguments(s.DialoguePageQuery, location="query")
    @blp.response(200, s.DialogueRegistrationPageSchema)
    def get(self, query, procurement_id: uuid.UUID):
        """Registered suppliers (project group)."""
        page = registrations.list_registrations(procurement_id, query["cursor"], query["limit"])
        return {"items": page.items, "next_cursor": page.next_cursor}

    @blp.response(201, s.DialogueRegistrationSchema)
    @blp.alt_response(200, schema=s.DialogueRegistrationSchema, description="Already registered")
    def post(self, procurement_id: uuid.UUID):
        """Register the caller's supplier in the dialogue (supplier user)."""
        registration, created = registrations.register(procurement_id)
        db.session.commit()
        return registration, (201 if created else 200)


@blp.route("/procurements/<uuid:procurement_id>/conference")
class Conference(MethodView):
    @blp.response(200, s.DialogueConferenceSchema)
    def get(self, procurement_id: uuid.UUID):
        """The conference (project group, registered suppliers); minutes once published."""
        view = conference.get_conference(procurement_id)
        return _conference_dict(view)

    @blp.arguments(s.DialogueConferenceInputSchema)
    @blp.response(200, s.DialogueConferenceSchema)
    def put(self, data, procurement_id: uuid.UUID):
        """Create or change the conference (project group); `version` guards against lost updates."""
        version = data.pop("version", None)
        conference.save_conference(procurement_id, data, expected_version=version)
        db.session.commit()
        return _conference_dict(conference.get_conference(procurement_id))


def _conference_dict(view: conference.ConferenceView) -> dict:
    c = view.conference
    if c is None:
        raise NotFound(_l("There is no dialogue conference yet."))
    data = {name: getattr(c, name) for name in conference.FIELDS}
    data.update(id=c.id, confirmed_attendees=c.confirmed_attendees, version=c.version,
                minutes=c.minutes if view.minutes_visible else None,
                minutes_published_at=c.minutes_published_at,
                presentations=[attachment_dict(a) for a in view.presentations],
                my_registration=view.reader.supplier.registration if view.reader.supplier else None)
    return data


@blp.route("/procurements/<uuid:procurement_id>/conference/attendance")
class ConferenceAttendance(MethodView):
    @blp.arguments(s.DialogueAttendanceSchema)
    @blp.response(200, s.DialogueRegistrationSchema)
    def put(self, data, procurement_id: uuid.UUID):
        """How many of the caller's supplier attend (0 cancels); waiting list when full."""
        registration = registrations.attend_conference(procurement_id, data["attendees"])
        db.session.commit()
        return registration


@blp.route("/procurements/<uuid:procurement_id>/conference/minutes")
class ConferenceMinutes(MethodView):
    @blp.arguments(s.DialogueMinutesInputSchema)
    @blp.response(200, s.DialogueConferenceSchema)
    def put(self, data, procurement_id: uuid.UUID):
        """Publish the minutes to every registered supplier (project group)."""
        conference.publish_minutes(procurement_id, data["minutes"])
        db.session.commit()
        return _conference_dict(conference.get_conference(procurement_id))


@blp.route("/procurements/<uuid:procurement_id>/conference/presentations")
class ConferencePresentations(MethodView):
    @blp.response(200, s.DialogueAttachmentSchema(many=True))
    def get(self, procurement_id: uuid.UUID):
        """The conference's presentations (project group, every registered supplier)."""
        return [attachment_dict(a) for a in conference.list_presentations(procurement_id)]

    @blp.response(201, s.DialogueAttachmentSchema)
    @blp.alt_response(413, schema=None, description="Larger than the upload limit")
    @blp.alt_response(415, schema=None, description="A kind of file that is not accepted (the content decides)")
    def post(self, procurement_id: uuid.UUID):
        """Upload a presentation (project group; multipart `file`). It is published to every registered
        supplier at once, and each is told by email. Same limits and checks as the page's upload."""
        attachment = conference.add_presentation(procurement_id, request.files.get("file"))
        db.session.commit()
        return attachment_dict(attachment)


@blp.route("/procurements/<uuid:procurement_id>/conference/presentations/<uuid:presentation_id>")
class ConferencePresentation(MethodView):
    @blp.response(204)
    def delete(self, procurement_id: uuid.UUID, presentation_id: uuid.UUID):
        """Remove a presentation (project group)."""
        conference.remove_presentation(procurement_id, presentation_id)
        db.session.commit()


@blp.route("/procurements/<uuid:procurement_id>/questions")
class Questions(MethodView):
    @blp.arguments(s.DialoguePageQuery, location="query")
    @blp.response(200, s.DialogueQuestionsPageSchema)
    def get(self, query, procurement_id: uuid.UUID):
        """Published Q&A for everyone registered, plus open questions (all, or the caller's own)."""
        qa = questions.overview(procurement_id, query["cursor"], query["limit"])
        is_group = qa.reader.group is not None
        items = [_answer_dict(a, a.id in qa.own_answer_ids) for a in qa.published.items]
        return {"items": items, "next_cursor": qa.published.next_cursor,
                "open_questions": [_question_dict(q, is_group) for q in qa.open_questions],
                "my_questions": [_question_dict(q, False) for q in qa.own_questions]}

    @blp.arguments(s.DialogueAskSchema)
    @blp.response(201, s.DialogueQuestionSchema)
    def post(self, data, procurement_id: uuid.UUID):
        """Ask a question (registered supplier); only the project group and you see it until answered."""
        question = questions.ask(procurement_id, data["text"])
        db.session.commit()
        return _question_dict(question, False)


def _question_dict(question, with_supplier: bool) -> dict:
    return {"id": question.id, "text": question.text, "created_at": question.created_at,
            "answer_id": question.answer_id, "status": "answered" if question.answer_id else "open",
            "supplier": supplier_ref(question.supplier) if with_supplier else None}


@blp.route("/questions/<uuid:question_id>/answer")
class Answer(MethodView):
    @blp.arguments(s.DialogueAnswerInputSchema)
    @blp.response(201, s.DialoguePublishedAnswerSchema)
    def post(self, data, question_id: uuid.UUID):
        """Answer (several questions together with `also`) and publish to every registered supplier."""
        record = questions.answer(question_id, data["text"], also=data["also"],
                                  published_wording=data["published_wording"])
        db.session.commit()
        return _answer_dict(record, False)


def _answer_dict(record, yours: bool) -> dict:
    return {"id": record.id, "published_questions": record.published_questions, "text": record.text,
            "published_at": record.published_at, "corrected_at": record.corrected_at,
            "correction_note": record.correction_note, "yours": yours}


@blp.route("/answers/<uuid:answer_id>/correction")
class AnswerCorrection(MethodView):
    @blp.arguments(s.DialogueCorrectionInputSchema)
    @blp.response(200, s.DialoguePublishedAnswerSchema)
    def post(self, data, answer_id: uuid.UUID):
        """Correct a published answer (project group): the corrected text is published to every registered
        supplier at once, marked as corrected with `note`, and each is told by email."""
        record = questions.correct_answer(answer_id, data["text"], note=data["note"])
        db.session.commit()
        return _answer_dict(record, False)


@blp.route("/procurements/<uuid:procurement_id>/calendar.ics")
class CalendarExport(MethodView):
    @blp.response(200, content_type="text/calendar")
    def get(self, procurement_id: uuid.UUID):
        """The conference and meetings as iCalendar (project group: all; supplier: its own)."""
        return Response(calendar.calendar_for(procurement_id), mimetype="text/calendar",
                        headers={"Content-Disposition": 'attachment; filename="dialogue.ics"'})


@blp.route("/dialogue-attachments/<uuid:file_id>")
class DialogueAttachmentDownload(MethodView):
    @blp.response(200, content_type="application/octet-stream")
    def get(self, file_id: uuid.UUID):
        """Download a presentation or response file (404 unless the caller may read it)."""
        return attachments.download(file_id)
