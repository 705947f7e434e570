"""Marshmallow schemas of the market-dialogue API (names prefixed `Dialogue…` in OpenAPI)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from marshmallow import RAISE, Schema, fields, validate


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


def Time(**kw):  # noqa: N802  (reads like a field class)
    return fields.AwareDateTime(format="iso", default_timezone=UTC, **kw)


class DialoguePageQuery(StrictSchema):
    cursor = fields.String(load_default=None)
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class DialogueMarketEntrySchema(Schema):
    id = fields.UUID(attribute="procurement.id")
    title = fields.String(attribute="procurement.title")
    description = fields.String(attribute="procurement.description")
    buyers = fields.List(fields.String())
    opened_at = fields.DateTime(attribute="procurement.dialogue_opened_at", allow_none=True)
    conference_starts_at = fields.DateTime(allow_none=True)
    registered = fields.Boolean(metadata={"description": "Whether the caller's supplier is registered"})


class DialogueMarketPageSchema(Schema):
    items = fields.List(fields.Nested(DialogueMarketEntrySchema))
    next_cursor = fields.String(allow_none=True)


class DialogueSupplierRefSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    org_number = fields.String()


class DialogueRegistrationSchema(Schema):
    id = fields.UUID()
    procurement_id = fields.UUID()
    supplier = fields.Nested(DialogueSupplierRefSchema)
    registered_at = fields.DateTime(attribute="created_at")
    conference_status = fields.Function(lambda r: r.conference_status.value)
    conference_attendees = fields.Integer()


class DialogueRegistrationPageSchema(Schema):
    items = fields.List(fields.Nested(DialogueRegistrationSchema))
    next_cursor = fields.String(allow_none=True)


class DialogueAttendanceSchema(StrictSchema):
    attendees = fields.Integer(required=True, validate=validate.Range(min=0, max=20),
                               metadata={"description": "Persons attending the conference; 0 cancels"})


class DialogueAttachmentSchema(Schema):
    id = fields.UUID()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    url = fields.String()


class DialogueConferenceSchema(Schema):
    id = fields.UUID()
    title = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    place = fields.String()
    online_link = fields.String()
    agenda = fields.String()
    capacity = fields.Integer(allow_none=True)
    registration_deadline = fields.DateTime(allow_none=True)
    confirmed_attendees = fields.Integer()
    minutes = fields.String(allow_none=True)
    minutes_published_at = fields.DateTime(allow_none=True)
    presentations = fields.List(fields.Nested(DialogueAttachmentSchema))
    version = fields.Integer()
    my_registration = fields.Nested(DialogueRegistrationSchema, allow_none=True)


class DialogueConferenceInputSchema(StrictSchema):
    title = fields.String(load_default="", validate=validate.Length(max=300))
    starts_at = Time(required=True)
    ends_at = Time(required=True)
    place = fields.String(load_default="", validate=validate.Length(max=300))
    online_link = fields.String(load_default="", validate=validate.Length(max=500))
    agenda = fields.String(load_default="", validate=validate.Length(max=20000))
    capacity = fields.Integer(load_default=None, allow_none=True)
    registration_deadline = Time(load_default=None, allow_none=True)
    version = fields.Integer(load_default=None, metadata={"description": "The version you read (409/412 if stale)"})


class DialogueMinutesInputSchema(StrictSchema):
    minutes = fields.String(required=True, validate=validate.Length(min=1, max=100000))


class DialogueQuestionSchema(Schema):
    id = fields.UUID()
    text = fields.String()
    asked_at = fields.DateTime(attribute="created_at")
    status = fields.String(metadata={"description": "open or answered"})
    answer_id = fields.UUID(allow_none=True)
    supplier = fields.Nested(DialogueSupplierRefSchema, allow_none=True,
                             metadata={"description": "Project group only; suppliers see their own questions"})


class DialoguePublishedAnswerSchema(Schema):
    id = fields.UUID()
    questions = fields.List(fields.String(), attribute="published_questions",
                            metadata={"description": "The questions as published (asker anonymised)"})
    answer = fields.String(attribute="text")
    published_at = fields.DateTime()
    corrected_at = fields.DateTime(allow_none=True, metadata={"description": "When the answer was last corrected"})
    correction_note = fields.String(metadata={"description": "What the correction changed (may be empty)"})
    yours = fields.Boolean(metadata={"description": "One of the questions was asked by the caller's supplier"})


class DialogueQuestionsPageSchema(Schema):
    items = fields.List(fields.Nested(DialoguePublishedAnswerSchema), metadata={"description": "Published Q&A"})
    next_cursor = fields.String(allow_none=True)
    open_questions = fields.List(fields.Nested(DialogueQuestionSchema),
                                 metadata={"description": "Unanswered: all (project group) or your own"})
    my_questions = fields.List(fields.Nested(DialogueQuestionSchema),
                               metadata={"description": "Suppliers: own questions"})


class DialogueAskSchema(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class DialogueAnswerInputSchema(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    also = fields.List(fields.UUID(), load_default=list,
                       metadata={"description": "Other questions answered by the same answer"})
    published_wording = fields.Dict(keys=fields.UUID(), values=fields.String(validate=validate.Length(max=5000)),
                                    load_default=dict,
                                    metadata={"description": "Question id -> wording to publish (anonymise)"})


class DialogueCorrectionInputSchema(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=20000),
                         metadata={"description": "The corrected answer, published to every registered supplier"})
    note = fields.String(load_default="", validate=validate.Length(max=2000),
                         metadata={"description": "What was corrected, shown with the answer"})


class DialogueQuestionnaireQuestionSchema(Schema):
    id = fields.UUID(dump_only=True)
    position = fields.Integer(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf(["text", "choice", "multichoice", "attachment"]))
    text = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    help = fields.String(load_default="")
    options = fields.List(fields.String(), load_default=list)
    required = fields.Boolean(load_default=False)
    source = fields.String(load_default="custom")

    class Meta:
        unknown = RAISE


class DialogueQuestionnaireSchema(Schema):
    id = fields.UUID()
    procurement_id = fields.UUID()
    title = fields.String()
    intro = fields.String()
    deadline = fields.DateTime()
    opened_at = fields.DateTime(allow_none=True)
    questions = fields.List(fields.Nested(DialogueQuestionnaireQuestionSchema))
    version = fields.Integer(metadata={"description": "Send it back (or If-Match with the ETag) when changing"})


class DialogueQuestionnaireInputSchema(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    intro = fields.String(load_default="")
    deadline = Time(required=True)
    questions = fields.List(fields.Nested(DialogueQuestionnaireQuestionSchema), required=True)
    open = fields.Boolean(load_default=False, metadata={"description": "Open to every registered supplier now"})


class DialogueQuestionnairePatchSchema(StrictSchema):
    title = fields.String(validate=validate.Length(min=1, max=300))
    intro = fields.String(validate=validate.Length(max=20000))
    deadline = Time(metadata={"description": "The same for every supplier; the only change once opened"})
    questions = fields.List(fields.Nested(DialogueQuestionnaireQuestionSchema),
                            metadata={"description": "Replaces every question (drafts only)"})
    version = fields.Integer(metadata={"description": "The version you read (409 if stale); or send If-Match"})


class DialogueResponseAnswerSchema(StrictSchema):
    question_id = fields.UUID(required=True)
    value = fields.Raw(allow_none=True, load_default=None,
                       metadata={"description": "text: string; choice: option; multichoice: [options]; "
                                                "attachment: [file ids]"})
    business_secret = fields.Boolean(load_default=False)
    secret_reason = fields.String(load_default="", validate=validate.Length(max=2000))


class DialogueResponseInputSchema(StrictSchema):
    """The deadline rush's input (`PUT .../response`). A body of the plain shape is read by
    `plain_response_input` without marshmallow; anything else goes through the schema, so
    every refusal and every lenient reading (`"true"`, `"5"`) is marshmallow's, unchanged."""

    answers = fields.List(fields.Nested(DialogueResponseAnswerSchema), required=True)
    submit = fields.Boolean(load_default=False)
    version = fields.Integer(load_default=None)

    def load(self, data, *, many=None, partial=None, unknown=None):
        if many is None and partial is None and unknown is None and not self.many:
            plain = plain_response_input(data)
            if plain is not None:
                return plain
        return super().load(data, many=many, partial=partial, unknown=unknown)


