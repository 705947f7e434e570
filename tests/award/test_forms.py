"""The award's HTML forms: blind scores per tender, the lead's consensus, rejection and decision,
the tenderer's complaint in the portal with the lead's suspend/answer/resume, and each buyer
signing its own contract — bad input comes back next to its field, others get 404."""

from __future__ import annotations

import io
import uuid

from sqlalchemy import select

from core.award.models import Assessment, Complaint
from core.db import db
from core.procurement.models import Attachment
from tests.award.conftest import CONSENSUS_A, CONSENSUS_B, decided, declare, outbox_to, standstill_passed, url

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
NAMES = ("Brukervennlighet", "Treffsikkerhet", "Implementering og gevinst")


def _form(w, values, note: str, prefix: str = "", text: str = "Begrunnelse nummer") -> dict:
    data = {}
    for name, value in zip(NAMES, values, strict=True):
        key = w.criteria[name]
        data[f"{prefix}score-{key}"] = str(value)
        data[f"{note}-{key}"] = f"{text} {name}"
    return data


def _tender_url(w, tender) -> str:
    return f"/t/baerum/procurements/{w.pid}/award/tenders/{tender}/"


def test_evaluators_score_blind_through_the_form(opened):
    w = opened
    one = w.login(w.eval1)
    page = _tender_url(w, w.tender_a)
    assert one.get(page).status_code == 404  # not declared yet
    assert declare(w, w.eval1_token).status_code == 200
    html = one.get(page).get_data(as_text=True)
    assert 'id="scores-form"' in html
    bad = _form(w, (7, 11, 5), "justification")
    bad["justification-" + w.criteria["Brukervennlighet"]] = ""
    r = one.post(page + "scores", data={**bad, "submit": "yes"})
    body = r.get_data(as_text=True)
    assert r.status_code == 422
    assert f'id="f-score-{w.criteria["Treffsikkerhet"]}-error"' in body
    assert f'id="f-justification-{w.criteria["Brukervennlighet"]}-error"' in body
    r = one.post(page + "scores", data={**_form(w, (7, 6, 5), "justification"), "submit": "no"})
    assert r.status_code == 303  # a draft
    assert 'value="7"' in one.get(page).get_data(as_text=True)
    r = one.post(page + "scores", data={**_form(w, (7, 6, 5), "justification"), "submit": "yes"})
    assert r.status_code == 303
    html = one.get(page).get_data(as_text=True)
    assert 'id="scores-submitted"' in html and 'id="scores-form"' not in html
    # the second evaluator does not see the first's scores before submitting its own
    two = w.login(w.eval2, w.app.test_client())
    assert declare(w, w.eval2_token).status_code == 200
    assert "Begrunnelse nummer" not in two.get(page).get_data(as_text=True)
    two.post(page + "scores", data={**_form(w, (8, 6, 6), "justification", text="Andre sin"), "submit": "yes"})
    assert "Begrunnelse nummer Treffsikkerhet" in two.get(page).get_data(as_text=True)
    assert "Andre sin Treffsikkerhet" in one.get(page).get_data(as_text=True)
    # an evaluator gets no consensus or rejection form; an outsider gets 404
    assert 'id="consensus-form"' not in html and 'id="reject-form"' not in html
    assert one.post(page + "consensus", data=_form(w, CONSENSUS_A, "motivation", "c-")).status_code == 403
    outsider = w.login(w.outsider, w.app.test_client())
    assert outsider.get(f"/t/drammen/procurements/{w.pid}/award/tenders/{w.tender_a}/").status_code == 404


def test_lead_sets_consensus_rejects_and_decides_through_the_forms(opened):
    w = opened
    lead = w.login(w.officer)
    assert declare(w, w.officer_token).status_code == 200
    base = f"/t/baerum/procurements/{w.pid}/award/"
    assert 'class="tender-link"' in lead.get(base).get_data(as_text=True)
    r = lead.post(_tender_url(w, w.tender_a) + "consensus", data=_form(w, (8, 12, 7), "motivation", "c-"))
    assert r.status_code == 422
    assert f'id="f-c-score-{w.criteria["Treffsikkerhet"]}-error"' in r.get_data(as_text=True)
    for tender, values in ((w.tender_a, CONSENSUS_A), (w.tender_b, CONSENSUS_B)):
        r = lead.post(_tender_url(w, tender) + "consensus", data=_form(w, values, "motivation", "c-"))
        assert r.status_code == 303, r.get_data(as_text=True)
    html = lead.get(base).get_data(as_text=True)
    assert 'id="decision-form"' in html and "data-confirm" in html
    r = lead.post(base + "decision", data={"tender-0": w.tender_a, "reason-0": "kort"})
    assert r.status_code == 422 and 'id="f-reason-0-error"' in r.get_data(as_text=True)
    r = lead.post(base + "decision", data={"tender-0": w.tender_a,
                                            "reason-0": "Best på brukervennlighet og implementering."})
    assert r.status_code == 303
    html = lead.get(base).get_data(as_text=True)
    assert 'id="award-decision"' in html and 'id="decision-form"' not in html


