"""The HTML pages: forms call the same services as the API; errors are shown next to the
field; 404/403 stay errors. Elements are found by id, name and URL."""

from __future__ import annotations

import io
import re

from plugins.welfare_tech.content import TEMPLATE


def _id_in(html: str, element_id: str) -> bool:
    return f'id="{element_id}"' in html


def test_create_from_scratch_and_edit(world):
    browser = world.browser("baerum")
    assert browser.get("/t/baerum/procurements/new").status_code == 200
    bad = browser.post("/t/baerum/procurements/new", data={"title": "", "estimated_value": "lots", "cpv_codes": "1"})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert _id_in(html, "f-title-error") and _id_in(html, "f-estimated_value-error")
    created = browser.post("/t/baerum/procurements/new", data={
        "title": "Digitalt tilsyn", "estimated_value": "1 250 000,50", "procedure": "open",
        "contract_kind": "goods_services", "cpv_codes": "85311100-3, 79711000-1"})
    assert created.status_code == 303
    pid = re.search(r"/procurements/([0-9a-f-]{36})/", created.headers["Location"]).group(1)
    detail = world.api("baerum").get(f"/api/v1/procurements/{pid}").json
    assert detail["estimated_value_ore"] == 125_000_050 and detail["cpv_codes"] == ["85311100-3", "79711000-1"]
    page = browser.get(f"/t/baerum/procurements/{pid}/").get_data(as_text=True)
    assert 'data-band="below_national"' in page and "1 250 000,50" in page
    form = browser.get(f"/t/baerum/procurements/{pid}/edit").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    saved = browser.post(f"/t/baerum/procurements/{pid}/edit", data={
        "version": version, "title": "Digitalt tilsyn om natten", "estimated_value": "3000000", "procedure": "open",
        "contract_kind": "goods_services", "cpv_codes": "", "key_dates_present": "1",
        "key_date_dialogue_conference": "2027-03-01", "milestones": "[x] 2027-01-10 Mandat\n2027-02-01 Behov klare"})
    assert saved.status_code == 303
    detail = world.api("baerum").get(f"/api/v1/procurements/{pid}").json
    assert detail["title"] == "Digitalt tilsyn om natten"
    assert detail["key_dates"] == {"dialogue_conference": "2027-03-01"}
    assert detail["milestones"] == [{"title": "Mandat", "date": "2027-01-10", "done": True},
                                    {"title": "Behov klare", "date": "2027-02-01", "done": False}]


def test_edit_conflict_keeps_the_second_writers_input(world):
    pid = world.procurement()["id"]
    browser = world.browser("baerum")
    form = browser.get(f"/t/baerum/procurements/{pid}/edit").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    first = world.api("baerum", "admin")
    assert first.patch(f"/api/v1/procurements/{pid}", json={"title": "Changed meanwhile",
                                                            "version": int(version)}).status_code == 200
    conflict = browser.post(f"/t/baerum/procurements/{pid}/edit", data={
        "version": version, "title": "My edit", "estimated_value": "", "contract_kind": "goods_services"})
    assert conflict.status_code == 409
    html = conflict.get_data(as_text=True)
    assert 'value="My edit"' in html and _id_in(html, "current-version") and "Changed meanwhile" in html
    assert world.api("baerum").get(f"/api/v1/procurements/{pid}").json["title"] == "Changed meanwhile"


