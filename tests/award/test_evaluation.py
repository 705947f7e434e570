"""Impartiality before tender content, blind scores, consensus, rejection, and totals that match
a hand computation."""

from __future__ import annotations

from sqlalchemy import select

from core.audit import AuditEntry
from core.db import db
from tests.award.conftest import decided, declare, outbox_to, scores, url


def test_evaluator_without_declaration_gets_404_on_tender_content(opened):
    w = opened
    assert w.api("get", url(w, "/tenders"), w.eval1_token).status_code == 404
    assert w.api("get", f"/api/v1/tenders/{w.tender_a}/scores", w.eval1_token).status_code == 404
    assert declare(w, w.eval1_token, statement="").status_code == 200
    body = w.api("get", url(w, "/tenders"), w.eval1_token).get_json()
    assert len(body["items"]) == 2
    declaration = w.api("get", url(w, "/impartiality"), w.eval1_token).get_json()
    assert declaration["tenderers"] == ["Omsorgsdata AS", "Trygg Teknologi AS"]


def test_the_lead_too_sees_no_tender_content_before_declaring(opened):
    w = opened
    pages = w.login(w.officer)
    tenders_page = f"/t/baerum/procurements/{w.pid}/competition/tenders"
    assert w.api("get", url(w, "/tenders"), w.officer_token).status_code == 404
    assert pages.get(tenders_page).status_code == 404
    assert pages.get(f"/t/baerum/procurements/{w.pid}/award/tenders/{w.tender_a}/").status_code == 404
    assert pages.get(f"/t/baerum/procurements/{w.pid}/competition/opening").status_code == 200  # no content
    assert declare(w, w.officer_token).status_code == 200
    assert len(w.api("get", url(w, "/tenders"), w.officer_token).get_json()["items"]) == 2
    assert pages.get(tenders_page).status_code == 200


def test_declared_conflict_keeps_the_person_out_and_is_on_the_record(opened):
    w = opened
    r = declare(w, w.eval2_token, conflict=True)
    assert r.status_code == 422 and "statement" in r.get_json()["errors"]
    r = declare(w, w.eval2_token, conflict=True, statement="Søster er daglig leder i Omsorgsdata AS")
    assert r.status_code == 200
    assert w.api("get", url(w, "/tenders"), w.eval2_token).status_code == 404
    assert w.api("put", f"/api/v1/tenders/{w.tender_a}/scores", w.eval2_token,
                 json={"scores": scores(w, (5, 5, 5))}).status_code == 404
    assert declare(w, w.eval2_token).status_code == 403  # a conflict cannot be taken back
    with w.app.app_context():
        entries = db.session.execute(select(AuditEntry).where(
            AuditEntry.procurement_id == w.pid, AuditEntry.action == "award.impartiality_declared")).scalars().all()
        assert [e.changes["after"]["conflict"] for e in entries] == [True]
    protocol = w.api("get", url(w, "/protocol"), w.officer_token, headers={"Accept-Language": "nb"}).get_json()
    assert "Et medlem av evalueringskomiteen har avgitt habilitetserklæring" in [
        e["summary"] for e in protocol["entries"]]


def test_an_evaluator_cannot_see_anothers_scores_before_submitting(opened):
    w = opened
    for token in (w.eval1_token, w.eval2_token):
        assert declare(w, token).status_code == 200
    r = w.api("put", f"/api/v1/tenders/{w.tender_a}/scores", w.eval1_token,
              json={"scores": scores(w, (9, 9, 9)), "submit": True})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.get_json()["own"]["submitted"] is True
    # the second evaluator: a draft shows nothing of the first's
    r = w.api("put", f"/api/v1/tenders/{w.tender_a}/scores", w.eval2_token, json={"scores": scores(w, (4, 4, 4))})
    assert r.status_code == 200 and r.get_json()["others"] == []
    assert w.api("get", f"/api/v1/tenders/{w.tender_a}/scores", w.eval2_token).get_json()["others"] == []
    assert w.api("get", url(w, "/evaluation"), w.eval2_token).status_code == 404
    # a justification is needed to submit
    r = w.api("put", f"/api/v1/tenders/{w.tender_a}/scores", w.eval2_token,
              json={"scores": [{**s, "justification": ""} for s in scores(w, (4, 4, 4))], "submit": True})
    assert r.status_code == 422
    r = w.api("put", f"/api/v1/tenders/{w.tender_a}/scores", w.eval2_token,
              json={"scores": scores(w, (4, 4, 4)), "submit": True})
    others = r.get_json()["others"]
    assert [o["scores"][0]["score"] for o in others] == [9]
    # submitted scores are fixed; out-of-range scores are refused next to the field
    assert w.api("put", f"/api/v1/tenders/{w.tender_a}/scores", w.eval1_token,
                 json={"scores": scores(w, (1, 1, 1))}).status_code == 409
    r = w.api("put", f"/api/v1/tenders/{w.tender_b}/scores", w.eval1_token, json={"scores": scores(w, (11, 1, 1))})
    assert r.status_code == 422 and "scores.0.score" in r.get_json()["errors"]


def test_totals_match_a_hand_computation(opened):
    w = opened
    assert declare(w, w.officer_token).status_code == 200
    assert w.api("put", f"/api/v1/tenders/{w.tender_a}/consensus", w.eval1_token,
                 json={"scores": scores(w, (8, 6, 7), "motivation")}).status_code == 404  # not declared
    decided_body = decided(w)
    body = w.api("get", url(w, "/evaluation"), w.officer_token).get_json()
    (lot,) = body["lots"]
    # A: 25·8/10 + 15·6/10 + 30·7/10 + 30·(800 000/1 000 000) = 20 + 9 + 21 + 24 = 74
    # B: 25·6/10 + 15·8/10 + 30·5/10 + 30·1 = 15 + 12 + 15 + 30 = 72
    assert [(t["supplier"], t["total"], t["rank"], t["tied"]) for t in lot["ranking"]] == [
        ("Trygg Teknologi AS", "74.00", 1, False), ("Omsorgsdata AS", "72.00", 2, False)]
    assert lot["ranking"][0]["points"][w.criteria["Pris"]] == "24.00"
    assert decided_body["winners"][0]["supplier"] == "Trygg Teknologi AS"


def test_rejected_tender_is_not_scored_and_its_tenderer_is_told(opened):
    w = opened
    assert declare(w, w.officer_token).status_code == 200
    r = w.api("post", f"/api/v1/tenders/{w.tender_b}/rejection", w.officer_token,
              json={"ground": "nonsense", "reason": ""})
    assert r.status_code == 422 and {"ground", "reason"} <= set(r.get_json()["errors"])
    r = w.api("post", f"/api/v1/tenders/{w.tender_b}/rejection", w.officer_token,
              json={"ground": "foa-24-8-1a", "reason": "Mangler drift av responssenter."})
    assert r.status_code == 201, r.get_data(as_text=True)
    assert w.api("put", f"/api/v1/tenders/{w.tender_b}/consensus", w.officer_token,
                 json={"scores": scores(w, (5, 5, 5), "motivation")}).status_code == 409
    assert any("avvist" in subject.lower() or "rejected" in subject.lower()
               for subject, _body in outbox_to(w, "post@omsorg.test"))
    body = w.api("get", url(w, "/evaluation"), w.officer_token).get_json()
    assert [t["supplier"] for t in body["lots"][0]["rejected"]] == ["Omsorgsdata AS"]
    assert w.api("post", f"/api/v1/tenders/{w.tender_b}/rejection", w.a, json={}).status_code == 404