def test_lead_rejects_a_tender_with_a_ground(opened):
    w = opened
    lead = w.login(w.officer)
    assert declare(w, w.officer_token).status_code == 200
    page = _tender_url(w, w.tender_b)
    r = lead.post(page + "rejection", data={"ground": "", "reason": "Mangler dokumentasjon."})
    assert r.status_code == 422 and 'id="f-ground-error"' in r.get_data(as_text=True)
    r = lead.post(page + "rejection", data={"ground": "foa-24-8-1b", "reason": "Vesentlige avvik fra kravene."})
    assert r.status_code == 303
    html = lead.get(page).get_data(as_text=True)
    assert 'id="rejected"' in html and 'id="reject-form"' not in html


def test_a_complaint_in_the_portal_and_the_lead_suspends_answers_and_resumes(opened):
    w = opened
    decided(w)
    supplier = w.login(w.b_user)
    letter = f"/supplier/award/{w.pid}/"
    assert 'id="complaint-form"' in supplier.get(letter).get_data(as_text=True)
    r = supplier.post(letter + "complaints", data={"text": "kort"})
    assert r.status_code == 422 and 'id="f-text-error"' in r.get_data(as_text=True)
    r = supplier.post(letter + "complaints", data={"text": "Poengene for brukervennlighet er feil."})
    assert r.status_code == 303
    assert "Poengene for brukervennlighet er feil." in supplier.get(letter).get_data(as_text=True)
    other = w.login(w.c_user, w.app.test_client())
    assert other.post(letter + "complaints", data={"text": "Jeg klager også på dette."}).status_code == 404
    lead = w.login(w.officer, w.app.test_client())
    base = f"/t/baerum/procurements/{w.pid}/award/"
    assert 'id="suspend"' in lead.get(base).get_data(as_text=True)
    assert lead.post(base + "complaints", data={"action": "suspend"}).status_code == 303
    assert 'id="suspended"' in lead.get(base).get_data(as_text=True)
    with w.app.app_context():
        cid = str(db.session.execute(select(Complaint.id)).scalar_one())
    r = lead.post(base + "complaints", data={"action": "answer", "complaint_id": cid, f"answer-{cid}": "nei"})
    assert r.status_code == 422 and f'id="f-answer-{cid}-error"' in r.get_data(as_text=True)
    r = lead.post(base + "complaints", data={"action": "answer", "complaint_id": cid,
                                              f"answer-{cid}": "Poengene er kontrollert og står fast."})
    assert r.status_code == 303
    assert lead.post(base + "complaints", data={"action": "resume"}).status_code == 303
    assert 'id="suspend"' in lead.get(base).get_data(as_text=True)
    assert "Poengene er kontrollert" in supplier.get(letter).get_data(as_text=True)


def test_each_buyer_signs_its_own_contract_through_the_form(opened):
    w = opened
    decided(w)
    asker = w.login(w.asker_officer)
    base = f"/t/asker/procurements/{w.pid}/award/"
    contracts = w.api("get", url(w, "/contracts"), w.officer_token).get_json()["items"]
    mine = next(c for c in contracts if c["buyer"] == "Asker kommune")["id"]
    theirs = next(c for c in contracts if c["buyer"] == "Bærum kommune")["id"]
    html = asker.get(base).get_data(as_text=True)
    assert html.count('class="sign-form"') == 1
    r = asker.post(base + f"contracts/{mine}/signature", data={
        f"signed_on-{mine}": "2026-12-20", f"document-{mine}": (io.BytesIO(PDF), "for-tidlig.pdf")},
        content_type="multipart/form-data")
    with w.app.app_context():  # refused: no document is stored
        assert db.session.execute(select(Attachment.id)).first() is None
    assert r.status_code == 409 and 'class="error-summary"' in r.get_data(as_text=True)  # not before it ends
    standstill_passed(w)
    r = asker.post(base + f"contracts/{mine}/signature", data={})
    assert r.status_code == 422 and f'id="f-signed_on-{mine}-error"' in r.get_data(as_text=True)
    assert asker.post(base + f"contracts/{theirs}/signature",
                      data={f"signed_on-{theirs}": "2026-12-20"}).status_code == 404
    r = asker.post(base + f"contracts/{mine}/signature", data={
        f"signed_on-{mine}": "2026-12-20", f"document-{mine}": (io.BytesIO(PDF), "kontrakt-asker.pdf")},
        content_type="multipart/form-data")
    assert r.status_code == 303, r.get_data(as_text=True)
    signed = w.api("get", f"/api/v1/contracts/{mine}", w.asker_officer_token).get_json()
    assert signed["signed_on"] == "2026-12-20" and signed["document_id"]
    html = asker.get(base).get_data(as_text=True)
    assert "2026-12-20" in html and 'class="sign-form"' not in html


