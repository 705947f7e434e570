"""The project group cancels a supplier's one-to-one meeting: leads and members of the group
only, until the meeting starts; the slot is free for every supplier again, the supplier is told
through the outbox, the audit log and the protocol record it; the page asks first."""

from __future__ import annotations

from datetime import timedelta

from core import isolation
from core.db import db, utcnow
from tests.dialogue.helpers import audit_entries, outbox, set_lang
from tests.dialogue.test_meetings import book, make_round, slots


def _cancel(w, token, slot_id, **body):
    return w.api("post", f"/api/v1/meeting-slots/{slot_id}/booking/cancellation", token, json=body)


def _booked_slot(w):
    rnd = make_round(w, slots=2)
    slot_id = rnd["slots"][0]["id"]
    assert book(w, w.a, slot_id).status_code == 201
    return rnd, slot_id


def test_cancel_frees_the_slot_for_everyone_and_tells_the_supplier(open_world):
    w = open_world
    rnd, slot_id = _booked_slot(w)
    assert book(w, w.b, slot_id).status_code == 409  # taken
    before_mail = len(outbox(w))
    r = _cancel(w, w.officer_token, slot_id, reason="Sykdom i prosjektgruppen.")
    assert r.status_code == 200, r.get_data(as_text=True)
    slot = next(s for rnd_ in r.json["rounds"] for s in rnd_["slots"] if s["id"] == slot_id)
    assert slot["free"] is True and slot["supplier"] is None
    # Only supplier A is told, with the reason.
    mails = outbox(w)[before_mail:]
    assert [to for to, _s, _b in mails] == ["post@trygg.test"]
    assert "Sykdom i prosjektgruppen." in mails[0][2]
    # A no longer sees a booking; the slot is free for every supplier and B books it.
    assert not any(s["mine"] for s in slots(w, w.a))
    assert next(s for s in slots(w, w.b) if s["id"] == slot_id)["free"] is True
    assert book(w, w.b, slot_id).status_code == 201
    # A may book again in the round (its cancelled booking no longer counts).
    assert book(w, w.a, rnd["slots"][1]["id"]).status_code == 201
    # On the record: who had the slot, when, and why; and a sentence in the protocol.
    [entry] = audit_entries(w, "meetings.cancelled_by_group")
    assert entry["changes"]["before"]["supplier"] == "Trygg Teknologi AS"
    assert entry["changes"]["reason"] == "Sykdom i prosjektgruppen." and entry["actor"] == "officer@baerum.test"
    protocol = w.api("get", f"/api/v1/procurements/{w.pid}/protocol", w.officer_token).json
    from core.procurement.protocol import describe

    assert describe("meetings.cancelled_by_group") != "meetings.cancelled_by_group"
    assert any(e["action"] == "meetings.cancelled_by_group" for e in protocol["entries"])


def test_who_may_cancel(open_world):
    w = open_world
    _rnd, slot_id = _booked_slot(w)
    # Suppliers (the one who booked, another registered one, an unregistered one) and other tenants: 404.
    for token in (w.a, w.b, w.c, w.outsider_token):
        assert _cancel(w, token, slot_id).status_code == 404, token
    # In the procurement but not a lead or member of the project group: 403 (read-only member,
    # and the partner's officer, who may write elsewhere but is not in the project group).
    assert _cancel(w, w.asker_member_token, slot_id).status_code == 403
    assert _cancel(w, w.asker_officer_token, slot_id).status_code == 403
    # A member of the project group (the partner's officer, added by the lead) may.
    from core.procurement.models import ProjectMember, ProjectRole

    def add_member():
        db.session.add(ProjectMember(procurement_id=w.pid, user_id=w.asker_officer.id, tenant_id=w.asker.id,
                                     role=ProjectRole.member))

    w.in_system(add_member)
    assert _cancel(w, w.asker_officer_token, slot_id).status_code == 200
    assert audit_entries(w, "meetings.cancelled_by_group")[0]["actor"] == "officer@asker.test"
    # Nothing booked there any more: 404.
    assert _cancel(w, w.officer_token, slot_id).status_code == 404