def test_start_from_template_page(world):
    version = world.api("baerum").post("/api/v1/tenants/baerum/templates",
                                       json={"content": TEMPLATE, "visibility": "all"}).json
    browser = world.browser("drammen")
    page = browser.get("/t/drammen/procurements/new", query_string={"version_id": version["id"]})
    assert page.status_code == 200 and _id_in(page.get_data(as_text=True), "from-template")
    created = browser.post("/t/drammen/procurements/new", data={
        "version_id": version["id"], "title": "Trygg i Drammen", "contract_kind": "goods_services"})
    assert created.status_code == 303
    pid = re.search(r"/procurements/([0-9a-f-]{36})/", created.headers["Location"]).group(1)
    show = browser.get(f"/t/drammen/procurements/{pid}/").get_data(as_text=True)
    assert _id_in(show, "lineage") and not _id_in(show, "upstream-newer")
    assert len(world.api("drammen").get(f"/api/v1/procurements/{pid}/needs").json) == len(TEMPLATE["needs"])
    assert browser.get(f"/t/drammen/procurements/{pid}/upstream").status_code == 200


def test_dashboard_invitation_accept_and_participants_page(world):
    pid = world.procurement()["id"]
    lead = world.browser("baerum")
    invited = lead.post(f"/t/baerum/procurements/{pid}/participants/invite", data={"tenant": "asker", "role": "buyer"})
    assert invited.status_code == 303
    asker_admin = world.browser("asker", "admin")
    dashboard = asker_admin.get("/t/asker/").get_data(as_text=True)
    assert _id_in(dashboard, "procurement-invitations") and _id_in(dashboard, f"accept-{pid}")
    assert _id_in(world.browser("asker", "viewer").get("/t/asker/").get_data(as_text=True),
                  "procurement-invitations") is False
    # a buyer accepts on its own page with the mandate; missing fields come back next to themselves
    accept_page = f"/t/asker/procurements/{pid}/participants/accept"
    assert f'href="{accept_page}"' in dashboard
    form = asker_admin.get(accept_page).get_data(as_text=True)
    assert _id_in(form, "accept-form") and _id_in(form, "f-volume_nok") and "data-confirm" in form
    refused = asker_admin.post(f"/t/asker/procurements/{pid}/participants/respond",
                               data={"answer": "accept", "decision_ref": "PS 12/26", "volume_nok": "mye"})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    for name in ("decided_on", "signatory", "volume_nok"):
        assert _id_in(html, f"f-{name}-error"), name
    assert not _id_in(html, "f-decision_ref-error") and 'value="PS 12/26"' in html
    assert asker_admin.get(f"/t/asker/procurements/{pid}/").status_code == 404  # nothing written
    accepted = asker_admin.post(f"/t/asker/procurements/{pid}/participants/respond", data={
        "answer": "accept", "decision_ref": "PS 12/26", "decided_on": "2026-09-01",
        "signatory": "Kommunedirektøren", "volume_nok": "1 500 000"})
    assert accepted.status_code == 303 and accepted.headers["Location"].endswith(f"/t/asker/procurements/{pid}/")
    listed = asker_admin.get("/t/asker/").get_data(as_text=True)
    assert f'data-procurement-id="{pid}"' in listed
    # the procurement's page shows the estimate from the buyers and each buyer's share
    assert world.api("baerum").put(f"/api/v1/procurements/{pid}/mandates", json={
        "decision_ref": "KST 3/26", "decided_on": "2026-08-20", "signatory": "Rådmannen",
        "volume_ore": 3_000_000_00, "options_ore": 500_000_00}).status_code == 200
    shown = lead.get(f"/t/baerum/procurements/{pid}/").get_data(as_text=True)
    assert _id_in(shown, "buyer-mandates") and "5 000 000" in shown.split('id="buyers-estimate"')[1].split("</p>")[0]
    rows = shown.split('id="mandate-shares"')[1]
    assert "1 500 000 NOK" in rows.split('data-tenant="asker"')[1].split("</tr>")[0]
    assert "70 %" in rows.split('data-tenant="baerum"')[1].split("</tr>")[0]
    assert "30 %" in rows.split('data-tenant="asker"')[1].split("</tr>")[0]
    world.user("asker", "member")
    bad = lead.post(f"/t/baerum/procurements/{pid}/group/add", data={"email": "nobody@x.no", "role": "member"})
    assert bad.status_code == 422 and _id_in(bad.get_data(as_text=True), "f-email-error")
    ok = lead.post(f"/t/baerum/procurements/{pid}/group/add", data={"email": "member@asker.test", "role": "member"})
    assert ok.status_code == 303
    page = lead.get(f"/t/baerum/procurements/{pid}/participants").get_data(as_text=True)
    assert 'data-email="member@asker.test"' in page and 'data-tenant="asker" data-status="active"' in page
    asker_officer = world.browser("asker")
    page = asker_officer.get(f"/t/asker/procurements/{pid}/participants").get_data(as_text=True)
    assert _id_in(page, "leave-form") and not _id_in(page, "invite-form")
    assert asker_officer.post(f"/t/asker/procurements/{pid}/participants/leave").status_code == 303
    assert asker_officer.get(f"/t/asker/procurements/{pid}/").status_code == 404