def test_a_cancelled_procurement_shows_no_scoring_forms(opened):
    w = opened
    assert declare(w, w.officer_token).status_code == 200
    r = w.api("post", url(w, "/cancel"), w.officer_token, json={"reason": "Budsjettet falt bort."})
    assert r.status_code == 200, r.get_data(as_text=True)
    html = w.login(w.officer).get(_tender_url(w, w.tender_a)).get_data(as_text=True)
    assert 'id="scores-form"' not in html and 'id="consensus-form"' not in html and 'id="reject-form"' not in html


def test_lead_qualifies_and_rejects_through_the_forms_with_messages_next_to_the_fields(opened):
    w = opened
    lead = w.login(w.officer)
    assert declare(w, w.officer_token).status_code == 200
    # linked from the competition's page of opened tenders
    tenders = lead.get(f"/t/baerum/procurements/{w.pid}/competition/tenders").get_data(as_text=True)
    assert f'href="{_tender_url(w, w.tender_a)}"' in tenders
    page = _tender_url(w, w.tender_a)
    html = lead.get(page).get_data(as_text=True)
    assert 'id="qualification-form"' in html and "Leverandøren har drift av responssenter i dag." in html
    r = lead.post(page + "qualification", data={"qualified": "", "qualification_reason": ""})
    body = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'id="f-qualified-error"' in body and 'id="f-qualification_reason-error"' in body
    assert 'href="#f-qualification_reason"' in body
    r = lead.post(page + "qualification", data={"qualified": "yes",
                                                 "qualification_reason": "Oppfyller kravet om responssenter."})
    assert r.status_code == 303
    html = lead.get(page).get_data(as_text=True)
    assert 'id="qualification-state"' in html and "Oppfyller kravet om responssenter." in html
    row = w.in_system(lambda: db.session.execute(select(Assessment.qualified, Assessment.rejected_at).where(
        Assessment.tender_id == uuid.UUID(w.tender_a))).one())
    assert tuple(row) == (True, None)
    # rejection: an unknown ground and a missing reason come back next to their fields; nothing is written
    other = _tender_url(w, w.tender_b)
    assert 'data-confirm=' in lead.get(other).get_data(as_text=True).split('id="reject-form"')[1].split(">")[0]
    r = lead.post(other + "rejection", data={"ground": "foa-99-9", "reason": ""})
    body = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'id="f-ground-error"' in body and 'id="f-reason-error"' in body
    r = lead.post(other + "qualification", data={"qualified": "no", "qualification_reason": "Mangler responssenter."})
    assert r.status_code == 303
    told = len(outbox_to(w, "post@omsorg.test"))
    r = lead.post(other + "rejection", data={"ground": "foa-24-8-1a", "reason": "Oppfyller ikke kvalifikasjonskravet."})
    assert r.status_code == 303
    html = lead.get(other).get_data(as_text=True)
    assert 'id="rejected"' in html and 'id="qualification-form"' not in html and 'id="reject-form"' not in html
    assert len(outbox_to(w, "post@omsorg.test")) == told + 1  # the tenderer is told
    # an evaluator sees neither form, and posting is refused
    assert declare(w, w.eval1_token).status_code == 200
    one = w.login(w.eval1, w.app.test_client())
    assert 'id="qualification-form"' not in one.get(page).get_data(as_text=True)
    assert one.post(page + "qualification", data={"qualified": "no", "qualification_reason": "Nei nei nei"}
                    ).status_code == 403