_ANSWER_KEYS = frozenset(("question_id", "value", "business_secret", "secret_reason"))
_RESPONSE_KEYS = frozenset(("answers", "submit", "version"))
_MAX_SECRET_REASON = 2000  # DialogueResponseAnswerSchema.secret_reason


def plain_response_input(data: Any) -> dict[str, Any] | None:
    """What `DialogueResponseInputSchema` loads from `data` when `data` has the plain shape a
    client sends (known keys only, `answers` a list of objects, each `question_id` a UUID
    string, `business_secret` and `submit` JSON booleans, `secret_reason` a string within its
    limit, `version` an integer or null); None for anything else, which the schema then loads
    or refuses. The same result as the schema's (tests/dialogue/test_response_input.py)."""
    if type(data) is not dict or not data.keys() <= _RESPONSE_KEYS:
        return None
    items, submit, version = data.get("answers"), data.get("submit", False), data.get("version")
    if type(items) is not list or type(submit) is not bool or not (version is None or type(version) is int):
        return None
    answers = []
    for item in items:
        if type(item) is not dict or not item.keys() <= _ANSWER_KEYS:
            return None
        question_id, secret = item.get("question_id"), item.get("business_secret", False)
        reason = item.get("secret_reason", "")
        if type(question_id) is not str or type(secret) is not bool or type(reason) is not str \
                or len(reason) > _MAX_SECRET_REASON:
            return None
        try:
            question_uuid = uuid.UUID(question_id)
        except ValueError:
            return None
        answers.append({"question_id": question_uuid, "value": item.get("value"), "business_secret": secret,
                        "secret_reason": reason})
    return {"answers": answers, "submit": submit, "version": version}


