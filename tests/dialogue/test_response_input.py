"""The response's input (`PUT /api/v1/questionnaires/<id>/response`, the deadline rush's request)
is read without marshmallow when it has the plain shape, and its answer dumped without it: the
results must be the schema's, and every other body must get the schema's reading or its precise
problem+json refusal."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from marshmallow import Schema

from core.dialogue import schemas
from core.dialogue.schemas import (
    DialogueResponseInputSchema,
    DialogueResponseSchema,
    plain_response_dump,
    plain_response_input,
)
from tests.dialogue.helpers import make_questionnaire

Q1, Q2 = str(uuid.uuid4()), str(uuid.uuid4())

PLAIN = [
    {"answers": []},
    {"answers": [{"question_id": Q1}]},
    {"answers": [{"question_id": Q1, "value": "Tekst"}, {"question_id": Q2, "value": ["SCAIP", "Normen"]}],
     "submit": True, "version": 3},
    {"answers": [{"question_id": Q1, "value": None, "business_secret": True, "secret_reason": "Pris"}],
     "submit": False, "version": None},
    {"answers": [{"question_id": Q1.replace("-", ""), "value": {"nested": [1, 2]}, "secret_reason": "x" * 2000}]},
    {"answers": [{"question_id": "{" + Q1.upper() + "}", "value": 7, "business_secret": False}], "version": 0},
]

NOT_PLAIN = [  # read by the schema: a lenient reading or a refusal
    None, [], "answers", {},
    {"answers": [], "submit": "true"}, {"answers": [], "submit": 1}, {"answers": [], "version": "5"},
    {"answers": [], "version": 5.0}, {"answers": [], "version": True}, {"answers": [], "version": 5.5},
    {"answers": [], "extra": 1}, {"answers": None}, {"answers": {}}, {"answers": ["x"]},
    {"answers": [{"value": "x"}]}, {"answers": [{"question_id": "not-a-uuid"}]},
    {"answers": [{"question_id": 5}]}, {"answers": [{"question_id": Q1, "business_secret": "yes"}]},
    {"answers": [{"question_id": Q1, "secret_reason": None}]},
    {"answers": [{"question_id": Q1, "secret_reason": "x" * 2001}]},
    {"answers": [{"question_id": Q1, "unknown": 1}]},
]


def _schema_load(body):
    """What marshmallow alone makes of `body` (the schema's own `load`, without the plain path)."""
    schema = DialogueResponseInputSchema()
    return Schema.load(schema, body)


@pytest.mark.parametrize("body", PLAIN)
def test_a_plain_body_is_read_as_the_schema_reads_it(body):
    assert plain_response_input(body) is not None
    assert plain_response_input(body) == _schema_load(body)
    assert DialogueResponseInputSchema().load(body) == _schema_load(body)


@pytest.mark.parametrize("body", NOT_PLAIN)
def test_any_other_body_is_left_to_the_schema(body):
    assert plain_response_input(body) is None


def test_wrong_input_is_refused_with_the_schema_s_precise_errors(open_world):
    w = open_world
    q = make_questionnaire(w)
    path = f"/api/v1/questionnaires/{q['id']}/response"
    qid = q["questions"][0]["id"]
    cases = [
        ({}, {"json": {"answers": ["Missing data for required field."]}}),
        ({"answers": "x"}, {"json": {"answers": ["Not a valid list."]}}),
        ({"answers": [], "submit": "maybe"}, {"json": {"submit": ["Not a valid boolean."]}}),
        ({"answers": [], "version": "v2"}, {"json": {"version": ["Not a valid integer."]}}),
        ({"answers": [], "sumbit": True}, {"json": {"sumbit": ["Unknown field."]}}),
        ({"answers": ["x"]}, {"json": {"answers": {"0": {"_schema": ["Invalid input type."]}}}}),
        ({"answers": [{"value": "x"}]},
         {"json": {"answers": {"0": {"question_id": ["Missing data for required field."]}}}}),
        ({"answers": [{"question_id": "nope"}]}, {"json": {"answers": {"0": {"question_id": ["Not a valid UUID."]}}}}),
        ({"answers": [{"question_id": qid, "business_secret": "ja"}]},
         {"json": {"answers": {"0": {"business_secret": ["Not a valid boolean."]}}}}),
        ({"answers": [{"question_id": qid, "business_secret": True, "secret_reason": "x" * 2001}]},
         {"json": {"answers": {"0": {"secret_reason": ["Longer than maximum length 2000."]}}}}),
        ({"answers": [{"question_id": qid, "secret_reason": 3}]},
         {"json": {"answers": {"0": {"secret_reason": ["Not a valid string."]}}}}),
    ]
    for body, errors in cases:
        r = w.api("put", path, w.a, json=body)
        assert r.status_code == 422, (body, r.get_data(as_text=True))
        assert r.mimetype == "application/problem+json"
        assert r.json["errors"] == errors, body
    assert w.api("get", path, w.a).json["status"] == "none"  # nothing was written
    # The schema's lenient readings still hold: a string boolean, a numeric string version.
    lenient = w.api("put", path, w.a, json={"answers": [{"question_id": qid, "value": "Svar"}], "submit": "false"})
    assert lenient.status_code == 200 and lenient.json["status"] == "draft"
    again = w.api("put", path, w.a, json={"answers": [{"question_id": qid, "value": "Svar 2"}],
                                          "version": str(lenient.json["version"])})
    assert again.status_code == 200 and again.json["answers"][0]["value"] == "Svar 2"


# --- the answer: the supplier's own response, dumped without marshmallow ------------------

NOW = datetime(2026, 12, 6, 10, 0, 0, 123456, tzinfo=UTC)
SUPPLIER = {"id": uuid.uuid4(), "name": "Trygg AS", "org_number": "915345727"}


def _own(**changes):
    own = {"id": uuid.uuid4(), "questionnaire_id": uuid.uuid4(), "supplier": dict(SUPPLIER), "status": "submitted",
           "submitted_at": NOW, "version": 2, "deadline": NOW + timedelta(days=1), "open": True,
           "answers": [{"question_id": uuid.uuid4(), "value": "Tekst", "business_secret": False, "secret_reason": ""},
                       {"question_id": uuid.uuid4(), "value": ["SCAIP"], "business_secret": True,
                        "secret_reason": "Pris"},
                       {"question_id": uuid.uuid4(), "value": None, "business_secret": False, "secret_reason": ""}],
           "files": []}
    own.update(changes)
    return own


PLAIN_OWN = [_own(), _own(id=None, submitted_at=None, version=None, status="none", answers=[]),
             _own(supplier=None, open=False, status="draft")]
NOT_PLAIN_OWN = [  # dumped by the schema
    _own(files=[{"id": uuid.uuid4(), "filename": "a.pdf", "content_type": "application/pdf", "size": 3,
                 "url": "/x"}]),
    _own(version=True), _own(version="2"), _own(id="not-a-uuid-object"), _own(open=1), _own(status=None),
    _own(submitted_at="2026-12-06"), _own(supplier={"id": uuid.uuid4(), "name": "x"}),
    _own(answers=[{"question_id": uuid.uuid4(), "value": 1}]), {"id": None}, "x",
]


def _schema_dump(obj):
    return Schema.dump(DialogueResponseSchema(), obj)


@pytest.mark.parametrize("own", PLAIN_OWN)
def test_the_own_response_is_dumped_as_the_schema_dumps_it(own):
    plain = plain_response_dump(own)
    assert plain is not None
    assert json.dumps(plain) == json.dumps(_schema_dump(own))  # the same values, keys in the same order
    assert DialogueResponseSchema().dump(own) == _schema_dump(own)


@pytest.mark.parametrize("own", NOT_PLAIN_OWN)
def test_any_other_object_is_dumped_by_the_schema(own):
    assert plain_response_dump(own) is None


def test_the_save_s_answer_takes_the_plain_dump_and_equals_a_later_read(open_world, monkeypatch):
    dumped = []

    def counting(obj):
        result = plain_response_dump(obj)
        dumped.append(result is not None)
        return result

    monkeypatch.setattr(schemas, "plain_response_dump", counting)
    w = open_world
    q = make_questionnaire(w, questions=[{"kind": "text", "text": "Beskriv", "required": True},
                                         {"kind": "multichoice", "text": "Standarder", "options": ["SCAIP", "Normen"]}])
    path = f"/api/v1/questionnaires/{q['id']}/response"
    body = {"answers": [{"question_id": q["questions"][0]["id"], "value": "Svar", "business_secret": True,
                         "secret_reason": "Pris"},
                        {"question_id": q["questions"][1]["id"], "value": ["Normen", "SCAIP"]}], "submit": True}
    saved = w.api("put", path, w.a, json=body)
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert dumped == [True]
    monkeypatch.setattr(schemas, "plain_response_dump", lambda obj: None)  # the schema alone
    again = w.api("get", path, w.a)
    assert saved.json == again.json and saved.json["answers"][1]["value"] == ["SCAIP", "Normen"]
