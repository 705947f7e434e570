"""The deadline rush's request (a supplier saving and submitting its response) answers with what
it saved without reading the response again: its statements stay few and fixed, and the answer
is the committed state (version, status, answers)."""

from __future__ import annotations

import pytest

from core.db import db
from tests.dialogue.helpers import answer_body, make_questionnaire

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
