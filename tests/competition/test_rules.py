"""The competition's rules: suppliers never see each other, every write after the deadline is
refused and nothing is stored, the opening only after its time and by the project group, the
requirement responses, the six-day rule for answers above the EEA threshold, and the Q&A."""

from __future__ import annotations

import io
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from core.competition.models import Tender
from core.db import db, utcnow
from core.notifications.models import OutboxMessage
from tests.competition.conftest import set_times, tender_body


def url(w, tail: str = "") -> str:
    return f"/api/v1/procurements/{w.pid}{tail}"


def _outbox(w, since: int = 0) -> list[tuple[str, str]]:
    rows = w.in_system(lambda: db.session.execute(
        select(OutboxMessage.to_address, OutboxMessage.subject).order_by(OutboxMessage.created_at)).all())
    return [tuple(r) for r in rows][since:]


def test_supplier_a_never_sees_supplier_bs_tender_or_its_existence(announced):
    w = announced
    r = w.api("put", url(w, "/tender"), w.b, json=tender_body(w, "B-HEMMELIG", submit=True))
    assert r.status_code == 200
    upload = {"file": (io.BytesIO(b"B sitt vedlegg\n"), "b.txt")}
    w.api("delete", url(w, "/tender"), w.b)
    file_id = w.api("post", url(w, "/tender/files"), w.b, data=upload,
                    content_type="multipart/form-data").get_json()["id"]
    own = w.api("get", url(w, "/tender"), w.a).get_json()
    assert own["status"] is None and own["receipt"] is None and own["content"]["files"] == []
    market = w.api("get", "/api/v1/market/competitions", w.a).get_json()
    assert market["items"][0]["tender_status"] is None
    assert w.api("get", url(w, f"/tender/files/{file_id}"), w.a).status_code == 404
    assert w.api("get", url(w, "/tenders"), w.a).status_code == 404
    assert w.api("get", url(w, "/opening"), w.a).status_code == 404
    page = w.login(w.a_user).get(f"/supplier/competitions/{w.pid}/")
    assert page.status_code == 200 and "B-HEMMELIG" not in page.get_data(as_text=True)
    assert "b.txt" not in page.get_data(as_text=True)


def test_every_write_after_the_deadline_is_refused_and_nothing_stored(announced):
    w = announced
    assert w.api("put", url(w, "/tender"), w.a, json=tender_body(w, submit=True)).status_code == 200
    assert w.api("put", url(w, "/tender"), w.b, json=tender_body(w)).status_code == 200
    set_times(w, tender_deadline={"seconds": -1})
    count = lambda: w.in_system(lambda: db.session.execute(select(func.count(Tender.id))).scalar_one())  # noqa: E731
    before = w.api("get", url(w, "/tender"), w.b).get_json()
    attempts = [
        w.api("put", url(w, "/tender"), w.b, json=tender_body(w, submit=True)),
        w.api("put", url(w, "/tender"), w.b, json=tender_body(w)),
        w.api("delete", url(w, "/tender"), w.a),
        w.api("delete", url(w, "/tender"), w.b),
        w.api("put", url(w, "/tender"), w.c, json=tender_body(w, submit=True)),
        w.api("post", url(w, "/tender/files"), w.b, data={"file": (io.BytesIO(b"sent\n"), "late.txt")},
              content_type="multipart/form-data"),
    ]
    for r in attempts:
        assert r.status_code == 409, r.get_data(as_text=True)
        assert r.get_json()["type"].endswith("deadline-passed") or "deadline" in r.get_json()["detail"].lower()
    assert count() == 2
    assert w.api("get", url(w, "/tender"), w.b).get_json() == before
    assert w.api("get", url(w, "/tender"), w.a).get_json()["status"] == "submitted"
    page = w.login(w.b_user).post(f"/supplier/competitions/{w.pid}/tender", data={"action": "submit"})
    assert page.status_code == 409


