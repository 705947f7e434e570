"""Joint procurements: invite, accept/decline by the invited tenant's admin or officer, the
project group across tenants, leaving, handing over the lead."""

from __future__ import annotations

from tests.procurement.conftest import MANDATE

P = "/api/v1/procurements"


def test_invite_accept_and_work_together(world):
    pid = world.procurement()["id"]
    lead = world.api("baerum")
    invited = lead.post(f"{P}/{pid}/participants", json={"tenant": "asker", "role": "buyer"})
    assert invited.status_code == 201 and invited.json["status"] == "invited"
    # invited is not yet taking part: Asker cannot see it, and only its admin/officer may answer
    assert world.api("asker").get(f"{P}/{pid}").status_code == 404
    assert world.api("asker", "member").post(f"{P}/{pid}/participants/asker/accept").status_code == 404
    assert world.api("drammen", "admin").post(f"{P}/{pid}/participants/asker/accept").status_code == 404
    # a buyer accepts with its mandate: each missing field is named and nothing is written
    refused = world.api("asker", "admin").post(f"{P}/{pid}/participants/asker/accept")
    assert refused.status_code == 422, refused.get_data(as_text=True)
    assert set(refused.json["errors"]) == {"decision_ref", "decided_on", "signatory", "volume_nok"}
    bad = world.api("asker", "admin").post(f"{P}/{pid}/participants/asker/accept",
                                           json={**MANDATE, "decided_on": "1.9.2026", "volume_nok": -5})
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"decided_on", "volume_nok"}
    assert world.api("asker").get(f"{P}/{pid}").status_code == 404  # still only invited
    assert lead.get(f"{P}/{pid}/mandates").json["items"] == []
    assert world.api("asker", "admin").post(f"{P}/{pid}/participants/asker/accept", json=MANDATE).status_code == 200
    assert world.api("asker", "viewer").get(f"{P}/{pid}").status_code == 200
    mandates = lead.get(f"{P}/{pid}/mandates").json
    assert [(m["buyer"], m["decision_ref"], m["volume_ore"]) for m in mandates["items"]] == [
        ("Asker kommune", "PS 12/26", 1_500_000_00)]
    assert mandates["total_ore"] == 1_500_000_00
    # the lead adds an Asker person to the project group
    added = lead.post(f"{P}/{pid}/project-group", json={"email": "member@asker.test", "role": "member"})
    world.user("asker", "member")
    added = lead.post(f"{P}/{pid}/project-group", json={"email": "member@asker.test", "role": "member"})
    assert added.status_code == 201, added.get_data(as_text=True)
    assert {(m["email"], m["tenant"], m["role"]) for m in added.json} >= {("member@asker.test", "asker", "member")}
    # as a project member, the Asker member can now write (tenant role 'member' alone could not)
    need = world.api("asker", "member").post(f"{P}/{pid}/needs",
                                            json={"statement": "Safer nights", "source": "interview"})
    assert need.status_code == 201


def test_decline_and_reinvite(world):
    pid = world.procurement()["id"]
    lead = world.api("baerum")
    lead.post(f"{P}/{pid}/participants", json={"tenant": "asker", "role": "observer"})
    assert world.api("asker").post(f"{P}/{pid}/participants/asker/decline").json["status"] == "declined"
    assert world.api("asker").get(f"{P}/{pid}").status_code == 404
    again = lead.post(f"{P}/{pid}/participants", json={"tenant": "asker", "role": "buyer"})
    assert again.status_code == 201 and again.json["status"] == "invited"
    assert lead.post(f"{P}/{pid}/participants", json={"tenant": "asker", "role": "buyer"}).status_code == 409


def test_invite_rules(world):
    pid = world.procurement()["id"]
    lead = world.api("baerum")
    assert lead.post(f"{P}/{pid}/participants", json={"tenant": "nowhere", "role": "buyer"}).status_code == 422
    assert lead.post(f"{P}/{pid}/participants", json={"tenant": "asker", "role": "lead"}).status_code == 422
    assert world.api("baerum", "member").post(f"{P}/{pid}/participants",
                                              json={"tenant": "asker", "role": "buyer"}).status_code == 403