class DialogueResponseAnswerOutSchema(Schema):
    question_id = fields.UUID()
    value = fields.Raw(allow_none=True)
    business_secret = fields.Boolean()
    secret_reason = fields.String()


class DialogueResponseSchema(Schema):
    """A response. The supplier's own response without files (the deadline rush's answer) is
    dumped by `plain_response_dump`; anything else by the schema."""

    id = fields.UUID(allow_none=True)
    questionnaire_id = fields.UUID()
    supplier = fields.Nested(DialogueSupplierRefSchema, allow_none=True)
    status = fields.String()
    submitted_at = fields.DateTime(allow_none=True)
    version = fields.Integer(allow_none=True)
    deadline = fields.DateTime()
    open = fields.Boolean(metadata={"description": "Still before the deadline"})
    answers = fields.List(fields.Nested(DialogueResponseAnswerOutSchema))
    files = fields.List(fields.Nested(DialogueAttachmentSchema))

    def dump(self, obj, *, many=None):
        if many is None and not self.many:
            plain = plain_response_dump(obj)
            if plain is not None:
                return plain
        return super().dump(obj, many=many)


_RESPONSE_OUT_KEYS = frozenset(DialogueResponseSchema._declared_fields)
_ANSWER_OUT_KEYS = frozenset(DialogueResponseAnswerOutSchema._declared_fields)
_SUPPLIER_REF_KEYS = frozenset(DialogueSupplierRefSchema._declared_fields)


def _uuid_or_none(value: Any) -> bool:
    return value is None or type(value) is uuid.UUID


def _datetime_or_none(value: Any) -> bool:
    return value is None or type(value) is datetime


def plain_response_dump(obj: Any) -> dict[str, Any] | None:
    """What `DialogueResponseSchema` dumps of `obj` when `obj` is a dict with every field, of
    the plain types the API's `_own_dict` gives (UUIDs, aware datetimes, `str`, `int`, `bool`)
    and no files; None for anything else, which the schema dumps. The same result, keys in the
    same order (tests/dialogue/test_response_input.py)."""
    if type(obj) is not dict or obj.keys() != _RESPONSE_OUT_KEYS or obj["files"] != []:
        return None
    supplier, version, answers = obj["supplier"], obj["version"], obj["answers"]
    if not (_uuid_or_none(obj["id"]) and type(obj["questionnaire_id"]) is uuid.UUID
            and type(obj["status"]) is str and _datetime_or_none(obj["submitted_at"])
            and (version is None or type(version) is int) and type(obj["deadline"]) is datetime
            and type(obj["open"]) is bool and type(answers) is list):
        return None
    if supplier is not None:
        if type(supplier) is not dict or supplier.keys() != _SUPPLIER_REF_KEYS \
                or type(supplier["id"]) is not uuid.UUID or type(supplier["name"]) is not str \
                or type(supplier["org_number"]) is not str:
            return None
        supplier = {"id": str(supplier["id"]), "name": supplier["name"], "org_number": supplier["org_number"]}
    dumped_answers = []
    for answer in answers:
        if type(answer) is not dict or answer.keys() != _ANSWER_OUT_KEYS \
                or type(answer["question_id"]) is not uuid.UUID or type(answer["business_secret"]) is not bool \
                or type(answer["secret_reason"]) is not str:
            return None
        dumped_answers.append({"question_id": str(answer["question_id"]), "value": answer["value"],
                               "business_secret": answer["business_secret"],
                               "secret_reason": answer["secret_reason"]})
    submitted_at = obj["submitted_at"]
    return {"id": None if obj["id"] is None else str(obj["id"]), "questionnaire_id": str(obj["questionnaire_id"]),
            "supplier": supplier, "status": obj["status"],
            "submitted_at": None if submitted_at is None else submitted_at.isoformat(), "version": version,
            "deadline": obj["deadline"].isoformat(), "open": obj["open"], "answers": dumped_answers, "files": []}


