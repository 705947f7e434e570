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


def test_opened_tenders_come_a_keyset_page_at_a_time(announced, count_queries):
    w = announced
    pid = w.pid
    for token in (w.a, w.b, w.c):
        w.api("put", f"/api/v1/procurements/{pid}/tender", token, json=tender_body(w, submit=True))
    set_times(w, tender_deadline={"minutes": -2}, question_deadline={"minutes": -3}, opening_at={"minutes": -1})
    w.api("post", f"/api/v1/procurements/{pid}/opening", w.officer_token)
    declare_impartiality(w)
    path = f"/api/v1/procurements/{pid}/tenders"
    with count_queries() as first_q:
        first = w.api("get", f"{path}?limit=2", w.officer_token)
    assert first.status_code == 200, first.get_data(as_text=True)
    body = first.get_json()
    assert body["count"] == 3 and len(body["items"]) == 2 and body["next_cursor"]
    with count_queries() as rest_q:
        rest = w.api("get", f"{path}?limit=2&cursor={body['next_cursor']}", w.officer_token).get_json()
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    ids = [t["id"] for t in body["items"] + rest["items"]]
    assert len(set(ids)) == 3
    assert rest_q.count <= first_q.count  # a later page costs no more than the first
    bad = w.api("get", f"{path}?cursor=not-a-cursor", w.officer_token)
    assert bad.status_code in (400, 422) and bad.headers["Content-Type"].startswith("application/problem+json")
