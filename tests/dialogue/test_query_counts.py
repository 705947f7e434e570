"""The response overview costs the same number of queries for 3 and for 30 responses."""

from __future__ import annotations

import uuid

from core import isolation
from core.db import db, utcnow
from tests.dialogue.helpers import make_questionnaire

LIMIT = 18  # auth 3, access 2-4, questionnaire 2, responses, answers, files, drafts; exports add the audit entry
# The page reads its table as plain rows: questionnaire with questions and drafts, responses with
# answers, and the file names (there is an attachment question) — core.dialogue.response_table.
PAGE_LIMIT = 7


def _add_responses(w, questionnaire: dict, count: int, start: int) -> None:
    """Suppliers, registrations and submitted responses written directly (set-up only)."""
    from core.dialogue.models import DialogueRegistration, QuestionnaireResponse, ResponseAnswer, ResponseStatus
    from core.suppliers.models import SupplierOrganisation

    with w.app.app_context(), isolation.system_scope():
        for i in range(start, start + count):
            org = SupplierOrganisation(id=uuid.uuid4(), org_number=f"9{i:08d}", name=f"Leverandør {i}")
            db.session.add(org)
            db.session.add(DialogueRegistration(procurement_id=w.pid, supplier_id=org.id))
            response = QuestionnaireResponse(id=uuid.uuid4(), questionnaire_id=uuid.UUID(questionnaire["id"]),
                                             procurement_id=w.pid, supplier_id=org.id,
                                             status=ResponseStatus.submitted, submitted_at=utcnow())
            db.session.add(response)
            for n, question in enumerate(questionnaire["questions"][:3]):
                value = ["Svar", "Pilot", ["SCAIP"]][n]
                response.answers.append(ResponseAnswer(question_id=uuid.UUID(question["id"]), procurement_id=w.pid,
                                                       supplier_id=org.id, value=value, is_business_secret=n == 0,
                                                       secret_reason="Grunn" if n == 0 else ""))
        db.session.commit()


def _measure(w, count_queries, questionnaire) -> dict[str, int]:
    paths = {
        "api": (f"/api/v1/questionnaires/{questionnaire['id']}/responses", True),
        "page": (f"/t/baerum/procurements/{w.pid}/dialogue/questionnaires/{questionnaire['id']}/responses", False),
        "export": (f"/api/v1/questionnaires/{questionnaire['id']}/export?format=xlsx&variant=internal", True),
    }
    counts = {}
    for name, (path, api) in paths.items():
        with count_queries() as q:
            response = w.api("get", path, w.officer_token) if api else w.client.get(path)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        counts[name] = q.count
    return counts


def test_response_overview_queries_do_not_grow(open_world, count_queries):
    w = open_world
    questionnaire = make_questionnaire(w)
    w.login(w.officer)
    _add_responses(w, questionnaire, 3, 0)
    small = _measure(w, count_queries, questionnaire)
    _add_responses(w, questionnaire, 27, 3)
    large = _measure(w, count_queries, questionnaire)
    assert large == small, (small, large)
    assert max(large.values()) <= LIMIT, large
    assert large["page"] <= PAGE_LIMIT, large
    body = w.api("get", f"/api/v1/questionnaires/{questionnaire['id']}/responses", w.officer_token).json
    assert len(body["responses"]) == 30


def test_supplier_organisation_comes_with_the_principal_query(app, client, count_queries):
    """The supplier portal's facts about the person are part of the principal's one query."""
    from core.db import db
    from core.identity import service as identity
    from core.suppliers import service as suppliers
    from tests.conftest import bearer

    with app.app_context():
        suppliers.create_supplier("915345727", "Alarmleverandøren AS", "salg@alarm.example.no")
        db.session.commit()
        token = identity.create_token(identity.find_user_by_email("salg@alarm.example.no"), "t", 30).secret
        db.session.commit()
    with count_queries() as queries:
        me = client.get("/api/v1/me", headers=bearer(token)).get_json()
    assert me["supplier"]["org_number"] == "915345727" and me["supplier"]["role"] == "supplier_admin"
    supplier_queries = [s for s in queries.statements if "supplier_members" in s]
    assert len(supplier_queries) == 1 and "api_tokens" in supplier_queries[0]
