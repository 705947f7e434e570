"""Fixtures for the award tests: the competition's world (Bærum leads, Asker buys) with award
criteria, an announced competition, tenders from suppliers A and B, opened, in the evaluation
phase, and two evaluators in the project group."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db import db, utcnow
from tests.competition.conftest import set_times, settings_body, tender_body
from tests.dialogue import conftest as dialogue_fixtures

world = dialogue_fixtures.world
open_world = dialogue_fixtures.open_world

# Non-price leaves: Brukervennlighet 25, Treffsikkerhet 15, Implementering og gevinst 30; price 30.
CRITERIA = [
    {"name": "Kvalitet", "weight": 40, "description": "Hvor godt behovene dekkes",
     "sub_criteria": [{"name": "Brukervennlighet", "weight": 25}, {"name": "Treffsikkerhet", "weight": 15}]},
    {"name": "Pris", "weight": 30, "is_price": True, "price_model": "lowest_proportional"},
    {"name": "Implementering og gevinst", "weight": 30},
]
PRICE_A, PRICE_B = 100_000_000, 80_000_000  # øre


def url(w, path: str) -> str:
    return f"/api/v1/procurements/{w.pid}{path}"


def _evaluator(w, email: str):
    from core.procurement.models import ProjectMember, ProjectRole

    person = w.person(email, w.baerum, "member")
    w.in_system(lambda: db.session.add(ProjectMember(procurement_id=w.pid, user_id=person.id,
                                                     tenant_id=w.baerum.id, role=ProjectRole.evaluator)))
    return person


@pytest.fixture
def opened(open_world):
    w = open_world
    w.set_phase("competition")
    r = w.api("put", url(w, "/award-criteria"), w.officer_token, json={"criteria": CRITERIA})
    assert r.status_code == 200, r.get_data(as_text=True)
    r = w.api("put", url(w, "/competition"), w.officer_token, json=settings_body())
    assert r.status_code == 200, r.get_data(as_text=True)
    w.qualification = r.get_json()["qualification"]
    assert w.api("post", url(w, "/competition/announce"), w.officer_token).status_code == 200
    for token, price in ((w.a, PRICE_A), (w.b, PRICE_B)):
        r = w.api("put", url(w, "/tender"), token, json=tender_body(w, submit=True, price=price))
        assert r.status_code == 200, r.get_data(as_text=True)
    open_for_evaluation(w)
    w.eval1 = _evaluator(w, "evaluator1@baerum.test")
    w.eval2 = _evaluator(w, "evaluator2@baerum.test")
    w.eval1_token, w.eval2_token = w.make.token(w.eval1), w.make.token(w.eval2)
    return w


def open_for_evaluation(w) -> None:
    """The tender deadline passed and the tenders opened, the procurement in evaluation; the
    tenders' ids (`w.tender`, `w.tender_a`, `w.tender_b`) and the criteria's (`w.criteria`, by
    name, sub-criteria included) noted on `w`."""
    set_times(w, tender_deadline={"minutes": -2}, question_deadline={"minutes": -3}, opening_at={"minutes": -1})
    assert w.api("post", url(w, "/opening"), w.officer_token).status_code == 200
    w.set_phase("evaluation")
    w.tender = tender_ids(w)
    w.tender_a, w.tender_b = w.tender["Trygg Teknologi AS"], w.tender["Omsorgsdata AS"]
    criteria = w.api("get", url(w, "/award-criteria"), w.officer_token).get_json()["criteria"]
    w.criteria = {c["name"]: c["id"] for c in criteria}
    w.criteria.update({s["name"]: s["id"] for c in criteria for s in c.get("sub_criteria") or []})


def tender_ids(w) -> dict[str, str]:
    """The submitted tenders' ids by tenderer (read in the database: the lead sees no tender
    content before declaring impartiality, and the tests decide when the lead declares)."""
    from core.competition.models import Tender, TenderStatus

    found = {}
    w.in_system(lambda: found.update({t.supplier.name: str(t.id) for t in db.session.execute(select(Tender).where(
        Tender.procurement_id == w.pid, Tender.status == TenderStatus.submitted)).scalars()}))
    return found


def declare(w, token, conflict: bool = False, statement: str = ""):
    return w.api("put", url(w, "/impartiality"), token, json={"conflict": conflict, "statement": statement})


def scores(w, values: tuple[int, int, int], note: str = "justification") -> list[dict]:
    names = ("Brukervennlighet", "Treffsikkerhet", "Implementering og gevinst")
    return [{"criterion_id": w.criteria[n], "score": v, note: f"Begrunnelse for {n.lower()}"}
            for n, v in zip(names, values, strict=True)]


CONSENSUS_A, CONSENSUS_B = (8, 6, 7), (6, 8, 5)


def decided(w):
    """The lead declares, sets consensus for both tenders and awards A."""
    assert declare(w, w.officer_token).status_code == 200
    for tender, values in ((w.tender_a, CONSENSUS_A), (w.tender_b, CONSENSUS_B)):
        r = w.api("put", f"/api/v1/tenders/{tender}/consensus", w.officer_token,
                  json={"scores": scores(w, values, "motivation")})
        assert r.status_code == 200, r.get_data(as_text=True)
    r = w.api("post", url(w, "/award"), w.officer_token, json={"winners": [
        {"lot_id": None, "tender_id": w.tender_a,
         "reason": "Best på brukervennlighet og implementering; prisen er noe høyere."}]})
    assert r.status_code == 201, r.get_data(as_text=True)
    return r.get_json()


def standstill_passed(w):
    from core.award.models import AwardDecision

    def change():
        decision = db.session.execute(select(AwardDecision).where(
            AwardDecision.procurement_id == w.pid)).scalar_one()
        decision.letters_sent_at = utcnow() - timedelta(days=11)
        decision.standstill_ends_at = utcnow() - timedelta(days=1)

    w.in_system(change)


def outbox_to(w, email: str) -> list:
    from core.notifications.models import OutboxMessage

    with w.app.app_context():
        return [(m.subject, m.body) for m in db.session.execute(
            select(OutboxMessage).where(OutboxMessage.to_address == email)).scalars()]


