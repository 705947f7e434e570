"""Two first saves of one supplier's questionnaire response at the same moment (a double click,
two colleagues) are one response: neither answers 500, the later continues on the row the
earlier committed (uq_dialogue_responses_supplier keeps it one row)."""

from __future__ import annotations

from sqlalchemy import func, select

from core import isolation
from core.db import db
from core.dialogue.models import QuestionnaireResponse
from tests.dialogue.helpers import answer_body, make_questionnaire
from tests.interleave import interleaved


def test_simultaneous_first_submissions_are_one_response(open_world):
    w = open_world
    q = make_questionnaire(w)
    path = f"/api/v1/questionnaires/{q['id']}/response"
    colleague = w.app.test_client()

    def second():
        return colleague.put(path, json=answer_body(q, "Fra kollegaen"), headers={"Authorization": f"Bearer {w.a}"})

    with interleaved(QuestionnaireResponse, second) as race:
        first = w.api("put", path, w.a, json=answer_body(q, "Fra dobbeltklikket"))
    assert race["second"].status_code == 200, race["second"].get_data(as_text=True)
    assert first.status_code == 200, first.get_data(as_text=True)
    assert first.json["status"] == "submitted"
    with w.app.app_context(), isolation.system_scope():
        assert db.session.execute(select(func.count()).select_from(QuestionnaireResponse)).scalar_one() == 1
    [response] = w.api("get", f"/api/v1/questionnaires/{q['id']}/responses", w.officer_token).json["responses"]
    assert response["answers"][0]["value"] == "Fra dobbeltklikket"  # the later save, as if it came just after