def test_gates_page_waive_and_transition(world):
    pid = world.procurement(estimated_value_ore=1, procedure="open")["id"]
    browser = world.browser("baerum")
    page = browser.get(f"/t/baerum/procurements/{pid}/gates").get_data(as_text=True)
    assert _id_in(page, "done-core-mandate") and _id_in(page, "waive-core-project-group")
    refused = browser.post(f"/t/baerum/procurements/{pid}/transition", data={"to": "needs"})
    assert refused.status_code == 409 and _id_in(refused.get_data(as_text=True), "transition-errors")
    no_reason = browser.post(f"/t/baerum/procurements/{pid}/gates/check",
                             data={"item": "core-project-group", "action": "waive", "reason": ""})
    assert no_reason.status_code == 422 and _id_in(no_reason.get_data(as_text=True), "reason-core-project-group-error")
    browser.post(f"/t/baerum/procurements/{pid}/gates/check", data={"item": "core-mandate", "action": "done"})
    browser.post(f"/t/baerum/procurements/{pid}/gates/check",
                 data={"item": "core-project-group", "action": "waive", "reason": "Group from last year"})
    moved = browser.post(f"/t/baerum/procurements/{pid}/transition", data={"to": "needs"})
    assert moved.status_code == 303
    page = browser.get(f"/t/baerum/procurements/{pid}/gates").get_data(as_text=True)
    assert 'data-phase="needs"' in page and "Group from last year" in page
    viewer = world.browser("baerum", "viewer").get(f"/t/baerum/procurements/{pid}/gates").get_data(as_text=True)
    assert not _id_in(viewer, "transition-form") and not _id_in(viewer, "done-core-needs-prioritised")


def test_needs_page_add_move_edit_upload_delete(world):
    pid = world.procurement()["id"]
    browser = world.browser("baerum")
    base = f"/t/baerum/procurements/{pid}/needs"
    assert browser.post(base, data={"statement": "", "source": "survey"}).status_code == 422
    for text in ("First", "Second"):
        assert browser.post(base, data={"statement": text, "source": "interview", "priority": "1"}).status_code == 303
    needs = world.api("baerum").get(f"/api/v1/procurements/{pid}/needs").json
    assert browser.post(f"{base}/{needs[1]['id']}/move", data={"direction": "up"}).status_code == 303
    listed = world.api("baerum").get(f"/api/v1/procurements/{pid}/needs").json
    assert [n["statement"] for n in listed] == ["Second", "First"]
    edit = browser.get(base, query_string={"edit": needs[0]["id"]}).get_data(as_text=True)
    assert _id_in(edit, f"edit-need-{needs[0]['id']}")
    browser.post(f"{base}/{needs[0]['id']}", data={"statement": "First, edited", "source": "survey", "priority": "3"})
    upload = browser.post(f"/t/baerum/procurements/{pid}/attachments", content_type="multipart/form-data",
                          data={"file": (io.BytesIO(b"%PDF-1.4\n%%EOF"), "bevis.pdf"), "need_id": needs[0]["id"]})
    assert upload.status_code == 303
    page = browser.get(base).get_data(as_text=True)
    assert "First, edited" in page and "bevis.pdf" in page
    attachment = world.api("baerum").get(f"/api/v1/procurements/{pid}/attachments").json[0]
    download = browser.get(f"/t/baerum/procurements/{pid}/attachments/{attachment['id']}")
    assert download.status_code == 200 and download.headers["X-Content-Type-Options"] == "nosniff"
    empty = browser.post(f"/t/baerum/procurements/{pid}/attachments", data={}, content_type="multipart/form-data")
    assert empty.status_code == 422 and _id_in(empty.get_data(as_text=True), "f-file-error")
    assert browser.post(f"{base}/{needs[0]['id']}/delete").status_code == 303
    assert world.api("baerum").get(f"/api/v1/procurements/{pid}/attachments").json == []


