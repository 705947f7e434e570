"""Award criteria: weights that add up (422 naming the sum otherwise), sub-criteria adding up to
their parent, the price model's formula, and the simulation's ranking with ties."""

from __future__ import annotations

from tests.specification.conftest import CRITERIA


def test_weights_must_add_up_to_100_and_the_problem_names_the_sum(world, spec):
    api = world.api("baerum")
    wrong = [dict(c) for c in CRITERIA]
    wrong[2] = {**wrong[2], "weight": 20}
    response = api.put(f"{spec.base}/award-criteria", json={"criteria": wrong})
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert "90" in response.json["detail"]
    assert response.json["sums"] == [{"lot_id": None, "sum": 90}]
    assert any("90" in message for message in response.json["errors"]["criteria"])
    assert api.get(f"{spec.base}/award-criteria").json["criteria"] == []  # nothing half-written


def test_sub_criteria_add_up_to_their_parent(world, spec):
    api = world.api("baerum")
    wrong = [dict(c) for c in CRITERIA]
    wrong[0] = {**wrong[0], "sub_criteria": [{"name": "A", "weight": 25}, {"name": "B", "weight": 10}]}
    response = api.put(f"{spec.base}/award-criteria", json={"criteria": wrong})
    assert response.status_code == 422
    assert "35" in response.json["errors"]["criteria.0.sub_criteria"][0]


def test_price_criterion_needs_a_model_and_only_one(world, spec):
    api = world.api("baerum")
    no_model = [dict(c) for c in CRITERIA]
    no_model[1] = {"name": "Pris", "weight": 30, "is_price": True}
    response = api.put(f"{spec.base}/award-criteria", json={"criteria": no_model})
    assert response.status_code == 422 and "criteria.1.price_model" in response.json["errors"]
    two = [dict(c) for c in CRITERIA]
    two[2] = {"name": "Pris 2", "weight": 30, "is_price": True, "price_model": "linear_deduction"}
    assert api.put(f"{spec.base}/award-criteria", json={"criteria": two}).status_code == 422
    bad_weight = [dict(c) for c in CRITERIA]
    bad_weight[2] = {**bad_weight[2], "weight": "thirty"}
    assert api.put(f"{spec.base}/award-criteria", json={"criteria": bad_weight}).status_code == 422


def test_saved_criteria_show_the_formula(world, spec):
    api = world.api("baerum")
    saved = api.put(f"{spec.base}/award-criteria", json={"criteria": CRITERIA})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    body = api.get(f"{spec.base}/award-criteria").json
    assert [c["name"] for c in body["criteria"]] == ["Kvalitet", "Pris", "Implementering og gevinst"]
    assert [s["weight"] for s in body["criteria"][0]["sub_criteria"]] == [25, 15]
    price = body["criteria"][1]
    assert price["price_model"] == "lowest_proportional" and "lowest price" in price["formula"]
    assert body["complete"] is True and body["missing"] == []
    nb = api.get(f"{spec.base}/award-criteria", headers={"Accept-Language": "nb"}).json
    assert "laveste" in nb["criteria"][1]["formula"].lower()


def _scores(body, **by_name):
    leaves = []
    for criterion in body["criteria"]:
        if criterion["is_price"]:
            continue
        leaves += criterion["sub_criteria"] or [criterion]
    return {leaf["id"]: by_name[leaf["name"]] for leaf in leaves}


def test_simulation_ranks_tenders_and_shows_ties(world, spec):
    api = world.api("baerum")
    body = api.put(f"{spec.base}/award-criteria", json={"criteria": CRITERIA}).json
    full = _scores(body, Brukervennlighet=10, Treffsikkerhet=10, **{"Implementering og gevinst": 10})
    half = _scores(body, Brukervennlighet=5, Treffsikkerhet=5, **{"Implementering og gevinst": 5})
    tenders = [
        {"name": "Billig", "price": 1_000_000, "scores": half},      # 35 + 30 = 65
        {"name": "Best", "price": 2_000_000, "scores": full},        # 70 + 15 = 85
        {"name": "Lik", "price": "2 000 000", "scores": full},        # 85: tied with Best
    ]
    response = api.post(f"{spec.base}/award-criteria/simulation", json={"tenders": tenders})
    assert response.status_code == 200, response.get_data(as_text=True)
    ranking = response.json["ranking"]
    assert [(t["name"], t["rank"], t["tied"], t["total"]) for t in ranking] == [
        ("Best", 1, True, "85.00"), ("Lik", 1, True, "85.00"), ("Billig", 3, False, "65.00")]
    missing = api.post(f"{spec.base}/award-criteria/simulation",
                       json={"tenders": [{"name": "X", "price": 0, "scores": {}}]})
    assert missing.status_code == 422
    assert "tenders.0.price" in missing.json["errors"]