class DialogueResponsesSchema(Schema):
    questionnaire = fields.Nested(DialogueQuestionnaireSchema)
    responses = fields.List(fields.Nested(DialogueResponseSchema))
    drafts = fields.Integer(metadata={"description": "Responses saved but not submitted (content not shown)"})


class DialogueExportQuery(StrictSchema):
    format = fields.String(load_default="csv", validate=validate.OneOf(["csv", "xlsx"]))
    variant = fields.String(load_default=None, metadata={
        "enum": ["internal", "external"],
        "description": "internal marks business secrets; external (the default) leaves them out. "
                       "Any other value is refused (422, problem+json naming the allowed values)."})


class DialogueRoundInputSchema(StrictSchema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=300))
    agenda = fields.String(load_default="")
    slot_minutes = fields.Integer(required=True)
    starts = fields.List(Time(), required=True)
    cutoff = Time(required=True)
    place = fields.String(load_default="")
    online_link = fields.String(load_default="")
    bookings_per_supplier = fields.Integer(load_default=1)
    open = fields.Boolean(load_default=False)


class DialogueSlotSchema(Schema):
    id = fields.UUID()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    free = fields.Boolean()
    mine = fields.Boolean()
    supplier = fields.Nested(DialogueSupplierRefSchema, allow_none=True)


class DialogueRoundSchema(Schema):
    id = fields.UUID()
    title = fields.String()
    agenda = fields.String()
    slot_minutes = fields.Integer()
    place = fields.String()
    online_link = fields.String()
    bookings_per_supplier = fields.Integer()
    opened_at = fields.DateTime(allow_none=True)
    cutoff = fields.DateTime()
    slots = fields.List(fields.Nested(DialogueSlotSchema))


class DialogueRoundsSchema(Schema):
    rounds = fields.List(fields.Nested(DialogueRoundSchema))


class DialogueBookingInputSchema(StrictSchema):
    replacing = fields.UUID(load_default=None, metadata={"description": "Move your booking from this slot"})


class DialogueCancellationInputSchema(StrictSchema):
    reason = fields.String(load_default="", validate=validate.Length(max=2000),
                           metadata={"description": "Told to the supplier and kept in the audit log"})


class DialogueBookingSchema(Schema):
    id = fields.UUID()
    slot_id = fields.UUID()
    starts_at = fields.DateTime(attribute="slot.starts_at")
    ends_at = fields.DateTime(attribute="slot.ends_at")
    round_id = fields.UUID()


class DialogueMeetingMinutesSchema(Schema):
    slot_id = fields.UUID()
    supplier = fields.Nested(DialogueSupplierRefSchema)
    minutes = fields.String()
    updated_at = fields.DateTime(attribute="minutes_updated_at", allow_none=True)


class DialogueInvitationSchema(Schema):
    text = fields.String(metadata={"description": "Placeholders filled"})
    raw_text = fields.String(metadata={"description": "As edited, with {{ placeholders }}"})
    is_draft = fields.Boolean()
    unknown_placeholders = fields.List(fields.String(), attribute="unknown")
    dialogue_open = fields.Boolean(attribute="procurement.dialogue_open")


class DialogueInvitationInputSchema(StrictSchema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=20000))
