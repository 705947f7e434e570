"""The deadline rush's request (a supplier saving and submitting its response) answers with what
it saved without reading the response again: its statements stay few and fixed, and the answer
is the committed state (version, status, answers)."""

from __future__ import annotations

import pytest

from core.db import db
from tests.dialogue.helpers import answer_body, audit_entries, make_questionnaire

# 8 on PostgreSQL (the audit entry, its chain head's move and the commit-time deadline check
# are one statement there), 10 on SQLite; 9 before speed round 4, 12 before session 7, 17 before
# session 6 (16 on SQLite), 24-25 earlier.
MAX_STATEMENTS = {"postgresql": 8, "sqlite": 10}
# The rush's questionnaire has no attachment question: the response's files are not read.
MAX_STATEMENTS_WITHOUT_FILES = {"postgresql": 7, "sqlite": 9}
RUSH_QUESTIONS = [{"kind": "text", "text": "Beskriv løsningen", "required": True},
                  {"kind": "choice", "text": "Modenhet", "options": ["Idé", "Pilot", "I drift"]},
                  {"kind": "multichoice", "text": "Standarder", "options": ["SCAIP", "Normen"]}]


def _dialect(app) -> str:
    with app.app_context():
        return db.engine.dialect.name


@pytest.mark.parametrize("questions, bounds", [(None, MAX_STATEMENTS),
                                               (RUSH_QUESTIONS, MAX_STATEMENTS_WITHOUT_FILES)],
                         ids=["with an attachment question", "the rush's questionnaire"])
def test_saving_a_response_answers_the_committed_state_in_few_statements(app, open_world, count_queries,
                                                                         questions, bounds):
    w = open_world
    q = make_questionnaire(w, questions=questions)
    path = f"/api/v1/questionnaires/{q['id']}/response"
    first = w.api("put", path, w.a, json=answer_body(q, "Første utkast", submit=False))
    assert first.status_code == 200, first.get_data(as_text=True)
    with count_queries() as counted:
        saved = w.api("put", path, w.a, json={**answer_body(q, "Endelig svar"), "version": first.json["version"]})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert counted.count <= bounds[_dialect(app)], counted.statements
    again = w.api("get", path, w.a)
    assert saved.json == again.json  # the answer is what a later read sees
    assert saved.json["status"] == "submitted" and saved.json["version"] == first.json["version"] + 1
    assert saved.json["answers"][0]["value"] == "Endelig svar"


@pytest.mark.parametrize("submit", [True, False], ids=["submitted", "draft"])
def test_a_first_save_costs_what_a_later_save_costs_and_answers_the_committed_state(app, open_world, count_queries,
                                                                                    submit):
    """The response is inserted as saved: its (no) answers are not read and it is not updated
    right after its insert (10 statements on PostgreSQL before speed round 4)."""
    w = open_world
    q = make_questionnaire(w, questions=RUSH_QUESTIONS)
    path = f"/api/v1/questionnaires/{q['id']}/response"
    with count_queries() as counted:
        saved = w.api("put", path, w.a, json=answer_body(q, "Første svar", submit=submit))
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert counted.count <= MAX_STATEMENTS_WITHOUT_FILES[_dialect(app)], counted.statements
    assert not [s for s in counted.statements if str(s).lstrip().upper().startswith("UPDATE DIALOGUE_RESPONSES")]
    again = w.api("get", path, w.a)
    assert saved.json == again.json
    assert saved.json["status"] == ("submitted" if submit else "draft")
    assert (saved.json["submitted_at"] is not None) == submit
    assert [a["value"] for a in saved.json["answers"]] == ["Første svar", "Pilot", ["SCAIP"]]
    actions = [e["action"] for e in audit_entries(w, "response.submitted" if submit else "response.saved")]
    assert len(actions) == 1


def test_a_refused_first_submit_leaves_no_response(open_world):
    """A first save is inserted submitted before its answers are checked: a refused one is
    rolled back whole (the required answer is missing)."""
    w = open_world
    q = make_questionnaire(w, questions=RUSH_QUESTIONS)
    path = f"/api/v1/questionnaires/{q['id']}/response"
    body = answer_body(q, "")
    refused = w.api("put", path, w.a, json=body)
    assert refused.status_code == 422, refused.get_data(as_text=True)
    assert w.api("get", path, w.a).json["status"] == "none"
    assert w.api("put", path, w.a, json={**body, "submit": False}).json["status"] == "draft"


def test_adding_a_need_answers_the_committed_need_without_reading_it_again(world, count_queries):
    w = world
    path = f"/api/v1/procurements/{w.pid}/needs"
    body = {"statement": "Brukerne trenger en trygg måte å be om hjelp om natten.", "user_group": "Eldre",
            "source": "interview", "priority": 1}
    assert w.api("post", path, w.officer_token, json=body).status_code == 201
    with count_queries() as counted:
        added = w.api("post", path, w.officer_token, json=body)
    assert added.status_code == 201, added.get_data(as_text=True)
    assert counted.count <= 9, counted.statements  # 10 before: the need was read again after the commit
    again = w.api("get", f"{path}/{added.json['id']}", w.officer_token)
    assert again.status_code == 200 and added.json == again.json
    assert added.json["position"] == 2
