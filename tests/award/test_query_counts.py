"""The award's lists are keyset pages whose cost does not grow with their rows: complaints (the
project group's and a tenderer's own), contracts and mandates answer in as many queries for one
row as for several, and `next_cursor` walks the rest."""

from __future__ import annotations

from tests.award.conftest import decided, url
from tests.award.test_mandates import MANDATE


def _get(w, count_queries, token, path) -> tuple[int, dict]:
    with count_queries() as q:
        r = w.api("get", path, token)
    assert r.status_code == 200, r.get_data(as_text=True)
    return q.count, r.get_json()


def _walk(w, token, path, limit=1) -> list[dict]:
    items, cursor = [], None
    while True:
        sep = "&" if "?" in path else "?"
        body = w.api("get", f"{path}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else ""), token).get_json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


def test_award_lists_are_keyset_pages_with_bounded_queries(opened, count_queries):
    w = opened
    decided(w)
    complaints = url(w, "/complaints")
    assert w.api("post", complaints, w.b, json={"text": "Prisen er feil vurdert i evalueringen."}).status_code == 201
    one = {"group": _get(w, count_queries, w.officer_token, complaints),
           "tenderer": _get(w, count_queries, w.b, complaints)}
    for text in ("Begrunnelsen er for kort for oss.", "Vinneren oppfyller ikke kravene."):
        assert w.api("post", complaints, w.b, json={"text": text}).status_code == 201
    assert w.api("post", complaints, w.a, json={"text": "Vi klager også på noe her."}).status_code == 201
    many = {"group": _get(w, count_queries, w.officer_token, complaints),
            "tenderer": _get(w, count_queries, w.b, complaints)}
    assert [len(many[k][1]["items"]) for k in ("group", "tenderer")] == [4, 3]
    assert {k: v[0] for k, v in many.items()} == {k: v[0] for k, v in one.items()}
    walked = _walk(w, w.officer_token, complaints)
    assert [c["id"] for c in walked] == [c["id"] for c in many["group"][1]["items"]]
    assert [c["text"] for c in _walk(w, w.b, complaints, limit=2)] == [
        c["text"] for c in many["tenderer"][1]["items"]]

    # contracts: one per buyer (Bærum and Asker); a page of one costs what the page of both does
    contracts = url(w, "/contracts")
    first, body = _get(w, count_queries, w.officer_token, contracts + "?limit=1")
    assert len(body["items"]) == 1 and body["next_cursor"]
    both, body = _get(w, count_queries, w.officer_token, contracts)
    assert len(body["items"]) == 2 and body["next_cursor"] is None and both == first
    assert [c["id"] for c in _walk(w, w.officer_token, contracts)] == [c["id"] for c in body["items"]]
    r = w.api("get", contracts + "?cursor=bm90LWEtY3Vyc29y", w.officer_token)
    assert r.status_code == 422 and "cursor" in r.get_json()["errors"]
    r = w.api("get", contracts + "?limit=0", w.officer_token)
    assert r.status_code == 422 and "limit" in r.get_json()["errors"]

    # mandates: the sum is over every buyer whatever the page
    mandates = url(w, "/mandates")
    assert w.api("put", mandates, w.asker_officer_token, json=MANDATE).status_code == 200
    one_mandate, _body = _get(w, count_queries, w.officer_token, mandates)
    assert w.api("put", mandates, w.officer_token, json={**MANDATE, "volume_ore": 2_000_000_00}).status_code == 200
    two, body = _get(w, count_queries, w.officer_token, mandates + "?limit=1")
    assert len(body["items"]) == 1 and body["next_cursor"]
    assert body["total_ore"] == 1_500_000_00 + 2_300_000_00
    assert two == one_mandate