def test_supplier_of_another_dialogue_gets_404(open_world):
    """A supplier registered in another procurement's dialogue learns nothing about this one."""
    w = open_world
    _rnd, slot_id = _booked_slot(w)
    from core.procurement.models import ParticipantRole, Participation, ParticipationStatus, Phase, Procurement

    def other_dialogue():
        import uuid

        other = Procurement(id=uuid.uuid4(), lead_tenant_id=w.drammen.id, title="Annen", description="",
                            phase=Phase.dialogue)
        db.session.add(other)
        db.session.flush()
        db.session.add(Participation(procurement_id=other.id, tenant_id=w.drammen.id, role=ParticipantRole.lead,
                                     status=ParticipationStatus.active))
        return other.id

    other_pid = w.in_system(other_dialogue)

    def open_other():
        db.session.get(Procurement, other_pid).dialogue_open = True
        db.session.get(Procurement, other_pid).dialogue_opened_at = utcnow()

    w.in_system(open_other)
    r = w.api("post", f"/api/v1/procurements/{other_pid}/registrations", w.c)
    assert r.status_code == 201, r.get_data(as_text=True)
    for path in (f"/api/v1/meeting-slots/{slot_id}/booking/cancellation", f"/api/v1/meeting-slots/{slot_id}/booking"):
        r = w.api("post" if path.endswith("cancellation") else "delete", path, w.c, json={})
        assert r.status_code == 404 and r.mimetype == "application/problem+json"
    assert next(s for s in slots(w, w.officer_token) if s["id"] == slot_id)["free"] is False


def test_not_once_the_meeting_has_started_or_has_minutes(open_world):
    w = open_world
    _rnd, slot_id = _booked_slot(w)
    assert w.api("put", f"/api/v1/meeting-slots/{slot_id}/minutes", w.officer_token,
                 json={"minutes": "Holdt."}).status_code == 200
    assert _cancel(w, w.officer_token, slot_id).status_code == 409
    rnd2 = make_round(w, slots=1)
    started = rnd2["slots"][0]["id"]
    assert book(w, w.b, started).status_code == 201
    from core.dialogue.models import MeetingSlot

    def start_now():
        db.session.get(MeetingSlot, __import__("uuid").UUID(started)).starts_at = utcnow() - timedelta(minutes=5)

    with w.app.app_context(), isolation.system_scope():
        start_now()
        db.session.commit()
    r = _cancel(w, w.officer_token, started)
    assert r.status_code == 409 and r.json["type"].endswith("/deadline-passed")
    r = _cancel(w, w.officer_token, slot_id, reason="x" * 2001)
    assert r.status_code == 422
    assert len(audit_entries(w, "meetings.cancelled_by_group")) == 0


def test_cancel_on_the_page_asks_first(open_world):
    w = open_world
    _rnd, slot_id = _booked_slot(w)
    g = f"/t/baerum/procurements/{w.pid}/dialogue"
    w.login(w.officer)
    for lang in ("nb", "en"):
        set_lang(w.client, lang)
        html = w.client.get(f"{g}/meetings").get_data(as_text=True)
        assert f'id="cancel-link-{slot_id}"' in html
        page = w.client.get(f"{g}/meetings/{slot_id}/cancel")
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and 'id="cancel-booking-form"' in html and "Trygg Teknologi AS" in html
        assert 'id="cancel-booking-back"' in html
    # Looking at the confirmation changes nothing.
    assert next(s for s in slots(w, w.a) if s["id"] == slot_id)["mine"] is True
    r = w.client.post(f"{g}/meetings/{slot_id}/cancel", data={"reason": "Ny plan."})
    assert r.status_code == 302
    assert next(s for s in slots(w, w.a) if s["id"] == slot_id)["free"] is True
    # Nothing booked any more: the confirmation page answers 404.
    assert w.client.get(f"{g}/meetings/{slot_id}/cancel").status_code == 404
    # The read-only member sees no way to cancel and is refused.
    assert book(w, w.b, slot_id).status_code == 201
    w.login(w.asker_member)
    assert w.client.get(f"/t/asker/procurements/{w.pid}/dialogue/meetings/{slot_id}/cancel").status_code == 403
    assert w.client.post(f"/t/asker/procurements/{w.pid}/dialogue/meetings/{slot_id}/cancel").status_code == 403
    # Another tenant: 404.
    w.login(w.outsider)
    assert w.client.get(f"/t/drammen/procurements/{w.pid}/dialogue/meetings/{slot_id}/cancel").status_code == 404


def test_page_shows_the_refusal_next_to_the_form(open_world):
    w = open_world
    _rnd, slot_id = _booked_slot(w)
    g = f"/t/baerum/procurements/{w.pid}/dialogue"
    w.login(w.officer)
    r = w.client.post(f"{g}/meetings/{slot_id}/cancel", data={"reason": "x" * 2001})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="f-reason-error"' in html and 'id="form-error"' in html
    assert next(s for s in slots(w, w.a) if s["id"] == slot_id)["mine"] is True
