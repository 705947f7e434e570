"""Bounded queries: the competition's lists cost the same with one item as with several."""

from __future__ import annotations

from tests.competition.conftest import declare_impartiality, set_times, tender_body


def _count(w, count_queries, token, path) -> int:
    with count_queries() as q:
        r = w.api("get", path, token)
    assert r.status_code == 200, r.get_data(as_text=True)
    return q.count


def _measure(w, count_queries) -> dict[str, int]:
    qa = f"/api/v1/procurements/{w.pid}/competition/questions"
    return {
        "market": _count(w, count_queries, w.a, "/api/v1/market/competitions"),
        "questions (group)": _count(w, count_queries, w.officer_token, qa),
        "questions (supplier)": _count(w, count_queries, w.a, qa),
    }


def test_lists_do_not_grow_with_their_items(announced, count_queries):
    w = announced
    pid = w.pid
    q = w.api("post", f"/api/v1/procurements/{pid}/competition/questions", w.a, json={"text": "Første?"}).get_json()
    w.api("post", f"/api/v1/procurements/{pid}/competition/answers", w.officer_token,
          json={"questions": [q["id"]], "text": "Svar."})
    w.api("put", f"/api/v1/procurements/{pid}/tender", w.a, json=tender_body(w, submit=True))
    one = _measure(w, count_queries)
    for text in ("Andre?", "Tredje?", "Fjerde?"):
        q = w.api("post", f"/api/v1/procurements/{pid}/competition/questions", w.b, json={"text": text}).get_json()
        w.api("post", f"/api/v1/procurements/{pid}/competition/answers", w.officer_token,
              json={"questions": [q["id"]], "text": "Svar."})
    w.api("post", f"/api/v1/procurements/{pid}/competition/questions", w.a, json={"text": "Åpent?"})
    w.api("put", f"/api/v1/procurements/{pid}/tender", w.b, json=tender_body(w, submit=True))
    w.api("put", f"/api/v1/procurements/{pid}/tender", w.c, json=tender_body(w, submit=True))
    assert _measure(w, count_queries) == one

    set_times(w, tender_deadline={"minutes": -2}, question_deadline={"minutes": -3}, opening_at={"minutes": -1})
    w.api("post", f"/api/v1/procurements/{pid}/opening", w.officer_token)
    declare_impartiality(w)
    three = _count(w, count_queries, w.officer_token, f"/api/v1/procurements/{pid}/tenders")
    print("queries", one, "tenders after opening (3 tenders)", three)
    assert three <= 14, three