def test_observer_people_can_only_observe(world):
    pid = world.joint(role="observer")["id"]
    world.user("asker", "member")
    lead = world.api("baerum")
    refused = lead.post(f"{P}/{pid}/project-group", json={"email": "member@asker.test", "role": "member"})
    assert refused.status_code == 422
    ok = lead.post(f"{P}/{pid}/project-group", json={"email": "member@asker.test", "role": "observer"})
    assert ok.status_code == 201
    assert world.api("asker", "member").post(f"{P}/{pid}/needs",
                                             json={"statement": "x", "source": "survey"}).status_code == 403


def test_people_outside_the_participants_cannot_join_the_group(world):
    pid = world.procurement()["id"]
    world.user("drammen", "officer")
    response = world.api("baerum").post(f"{P}/{pid}/project-group",
                                        json={"email": "officer@drammen.test", "role": "member"})
    assert response.status_code == 422 and "email" in response.json["errors"]


def test_tenant_that_left_loses_access_with_its_people(world):
    pid = world.joint(role="buyer")["id"]
    world.user("asker", "member")
    world.api("baerum").post(f"{P}/{pid}/project-group", json={"email": "member@asker.test", "role": "member"})
    assert world.api("asker", "member").get(f"{P}/{pid}").status_code == 200
    assert world.api("asker", "member").post(f"{P}/{pid}/participants/asker/leave").status_code == 404
    left = world.api("asker").post(f"{P}/{pid}/participants/asker/leave")
    assert left.status_code == 200 and left.json["status"] == "left"
    for role in ("officer", "member", "admin"):
        assert world.api("asker", role).get(f"{P}/{pid}").status_code == 404
        assert world.api("asker", role).get(f"{P}/{pid}/needs").status_code == 404
    assert world.api("asker").get("/api/v1/tenants/asker/procurements").json["items"] == []
    group = world.api("baerum").get(f"{P}/{pid}/project-group").json
    assert "member@asker.test" not in {m["email"] for m in group}


def test_lead_cannot_leave_but_can_hand_over(world):
    pid = world.joint(role="buyer")["id"]
    lead = world.api("baerum")
    assert lead.post(f"{P}/{pid}/participants/baerum/leave").status_code == 409
    handed = lead.post(f"{P}/{pid}/lead", json={"tenant": "asker"})
    assert handed.status_code == 200
    parts = {p["tenant"]: p["role"] for p in handed.json}
    assert parts == {"baerum": "buyer", "asker": "lead"}
    detail = world.api("asker").get(f"{P}/{pid}").json
    assert detail["lead_tenant"]["slug"] == "asker" and detail["permissions"]["manage"] is True
    # the creator's project-lead role went with the lead: Bærum's officer no longer manages
    assert world.api("baerum").get(f"{P}/{pid}").json["permissions"]["manage"] is False
    assert lead.post(f"{P}/{pid}/lead", json={"tenant": "asker"}).status_code == 403
    assert world.api("baerum").post(f"{P}/{pid}/participants/baerum/leave").status_code == 200


def test_only_an_active_buyer_can_take_the_lead(world):
    pid = world.joint(role="observer")["id"]
    response = world.api("baerum").post(f"{P}/{pid}/lead", json={"tenant": "asker"})
    assert response.status_code == 422


def test_project_group_removal_rules(world):
    pid = world.joint(role="buyer")["id"]
    world.user("asker", "member")
    lead = world.api("baerum")
    group = lead.post(f"{P}/{pid}/project-group", json={"email": "member@asker.test", "role": "member"}).json
    member_id = next(m["user_id"] for m in group if m["email"] == "member@asker.test")
    lead_id = next(m["user_id"] for m in group if m["email"] == "officer@baerum.test")
    # Asker's officer manages Asker's people, not Bærum's
    assert world.api("asker").post(f"{P}/{pid}/project-group/remove", json={"user_id": lead_id}).status_code == 403
    removed = world.api("asker").post(f"{P}/{pid}/project-group/remove", json={"user_id": member_id})
    assert removed.status_code == 200 and "member@asker.test" not in {m["email"] for m in removed.json}
    refused = world.api("asker", "member").post(f"{P}/{pid}/needs", json={"statement": "x", "source": "survey"})
    assert refused.status_code == 403
