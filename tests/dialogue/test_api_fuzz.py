"""schemathesis over the whole OpenAPI document: no operation answers 5xx, whatever it is sent.

The API is driven through WSGI (the real app, the real database) by a municipality officer who
leads a procurement in the market dialogue and by a registered supplier. Path variables name real
objects (the procurement, a questionnaire, a need, a requirement, a lesson, a question, a meeting slot …) so the
generated bodies and queries reach the services instead of stopping at 404; what schemathesis
generates goes everywhere else. Bounded and deterministic: a few examples per operation and
caller, derandomised, no shrinking, so the module takes about a minute on SQLite
(`SAMSPILL_FUZZ_EXAMPLES=50` explores further when run by hand).

Every operation is also sent the same kind of cases with a NUL in every string of the body and
query (generators rarely produce one in a few examples; PostgreSQL refuses it).

Checks: no server error, and the status code is one the document lists (every operation also
documents a `default` problem response, so this mainly catches undocumented success codes).
"""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance

from tests.conftest import bearer
from tests.dialogue.helpers import answer_body, make_questionnaire
from tests.dialogue.test_meetings import make_round

EXAMPLES_PER_OPERATION = int(os.environ.get("SAMSPILL_FUZZ_EXAMPLES", "3"))  # more for a deeper run by hand
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES_PER_OPERATION, derandomize=True, database=None, deadline=None,
    phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck), print_blob=False)
CHECKS = [not_a_server_error, status_code_conformance]


def _created(response, key: str = "id") -> str | None:
    return response.json.get(key) if response.status_code in (200, 201) and response.is_json else None


def real_objects(w) -> dict[str, str]:
    """Path variable → the id of a real object the callers may reach."""
    ids: dict[str, str] = {"slug": "baerum", "procurement_id": str(w.pid), "name": "welfare_tech",
                           "namespace": "welfare_tech"}
    questionnaire = make_questionnaire(w)
    ids["questionnaire_id"] = questionnaire["id"]
    w.api("put", f"/api/v1/questionnaires/{questionnaire['id']}/response", w.a, json=answer_body(questionnaire, "Svar"))
    need = w.api("post", f"/api/v1/procurements/{w.pid}/needs", w.officer_token,
                 json={"statement": "Trygghet om natten", "source": "survey"})
    lesson = w.api("post", f"/api/v1/procurements/{w.pid}/lessons", w.officer_token,
                   json={"title": "Start tidlig", "body": "Dialogen tok tid."})
    question = w.api("post", f"/api/v1/procurements/{w.pid}/questions", w.a, json={"text": "Støttes SCAIP?"})
    meeting_round = make_round(w, slots=2)
    for key, response in (("need_id", need), ("lesson_id", lesson), ("question_id", question)):
        if (value := _created(response)) is not None:
            ids[key] = value
    if ids.get("question_id"):
        answer = w.api("post", f"/api/v1/questions/{ids['question_id']}/answer", w.officer_token,
                       json={"text": "Ja."})
        if (value := _created(answer)) is not None:
            ids["answer_id"] = value
    template = w.api("post", f"/api/v1/procurements/{w.pid}/publish-template", w.officer_token,
                     json={"title": "Tryggere hverdag", "visibility": "all"})
    if template.status_code == 201:
        ids["template_id"], ids["version_id"] = template.json["template_id"], template.json["id"]
    if ids.get("need_id"):
        requirement = w.api("post", f"/api/v1/procurements/{w.pid}/requirements", w.officer_token,
                            json={"text": "Løsningen skal varsle.", "kind": "absolute", "needs": [ids["need_id"]]})
        if (value := _created(requirement)) is not None:
            ids["requirement_id"] = value
    ids["round_id"] = meeting_round["id"]
    ids["slot_id"] = meeting_round["slots"][0]["id"]
    tokens = w.api("get", "/api/v1/me", w.officer_token)
    if tokens.status_code == 200 and tokens.json.get("tokens"):
        ids["token_id"] = tokens.json["tokens"][0]["id"]
    return ids


def hostile(value):
    """`value` with a NUL in every string: text PostgreSQL does not store. (An unpaired surrogate
    cannot be sent this way: the client cannot encode it; tests/procurement/test_input_safety.py
    sends it as a raw JSON escape.)"""
    if isinstance(value, str):
        return value + "\x00"
    if isinstance(value, dict):
        return {k: hostile(v) for k, v in value.items()}
    if isinstance(value, list):
        return [hostile(v) for v in value]
    return value


def with_hostile_text(case):
    if isinstance(case.body, dict | list):
        case.body = hostile(case.body)
    if case.query:
        case.query = {k: hostile(v) for k, v in case.query.items()}
    return case


def fuzz_operation(operation, who: str, token: str, ids: dict[str, str], failures: list[str], *,
                   poison: bool = False) -> None:
    names = {p.name for p in operation.path_parameters}
    strategy = operation.as_strategy().map(with_hostile_text) if poison else operation.as_strategy()

    @FUZZ_SETTINGS
    @given(case=strategy)
    def run(case) -> None:
        case.path_parameters = {**(case.path_parameters or {}), **{k: v for k, v in ids.items() if k in names}}
        where = f"{operation.label} as {who}: {case.method} {case.formatted_path} query={case.query!r} " \
                f"body={str(case.body)[:200]!r}"
        try:  # every failure of every operation is reported together
            response = case.call(headers=bearer(token))
        except Exception as exc:  # the test app propagates what would be a 500
            failures.append(f"{where}\n  -> raised {type(exc).__name__}: {str(exc)[:200]}")
            return
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as exc:
            failures.append(f"{where}\n  -> {response.status_code} {response.text[:300]}\n  {str(exc)[:300]}")

    run()


def test_no_operation_answers_a_server_error(open_world):
    w = open_world
    ids = real_objects(w)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", w.app)
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for who, token in (("officer", w.officer_token), ("supplier", w.a)):
            fuzz_operation(operation, who, token, ids, failures)
            fuzz_operation(operation, who, token, ids, failures, poison=True)
    assert operations > 90  # the whole document, not a part of it
    assert not failures, f"{len(failures)} failures:\n" + "\n".join(failures)