def test_simulation_needs_complete_criteria(world, spec):
    api = world.api("baerum")
    response = api.post(f"{spec.base}/award-criteria/simulation", json={"tenders": [{"name": "A", "price": 1}]})
    assert response.status_code == 422


def test_lots_have_their_own_criteria_and_requirements(world, spec):
    from tests.specification.conftest import requirement

    api = world.api("baerum")
    saved = api.put(f"{spec.base}/lots", json={"lots": [{"title": "Trygghetsalarm"}, {"title": "Responssenter"}]})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    alarm, centre = saved.json
    assert api.put(f"{spec.base}/lots", json={"lots": [{"title": ""}]}).status_code == 422
    per_lot = [{**c, "lot_id": alarm["id"]} for c in CRITERIA] + [
        {"name": "Kvalitet", "weight": 60, "lot_id": centre["id"]},
        {"name": "Pris", "weight": 30, "is_price": True, "price_model": "linear_deduction", "lot_id": centre["id"]}]
    wrong = api.put(f"{spec.base}/award-criteria", json={"criteria": per_lot})
    assert wrong.status_code == 422 and wrong.json["sums"] == [{"lot_id": centre["id"], "sum": 90}]
    assert "Responssenter" in " ".join(wrong.json["errors"]["criteria"])
    per_lot[-2]["weight"] = 70
    assert api.put(f"{spec.base}/award-criteria", json={"criteria": per_lot}).status_code == 200
    in_lot = requirement(api, spec, lot_id=alarm["id"])
    assert in_lot.status_code == 201 and in_lot.json["lot_id"] == alarm["id"]
    listed = api.get(f"{spec.base}/requirements?lot_id={alarm['id']}").json["items"]
    assert [r["id"] for r in listed] == [in_lot.json["id"]]
    gate = next(i for i in api.get(f"{spec.base}/gates").json if i["key"] == "core-award-criteria")
    assert gate["state"] == "auto"
    kept = api.put(f"{spec.base}/lots", json={"lots": [{"id": alarm["id"], "title": "Alarm"}]})
    assert [lot["title"] for lot in kept.json] == ["Alarm"]
    body = api.get(f"{spec.base}/award-criteria").json
    assert {c["lot_id"] for c in body["criteria"]} == {alarm["id"]}  # the removed lot's criteria went


def test_simulation_refuses_numbers_it_cannot_read(world, spec):
    api = world.api("baerum")
    body = api.put(f"{spec.base}/award-criteria", json={"criteria": CRITERIA}).json
    scores = _scores(body, Brukervennlighet=5, Treffsikkerhet=5, **{"Implementering og gevinst": 5})
    for price in ("1e99999999", "-5", "NaN", [1]):
        response = api.post(f"{spec.base}/award-criteria/simulation",
                            json={"tenders": [{"name": "A", "price": price, "scores": scores}]})
        assert response.status_code == 422, price
    too_high = {**scores, next(iter(scores)): 11}
    response = api.post(f"{spec.base}/award-criteria/simulation",
                        json={"tenders": [{"name": "A", "price": "1 000,50", "scores": too_high}]})
    assert response.status_code == 422 and f"tenders.0.scores.{next(iter(scores))}" in response.json["errors"]


def test_a_lot_of_another_procurement_is_refused(world, spec):
    api = world.api("baerum")
    body = [{**c, "lot_id": "4b9eec03-a2dd-12d4-a359-bae212945d5f"} for c in CRITERIA]
    response = api.put(f"{spec.base}/award-criteria", json={"criteria": body})
    assert response.status_code == 422 and "criteria.0.lot_id" in response.json["errors"]