def test_import_needs_from_the_page(world):
    version = world.api("baerum").post("/api/v1/tenants/baerum/templates",
                                       json={"content": TEMPLATE, "visibility": "all"}).json
    pid = world.procurement("drammen")["id"]
    browser = world.browser("drammen")
    page = browser.get(f"/t/drammen/procurements/{pid}/needs").get_data(as_text=True)
    assert _id_in(page, "import-needs-form")
    assert browser.post(f"/t/drammen/procurements/{pid}/needs/import",
                        data={"version_id": version["id"]}).status_code == 303
    assert len(world.api("drammen").get(f"/api/v1/procurements/{pid}/needs").json) == len(TEMPLATE["needs"])


def test_publish_template_page_and_tenant_library(world):
    pid = world.procurement()["id"]
    browser = world.browser("baerum")
    assert browser.get(f"/t/baerum/procurements/{pid}/publish-template").status_code == 200
    bad = browser.post(f"/t/baerum/procurements/{pid}/publish-template",
                       data={"title": "T", "visibility": "shared", "shared_with": "", "publish": "0"})
    assert bad.status_code == 422 and _id_in(bad.get_data(as_text=True), "f-shared_with-error")
    saved = browser.post(f"/t/baerum/procurements/{pid}/publish-template",
                         data={"title": "Vår mal", "visibility": "private", "publish": "0"})
    assert saved.status_code == 303 and "/t/baerum/templates/" in saved.headers["Location"]
    template_page = saved.headers["Location"]
    page = browser.get(template_page).get_data(as_text=True)
    assert _id_in(page, "publish-form") and 'data-status="draft"' in page
    tid = template_page.rstrip("/").rsplit("/", 1)[1]
    bad_json = browser.post(f"/t/baerum/templates/{tid}/draft", data={"content": "{oops"})
    assert bad_json.status_code == 422 and _id_in(bad_json.get_data(as_text=True), "f-content-error")
    assert browser.post(f"/t/baerum/templates/{tid}/publish").status_code == 303
    assert browser.post(f"/t/baerum/templates/{tid}/visibility", data={"visibility": "all"}).status_code == 303
    assert f'data-template-id="{tid}"' in world.browser("drammen").get("/arena/").get_data(as_text=True)
    assert world.browser("drammen").get(f"/t/drammen/templates/{tid}").status_code == 404
    assert browser.get("/t/baerum/templates/").status_code == 200


def test_every_page_renders_for_an_observer_without_write_controls(world):
    pid = world.joint(role="observer")["id"]
    browser = world.browser("asker")
    for path in ("", "needs", "gates", "participants", "protocol", "upstream"):
        response = browser.get(f"/t/asker/procurements/{pid}/{path}")
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        for control in ("edit-procurement", "add-need-form", "upload-form", "transition-form", "invite-form"):
            assert not _id_in(html, control), (path, control)
    assert browser.get(f"/t/asker/procurements/{pid}/edit").status_code == 403
    refused = browser.post(f"/t/asker/procurements/{pid}/needs", data={"statement": "x", "source": "survey"})
    assert refused.status_code == 403
