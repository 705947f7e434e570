"""Feedback and solution proposals: drafts, submission, changes until the hard deadline,
business secrets (marked inside, left out outside), side-by-side overview and its exports."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from core.db import db, utcnow
from tests.dialogue.helpers import (
    SECRET,
    answer_body,
    make_questionnaire,
    questionnaire_with_secret_response,
    set_lang,
)


def _expire(w, questionnaire_id):
    from core.dialogue.models import Questionnaire

    def move():
        db.session.get(Questionnaire, uuid.UUID(questionnaire_id)).deadline = utcnow() - timedelta(seconds=1)

    w.in_system(move)


def _rows(w, model) -> int:
    with w.app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_draft_save_submit_and_change_until_deadline(open_world):
    w = open_world
    q = make_questionnaire(w)
    path = f"/api/v1/questionnaires/{q['id']}/response"
    assert w.api("get", path, w.a).json["status"] == "none"
    draft = w.api("put", path, w.a, json=answer_body(q, "Utkast", submit=False))
    assert draft.status_code == 200 and draft.json["status"] == "draft"
    # Drafts are the supplier's own: the project group sees no content.
    listing = w.api("get", f"/api/v1/questionnaires/{q['id']}/responses", w.officer_token).json
    assert listing["responses"] == [] and listing["drafts"] == 1
    submitted = w.api("put", path, w.a, json={**answer_body(q, "Endelig"), "version": draft.json["version"]})
    assert submitted.json["status"] == "submitted" and submitted.json["submitted_at"]
    changed = w.api("put", path, w.a, json=answer_body(q, "Endret før fristen"))
    assert changed.json["status"] == "submitted"
    [response] = w.api("get", f"/api/v1/questionnaires/{q['id']}/responses", w.officer_token).json["responses"]
    assert response["answers"][0]["value"] == "Endret før fristen"
    # A stale version is refused (lost update).
    stale = w.api("put", path, w.a, json={**answer_body(q, "x"), "version": draft.json["version"]})
    assert stale.status_code == 412


def test_required_answers_and_valid_choices(open_world):
    w = open_world
    q = make_questionnaire(w)
    path = f"/api/v1/questionnaires/{q['id']}/response"
    qs = q["questions"]
    r = w.api("put", path, w.a, json={"answers": [{"question_id": qs[1]["id"], "value": "Ukjent"}], "submit": True})
    assert r.status_code == 422
    assert set(r.json["errors"]) == {f"q-{qs[1]['id']}", f"q-{qs[0]['id']}"}
    secret_without_reason = {"answers": [{"question_id": qs[0]["id"], "value": "x", "business_secret": True}]}
    assert w.api("put", path, w.a, json=secret_without_reason).status_code == 422
    from core.dialogue.models import QuestionnaireResponse

    assert _rows(w, QuestionnaireResponse) == 0  # refused input leaves no half-written row


def test_late_submission_refused_and_nothing_stored(open_world):
    from core.dialogue.models import DialogueAttachment, QuestionnaireResponse, ResponseAnswer

    w = open_world
    q = make_questionnaire(w)
    path = f"/api/v1/questionnaires/{q['id']}/response"
    w.api("put", path, w.a, json=answer_body(q, "Før fristen"))
    before = (_rows(w, QuestionnaireResponse), _rows(w, ResponseAnswer), _rows(w, DialogueAttachment))
    _expire(w, q["id"])
    late = w.api("put", path, w.a, json=answer_body(q, "Etter fristen"))
    assert late.status_code == 409 and late.json["type"].endswith("/deadline-passed")
    assert "deadline" in late.json["detail"].lower()
    first_time = w.api("put", path, w.b, json=answer_body(q, "For sent"))
    assert first_time.status_code == 409
    upload = w.api("post", f"{path}/attachments", w.b,
                   data={"question_id": q["questions"][3]["id"], "file": (io.BytesIO(b"x\n"), "a.txt")},
                   content_type="multipart/form-data")
    assert upload.status_code == 409
    assert (_rows(w, QuestionnaireResponse), _rows(w, ResponseAnswer), _rows(w, DialogueAttachment)) == before
    [response] = w.api("get", f"/api/v1/questionnaires/{q['id']}/responses", w.officer_token).json["responses"]
    assert response["answers"][0]["value"] == "Før fristen"
    # The HTML form says so clearly and stores nothing either.
    w.login(w.b_user)
    page = w.client.post(f"/supplier/dialogues/{w.pid}/questionnaires/{q['id']}",
                         data={f"q-{q['questions'][0]['id']}": "HTML for sent", "action": "submit"})
    assert page.status_code == 409 and 'id="form-error"' in page.get_data(as_text=True)
    assert 'id="deadline-passed"' in page.get_data(as_text=True)
    assert _rows(w, QuestionnaireResponse) == before[0]


def test_unopened_questionnaire_is_invisible_to_suppliers(open_world):
    w = open_world
    q = make_questionnaire(w, open_now=False)
    assert w.api("get", f"/api/v1/questionnaires/{q['id']}/response", w.a).status_code == 404
    assert w.api("get", f"/api/v1/procurements/{w.pid}/questionnaires", w.a).json == []
    assert w.api("post", f"/api/v1/questionnaires/{q['id']}/open", w.officer_token).status_code == 200
    assert [x["id"] for x in w.api("get", f"/api/v1/procurements/{w.pid}/questionnaires", w.b).json] == [q["id"]]


def test_attachment_answers(open_world):
    w = open_world
    q = make_questionnaire(w)
    path = f"/api/v1/questionnaires/{q['id']}/response"
    upload = w.api("post", f"{path}/attachments", w.a,
                   data={"question_id": q["questions"][3]["id"], "file": (io.BytesIO(b"Produktark\n"), "ark.txt")},
                   content_type="multipart/form-data")
    assert upload.status_code == 201, upload.get_data(as_text=True)
    body = answer_body(q, "Med vedlegg")
    body["answers"].append({"question_id": q["questions"][3]["id"], "value": [upload.json["id"]]})
    assert w.api("put", path, w.a, json=body).status_code == 200
    [response] = w.api("get", f"/api/v1/questionnaires/{q['id']}/responses", w.officer_token).json["responses"]
    [file] = response["files"]
    assert w.api("get", file["url"], w.asker_member_token).get_data() == b"Produktark\n"
    # B cannot reference A's file.
    other = answer_body(q, "B")
    other["answers"].append({"question_id": q["questions"][3]["id"], "value": [upload.json["id"]]})
    assert w.api("put", path, w.b, json=other).status_code == 422


def test_response_form_in_the_portal(open_world):
    w = open_world
    q = make_questionnaire(w)
    qs = q["questions"]
    w.login(w.a_user)
    page = w.client.get(f"/supplier/dialogues/{w.pid}/questionnaires/{q['id']}").get_data(as_text=True)
    assert 'id="response-form"' in page and 'id="submit-response"' in page
    r = w.client.post(f"/supplier/dialogues/{w.pid}/questionnaires/{q['id']}", data={
        f"q-{qs[0]['id']}": "Fra skjemaet", f"q-{qs[1]['id']}": "Pilot", f"q-{qs[2]['id']}": ["SCAIP", "Normen"],
        f"secret-{qs[0]['id']}": "on", f"reason-{qs[0]['id']}": "Arkitektur",
        f"file-{qs[3]['id']}": (io.BytesIO(b"Vedlegg\n"), "vedlegg.txt"), "action": "submit"},
        content_type="multipart/form-data")
    assert r.status_code == 302, r.get_data(as_text=True)
    own = w.api("get", f"/api/v1/questionnaires/{q['id']}/response", w.a).json
    assert own["status"] == "submitted"
    by_question = {a["question_id"]: a for a in own["answers"]}
    assert by_question[qs[0]["id"]]["business_secret"] is True
    assert by_question[qs[2]["id"]]["value"] == ["SCAIP", "Normen"]
    assert [f["filename"] for f in own["files"]] == ["vedlegg.txt"]


def test_side_by_side_for_both_municipalities(open_world):
    w = open_world
    questionnaire_with_secret_response(w)
    q = w.api("get", f"/api/v1/procurements/{w.pid}/questionnaires", w.officer_token).json[0]
    w.login(w.asker_member)  # the partner municipality's member reads both side by side
    page = w.client.get(f"/t/asker/procurements/{w.pid}/dialogue/questionnaires/{q['id']}/responses")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="responses-table"' in html
    assert "Trygg Teknologi AS" in html and "Omsorgsdata AS" in html and 'data-secret="true"' in html


def test_exports_mark_secrets_inside_and_leave_them_out_outside(open_world):
    w = open_world
    questionnaire_with_secret_response(w)
    q = w.api("get", f"/api/v1/procurements/{w.pid}/questionnaires", w.officer_token).json[0]
    base = f"/api/v1/questionnaires/{q['id']}/export"
    internal = w.api("get", f"{base}?format=csv&variant=internal", w.officer_token).get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(internal)))
    secret_row = next(r for r in rows if r["answer"] == SECRET)
    assert secret_row["business_secret"] == "yes" and secret_row["secret_reason"] == "Prismodell"
    for fmt in ("csv", "xlsx"):
        external = w.api("get", f"{base}?format={fmt}&variant=external", w.officer_token)
        assert external.status_code == 200
        text = external.get_data(as_text=True) if fmt == "csv" else _xlsx_text(external.get_data())
        assert SECRET not in text and "Prismodell" not in text and "withheld" in text
        assert "Åpen plattform" in text  # what is not secret is there
    internal_xlsx = _xlsx_text(w.api("get", f"{base}?format=xlsx&variant=internal", w.officer_token).get_data())
    assert SECRET in internal_xlsx and "[BUSINESS SECRET]" in internal_xlsx
    # The default is the external variant; the internal one needs write access in the procurement.
    assert SECRET not in w.api("get", base, w.officer_token).get_data(as_text=True)
    assert w.api("get", f"{base}?variant=internal", w.asker_member_token).status_code == 403
    assert SECRET not in w.api("get", base, w.asker_member_token).get_data(as_text=True)
    # HTML export links do the same.
    w.login(w.officer)
    html_external = w.client.get(f"/t/baerum/procurements/{w.pid}/dialogue/questionnaires/{q['id']}/export.csv"
                                 "?variant=external").get_data(as_text=True)
    assert SECRET not in html_external


def test_export_neutralises_formulas(open_world):
    w = open_world
    q = make_questionnaire(w)
    w.api("put", f"/api/v1/questionnaires/{q['id']}/response", w.a, json=answer_body(q, "=HYPERLINK(\"x\")"))
    text = w.api("get", f"/api/v1/questionnaires/{q['id']}/export?format=csv", w.officer_token).get_data(as_text=True)
    assert "'=HYPERLINK" in text


def _xlsx_text(data: bytes) -> str:
    book = load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value)


def test_business_secrets_never_reach_a_published_template(open_world):
    w = open_world
    questionnaire_with_secret_response(w)
    published = w.api("post", f"/api/v1/procurements/{w.pid}/publish-template", w.officer_token,
                      json={"title": "Tryggere hverdag (mal)", "visibility": "all"})
    assert published.status_code == 201, published.get_data(as_text=True)[:300]
    text = published.get_data(as_text=True)
    assert SECRET not in text and "Prismodell" not in text and "Åpen plattform" not in text


@pytest.mark.parametrize("variant", ["bogus", "Internal", ""])
def test_export_refuses_an_unknown_variant(open_world, variant):
    """A misspelt variant is refused (422) in the API and on the page, never answered with an export."""
    w = open_world
    questionnaire_with_secret_response(w)
    q = w.api("get", f"/api/v1/procurements/{w.pid}/questionnaires", w.officer_token).json[0]
    for fmt in ("csv", "xlsx"):
        r = w.api("get", f"/api/v1/questionnaires/{q['id']}/export?format={fmt}&variant={variant}", w.officer_token)
        assert r.status_code == 422 and r.mimetype == "application/problem+json"
        problem = r.json
        assert problem["allowed"] == ["internal", "external"]
        assert "internal" in problem["detail"] and "external" in problem["detail"]
        assert problem["errors"] == {"variant": ["Must be one of: internal, external."]}
    w.login(w.officer)
    for lang, wanted in (("nb", "Ukjent eksportvariant"), ("en", "Unknown export variant")):
        set_lang(w.client, lang)
        page = w.client.get(f"/t/baerum/procurements/{w.pid}/dialogue/questionnaires/{q['id']}/export.csv"
                            f"?variant={variant}")
        html = page.get_data(as_text=True)
        assert page.status_code == 422 and page.mimetype == "text/html"
        assert 'id="form-error"' in html and wanted in html
        assert 'id="export-csv-internal"' in html and page.headers.get("Content-Disposition") is None
    # the audit records no export that never happened
    log = w.api("get", f"/api/v1/procurements/{w.pid}/audit", w.officer_token).get_data(as_text=True)
    assert "responses.exported" not in log


def test_response_error_summary_names_the_question_and_links_to_its_field(open_world):
    w = open_world
    q = make_questionnaire(w, questions=[
        {"kind": "text", "text": "Beskriv løsningen", "required": True},
        {"kind": "choice", "text": "Modenhet", "options": ["Idé", "Pilot"], "required": True},
        {"kind": "text", "text": "Pris"},
        {"kind": "attachment", "text": "Produktark", "required": True}])
    qs = q["questions"]
    w.login(w.a_user)
    set_lang(w.client, "nb")
    url = f"/supplier/dialogues/{w.pid}/questionnaires/{q['id']}"
    r = w.client.post(url, data={f"q-{qs[2]['id']}": "Hemmelig pris", f"secret-{qs[2]['id']}": "on",
                                 "action": "submit"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    summary = html.split('id="form-error"')[1].split("</div>")[0]
    links = re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', summary)
    assert [target for target, _m in links] == [f"f-q-{qs[0]['id']}", f"f-q-{qs[1]['id']}-1",
                                                f"f-reason-{qs[2]['id']}", f"f-file-{qs[3]['id']}"]
    assert [m.split(":")[0] for _t, m in links] == ["Spørsmål 1", "Spørsmål 2", "Spørsmål 3", "Spørsmål 4"]
    for target, _m in links:
        assert f'id="{target}"' in html
    assert f'aria-describedby="f-q-{qs[1]["id"]}-error"' in html  # the choice's fieldset names its error
    assert w.api("get", f"/api/v1/questionnaires/{q['id']}/response", w.a).status_code in (200, 404)
    own = w.api("get", f"/api/v1/questionnaires/{q['id']}/response", w.a).json
    assert not own or own.get("status") != "submitted"
