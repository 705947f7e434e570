"""The award decision, its letters (all or none, each tenderer its own), the standstill before
the contract phase, complaints, contracts per buyer and cancellation."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from core.award.models import AwardDecision, AwardLetter, Contract
from core.competition.models import Tender
from core.db import db
from core.notifications.models import OutboxMessage
from tests.award.conftest import decided, declare, outbox_to, scores, standstill_passed, url


def test_each_tenderer_sees_only_its_own_letter_with_its_scores_and_the_winners(opened):
    w = opened
    body = decided(w)
    assert body["standstill_ends"] is not None
    letter_a = w.api("get", url(w, "/award-letter"), w.a).get_json()
    letter_b = w.api("get", url(w, "/award-letter"), w.b).get_json()
    assert letter_a["supplier"] == "Trygg Teknologi AS" and letter_b["supplier"] == "Omsorgsdata AS"
    (lot_a,), (lot_b,) = letter_a["lots"], letter_b["lots"]
    assert lot_a["chosen"] and not lot_b["chosen"]
    assert lot_b["own"]["total"] == "72.00" and lot_b["winner"]["total"] == "74.00"
    assert lot_b["winner_supplier"] == "Trygg Teknologi AS" and "brukervennlighet" in lot_b["reason"]
    assert letter_b["standstill_ends_at"] == body["standstill_ends"]
    assert "Omsorgsdata" not in str(letter_a) or lot_a["own"]["supplier"] != "Omsorgsdata AS"
    assert "Trygg" not in str(lot_b["own"])
    assert w.api("get", url(w, "/award-letter"), w.c).status_code == 404  # no tender, no letter
    assert w.api("get", url(w, "/award-letter"), w.officer_token).status_code == 404
    assert len(outbox_to(w, "post@trygg.test")) >= 1 and any(
        "Tildeling" in s or "Award" in s for s, _b in outbox_to(w, "post@omsorg.test"))
    # once: a second decision while the standstill runs unsuspended is refused
    assert w.api("post", url(w, "/award"), w.officer_token, json={"winners": []}).status_code == 409


def test_letters_to_all_tenderers_in_one_transaction(opened):
    w = opened
    declare(w, w.officer_token)
    with w.app.app_context():
        before = db.session.execute(select(func.count(OutboxMessage.id))).scalar_one()

    def stray_letter():  # a letter to B already there: the unique letter per tenderer fails at commit
        tender = db.session.get(Tender, uuid.UUID(w.tender_b))
        db.session.add(AwardLetter(procurement_id=w.pid, supplier_id=tender.supplier_id, tender_id=tender.id,
                                   content={}, sent_at=tender.submitted_at))

    w.in_system(stray_letter)
    for tender, values in ((w.tender_a, (8, 6, 7)), (w.tender_b, (6, 8, 5))):
        w.api("put", f"/api/v1/tenders/{tender}/consensus", w.officer_token,
              json={"scores": scores(w, values, "motivation")})
    r = w.api("post", url(w, "/award"), w.officer_token, json={"winners": [
        {"lot_id": None, "tender_id": w.tender_a, "reason": "Best på kvalitet og implementering."}]})
    assert r.status_code == 409, r.get_data(as_text=True)
    with w.app.app_context():
        assert db.session.execute(select(func.count(OutboxMessage.id))).scalar_one() == before
        assert db.session.execute(select(func.count(AwardDecision.id))).scalar_one() == 0
        assert db.session.execute(select(func.count(AwardLetter.id))).scalar_one() == 1  # only the stray one
        assert db.session.execute(select(func.count(Contract.id))).scalar_one() == 0


def test_contract_phase_refused_before_the_standstill_ends_then_each_buyer_signs_its_own(opened):
    w = opened
    body = decided(w)
    r = w.api("post", url(w, "/transition"), w.officer_token, json={})
    assert r.status_code == 409, r.get_data(as_text=True)
    assert r.get_json()["standstill_ends_at"] == body["standstill_ends"]
    assert r.get_json()["detail"].startswith("The standstill period ends")
    contracts = w.api("get", url(w, "/contracts"), w.officer_token).get_json()["items"]
    assert sorted(c["buyer"] for c in contracts) == ["Asker kommune", "Bærum kommune"]
    asker = next(c for c in contracts if c["buyer"] == "Asker kommune")
    baerum = next(c for c in contracts if c["buyer"] == "Bærum kommune")
    r = w.api("patch", f"/api/v1/contracts/{asker['id']}", w.asker_officer_token, json={"signed_on": "2026-12-20"})
    assert r.status_code == 409  # not before the standstill ends
    standstill_passed(w)
    r = w.api("post", url(w, "/transition"), w.officer_token, json={})
    assert r.status_code == 200, r.get_data(as_text=True)
    # Asker sees only its own; the lead all; outsiders nothing
    mine = w.api("get", url(w, "/contracts"), w.asker_member_token).get_json()["items"]
    assert [c["buyer"] for c in mine] == ["Asker kommune"]
    assert w.api("get", f"/api/v1/contracts/{baerum['id']}", w.asker_officer_token).status_code == 404
    assert w.api("get", f"/api/v1/contracts/{asker['id']}", w.outsider_token).status_code == 404
    assert w.api("patch", f"/api/v1/contracts/{baerum['id']}", w.asker_officer_token,
                 json={"signed_on": "2026-12-20"}).status_code == 404
    r = w.api("patch", f"/api/v1/contracts/{asker['id']}", w.asker_officer_token, json={
        "value_ore": 50_000_000, "starts_on": "2027-01-01", "ends_on": "2026-01-01",
        "options": [{"description": "Forlengelse 1 år", "exercise_by": "bad"}]})
    assert r.status_code == 422 and {"ends_on", "options.0.exercise_by"} <= set(r.get_json()["errors"])
    r = w.api("patch", f"/api/v1/contracts/{asker['id']}", w.asker_officer_token, json={
        "value_ore": 50_000_000, "starts_on": "2027-01-01", "ends_on": "2029-12-31", "signed_on": "2026-12-20",
        "options": [{"description": "Forlengelse 1 år", "exercise_by": "2029-09-30", "remind_days": 60}]})
    assert r.status_code == 200, r.get_data(as_text=True)
    gate = w.api("get", url(w, "/gates"), w.officer_token).get_json()
    item = next(i for i in gate if i["key"] == "core-contracts-signed")
    assert item["state"] == "open" and item["missing"] == ["Bærum kommune"]
    assert w.api("patch", f"/api/v1/contracts/{baerum['id']}", w.officer_token,
                 json={"signed_on": "2026-12-21"}).status_code == 200
    gate = w.api("get", url(w, "/gates"), w.officer_token).get_json()
    item = next(i for i in gate if i["key"] == "core-contracts-signed")
    assert item["state"] == "auto"


def test_a_complaint_suspends_signing(opened):
    w = opened
    decided(w)
    assert w.api("post", url(w, "/complaints"), w.b, json={"text": "kort"}).status_code == 422
    r = w.api("post", url(w, "/complaints"), w.b, json={"text": "Prisen er feil vurdert i evalueringen."})
    assert r.status_code == 201, r.get_data(as_text=True)
    complaint_id = r.get_json()["id"]
    assert w.api("post", url(w, "/complaints"), w.c, json={"text": "Jeg er ikke leverandør her."}).status_code == 404
    assert w.api("get", url(w, "/complaints"), w.a).get_json()["items"] == []
    assert [c["supplier"] for c in w.api("get", url(w, "/complaints"), w.officer_token).get_json()["items"]] == [
        "Omsorgsdata AS"]
    r = w.api("post", url(w, "/complaints"), w.officer_token, json={"action": "suspend"})
    assert r.status_code == 200 and r.get_json()["suspended"] is True
    standstill_passed(w)  # even once the period is over, a suspension holds
    contract = w.api("get", url(w, "/contracts"), w.asker_officer_token).get_json()["items"][0]
    r = w.api("patch", f"/api/v1/contracts/{contract['id']}", w.asker_officer_token, json={"signed_on": "2026-12-20"})
    assert r.status_code == 409 and "suspended" in r.get_json()["detail"]
    assert w.api("post", url(w, "/transition"), w.officer_token, json={}).status_code == 409
    r = w.api("post", url(w, "/complaints"), w.officer_token, json={
        "action": "answer", "complaint_id": complaint_id, "answer": "Prisen er vurdert etter den kunngjorte modellen."})
    assert r.status_code == 200 and r.get_json()["status"] == "answered"
    assert w.api("get", url(w, "/complaints"), w.b).get_json()["items"][0]["answer"].startswith("Prisen")
    assert w.api("post", url(w, "/complaints"), w.officer_token, json={"action": "resume"}).status_code == 200
    r = w.api("patch", f"/api/v1/contracts/{contract['id']}", w.asker_officer_token, json={"signed_on": "2026-12-20"})
    assert r.status_code == 200, r.get_data(as_text=True)


def test_a_cancelled_procurement_refuses_every_write(opened):
    w = opened
    assert w.api("post", url(w, "/cancel"), w.asker_officer_token, json={"reason": "Budsjettet falt bort."}
                 ).status_code == 403
    assert w.api("post", url(w, "/cancel"), w.officer_token, json={"reason": ""}).status_code == 422
    r = w.api("post", url(w, "/cancel"), w.officer_token, json={"reason": "Budsjettet falt bort i desember."})
    assert r.status_code == 200 and r.get_json()["status"] == "cancelled"
    assert any("avlyst" in s.lower() or "cancelled" in s.lower() for s, _b in outbox_to(w, "post@omsorg.test"))
    etag = w.api("get", url(w, ""), w.officer_token).headers["ETag"]
    r = w.api("patch", url(w, ""), w.officer_token, json={"title": "Nytt navn"}, headers={"If-Match": etag})
    assert r.status_code == 409, r.get_data(as_text=True)
    writes = [
        ("post", url(w, "/needs"), w.officer_token, {"statement": "Et behov", "user_group": "Ansatte"}),
        ("put", url(w, "/award-criteria"), w.officer_token, {"criteria": []}),
        ("put", url(w, "/competition"), w.officer_token, {}),
        ("put", url(w, "/impartiality"), w.eval1_token, {"conflict": False}),
        ("post", url(w, "/award"), w.officer_token, {"winners": []}),
        ("post", url(w, "/transition"), w.officer_token, {}),
        ("post", url(w, "/cancel"), w.officer_token, {"reason": "En gang til, for sikkerhets skyld."}),
        ("put", url(w, "/tender"), w.a, {}),
    ]
    for method, path, token, body in writes:
        r = w.api(method, path, token, json=body)
        assert r.status_code == 409, (method, path, r.status_code, r.get_data(as_text=True))
    assert w.api("get", url(w, ""), w.officer_token).status_code == 200  # still readable
    protocol = w.api("get", url(w, "/protocol"), w.officer_token).get_json()
    cancelled = [e for e in protocol["entries"] if e["action"] == "procurement.cancelled"]
    assert cancelled[0]["changes"]["after"]["reason"] == "Budsjettet falt bort i desember."


def test_an_option_reminds_the_buyers_officers_once_before_its_exercise_date(opened):
    from datetime import timedelta

    from core.db import utcnow
    from core.notifications.reminders import queue_reminders

    w = opened
    decided(w)
    standstill_passed(w)
    contract = w.api("get", url(w, "/contracts"), w.asker_officer_token).get_json()["items"][0]
    soon = (utcnow() + timedelta(days=20)).date().isoformat()
    r = w.api("patch", f"/api/v1/contracts/{contract['id']}", w.asker_officer_token, json={
        "signed_on": utcnow().date().isoformat(),
        "options": [{"description": "Forlengelse ett år", "exercise_by": soon, "remind_days": 30}]})
    assert r.status_code == 200, r.get_data(as_text=True)
    with w.app.app_context():
        queue_reminders(timedelta(hours=24))
        queue_reminders(timedelta(hours=24))
        db.session.commit()
    due = [s for s, _b in outbox_to(w, "officer@asker.test") if "Forlengelse" in _b or "opsjon" in s.lower()]
    assert len(due) == 1
    assert not [s for s, _b in outbox_to(w, "officer@baerum.test") if "opsjon" in s.lower() or "option" in s.lower()]