def test_opening_only_after_its_time_and_by_a_project_group_member(announced):
    w = announced
    w.api("put", url(w, "/tender"), w.a, json=tender_body(w, submit=True))
    r = w.api("post", url(w, "/opening"), w.officer_token)
    assert r.status_code == 409 and "opening_at" in r.get_json()
    set_times(w, tender_deadline={"minutes": -2}, question_deadline={"minutes": -3}, opening_at={"minutes": -1})
    assert w.api("post", url(w, "/opening"), w.asker_officer_token).status_code == 403  # not in the project group
    assert w.api("post", url(w, "/opening"), w.outsider_token).status_code == 404
    assert w.api("post", url(w, "/opening"), w.a).status_code == 404
    assert w.api("post", url(w, "/opening"), w.officer_token).status_code == 200
    protocol = w.api("get", url(w, "/protocol"), w.officer_token).get_data(as_text=True)
    assert "competition.opened" in protocol and "Trygg Teknologi AS" in protocol


def test_withdrawn_tenders_are_listed_in_the_opening_protocol(announced):
    w = announced
    w.api("put", url(w, "/tender"), w.a, json=tender_body(w, submit=True))
    w.api("put", url(w, "/tender"), w.b, json=tender_body(w, submit=True))
    assert w.api("delete", url(w, "/tender"), w.b).status_code == 204
    set_times(w, tender_deadline={"minutes": -2}, question_deadline={"minutes": -3}, opening_at={"minutes": -1})
    protocol = w.api("post", url(w, "/opening"), w.officer_token).get_json()
    assert [t["supplier"] for t in protocol["tenders"]] == ["Trygg Teknologi AS"]
    assert [t["supplier"] for t in protocol["withdrawn"]] == ["Omsorgsdata AS"]


def test_every_requirement_needs_a_response_and_prices_follow_the_lots(announced):
    w = announced
    from core.procurement.models import Need, NeedSource
    from core.specification.models import Lot, Requirement, RequirementKind, RequirementNeed

    ids = {}

    def specification():
        need = Need(procurement_id=w.pid, position=1, statement="Trygghet om natten", source=NeedSource.interview)
        db.session.add(need)
        db.session.flush()
        lot = Lot(procurement_id=w.pid, position=1, title="Responssenter")
        db.session.add(lot)
        for position, kind in enumerate((RequirementKind.absolute, RequirementKind.evaluated), 1):
            req = Requirement(procurement_id=w.pid, position=position, text=f"Krav {position}", kind=kind)
            db.session.add(req)
            db.session.flush()
            db.session.add(RequirementNeed(requirement_id=req.id, need_id=need.id, procurement_id=w.pid))
            ids[kind.value] = str(req.id)
        db.session.flush()
        ids["lot"] = str(lot.id)

    w.in_system(specification)
    body = tender_body(w, submit=True)
    r = w.api("put", url(w, "/tender"), w.a, json=body)
    assert r.status_code == 422 and "prices.0.lot_id" in r.get_json()["errors"]
    body["prices"] = [{"lot_id": ids["lot"], "price_ore": 500_000_00}]
    r = w.api("put", url(w, "/tender"), w.a, json=body)
    assert r.status_code == 422 and "responses" in r.get_json()["errors"]
    body["responses"] = [{"requirement_id": ids["absolute"], "confirmed": True},
                         {"requirement_id": ids["evaluated"], "description": "Slik løser vi det"}]
    r = w.api("put", url(w, "/tender"), w.a, json=body)
    assert r.status_code == 200, r.get_data(as_text=True)
    body["responses"].append({"requirement_id": str(uuid.uuid4()), "confirmed": True})
    w.api("delete", url(w, "/tender"), w.a)
    r = w.api("put", url(w, "/tender"), w.a, json=body)
    assert r.status_code == 422
    settings = w.api("get", url(w, "/competition"), w.a).get_json()
    assert [lot["title"] for lot in settings["lots"]] == ["Responssenter"]
    assert len(settings["requirements"]) == 2


def _above_eea(w):
    from core.procurement.models import Procurement

    w.in_system(lambda: setattr(db.session.get(Procurement, w.pid), "estimated_value_ore", 50_000_000_00))


def test_six_day_rule_above_the_eea_threshold(announced):
    w = announced
    _above_eea(w)
    q = w.api("post", url(w, "/competition/questions"), w.a, json={"text": "Hva med reservestrøm?"})
    assert q.status_code == 201
    set_times(w, tender_deadline={"days": 5}, question_deadline={"days": 4}, opening_at={"days": 5, "hours": 1})
    r = w.api("post", url(w, "/competition/answers"), w.officer_token,
              json={"questions": [q.get_json()["id"]], "text": "Det kreves."})
    assert r.status_code == 409 and "latest" in r.get_json()
    sent = len(_outbox(w))
    later = {"tender_deadline": (utcnow() + timedelta(days=14)).isoformat(),
             "opening_at": (utcnow() + timedelta(days=14, hours=1)).isoformat()}
    r = w.api("put", url(w, "/competition"), w.officer_token, json=later)
    assert r.status_code == 200, r.get_data(as_text=True)
    told = {to for to, _s in _outbox(w, sent)}
    assert {"post@trygg.test", "post@omsorg.test"} <= told
    r = w.api("post", url(w, "/competition/answers"), w.officer_token,
              json={"questions": [q.get_json()["id"]], "text": "Det kreves."})
    assert r.status_code == 201, r.get_data(as_text=True)


def test_below_the_eea_threshold_late_answers_are_allowed(announced):
    w = announced
    q = w.api("post", url(w, "/competition/questions"), w.a, json={"text": "Hva med reservestrøm?"}).get_json()
    set_times(w, tender_deadline={"days": 2}, question_deadline={"days": 1}, opening_at={"days": 2, "hours": 1})
    r = w.api("post", url(w, "/competition/answers"), w.officer_token, json={"questions": [q["id"]], "text": "Ja."})
    assert r.status_code == 201


def test_answers_go_to_all_and_never_name_the_asker(announced):
    w = announced
    q = w.api("post", url(w, "/competition/questions"), w.a, json={"text": "Spørsmål fra A om SCAIP"}).get_json()
    b_view = w.api("get", url(w, "/competition/questions"), w.b).get_json()
    assert b_view["open_questions"] == [] and b_view["items"] == []
    group = w.api("get", url(w, "/competition/questions"), w.officer_token).get_json()
    assert [x["id"] for x in group["open_questions"]] == [q["id"]]
    r = w.api("post", url(w, "/competition/answers"), w.officer_token,
              json={"questions": [q["id"]], "text": "SCAIP kreves.",
                    "published_wording": {q["id"]: "Kreves SCAIP?"}})
    assert r.status_code == 201
    for token in (w.b, w.c):
        body = w.api("get", url(w, "/competition/questions"), token)
        assert body.get_json()["items"][0]["published_questions"] == ["Kreves SCAIP?"]
        assert "Trygg" not in body.get_data(as_text=True)
    set_times(w, question_deadline={"seconds": -1})
    assert w.api("post", url(w, "/competition/questions"), w.b, json={"text": "For sent?"}).status_code == 409


def test_settings_validation_and_qualification_fixed_after_announcing(announced):
    w = announced
    r = w.api("put", url(w, "/competition"), w.officer_token, json={"qualification": []})
    assert r.status_code == 409
    r = w.api("put", url(w, "/competition"), w.officer_token,
              json={"opening_at": "2020-01-01T10:00:00+00:00"})
    assert r.status_code == 422 and "opening_at" in r.get_json()["errors"]
    r = w.api("put", url(w, "/competition"), w.a, json={"opening_at": "2030-01-01T10:00:00+00:00"})
    assert r.status_code == 404
    r = w.api("put", url(w, "/tender"), w.a, json={"prices": [{"lot_id": None, "price_ore": -5}]})
    assert r.status_code == 422
    r = w.api("put", url(w, "/tender"), w.a, json={"qualification": [{"key": "nope", "answer": True}]})
    assert r.status_code == 422
