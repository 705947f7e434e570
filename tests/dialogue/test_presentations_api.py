"""Conference presentations through the API: upload (multipart, the same size limit and content
sniffing as the page's upload, both through `core.files`), listing and removal; every registered
supplier gets them at once and is told, nobody else reads them."""

from __future__ import annotations

import io

from tests.dialogue.helpers import audit_entries, outbox
from tests.dialogue.test_conference import put_conference

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03" + b"\x00" * 60


def _upload(w, token, data: bytes, name: str, **extra):
    return w.api("post", f"/api/v1/procurements/{w.pid}/conference/presentations", token,
                 data={"file": (io.BytesIO(data), name), **extra}, content_type="multipart/form-data")


def _listing(w, token):
    return w.api("get", f"/api/v1/procurements/{w.pid}/conference/presentations", token)


def test_upload_list_and_download_for_every_registered_supplier(open_world):
    w = open_world
    put_conference(w)
    before_mail = len(outbox(w))
    r = _upload(w, w.officer_token, PNG, "../Løsninger i dag.pdf")  # the content decides, not the name
    assert r.status_code == 201, r.get_data(as_text=True)
    presentation = r.json
    assert presentation["content_type"] == "image/png" and presentation["filename"] == "Løsninger i dag.png"
    assert presentation["size"] == len(PNG)
    for token in (w.officer_token, w.asker_member_token, w.a, w.b):
        listed = _listing(w, token)
        assert listed.status_code == 200 and [p["id"] for p in listed.json] == [presentation["id"]]
        download = w.api("get", listed.json[0]["url"], token)
        assert download.status_code == 200 and download.get_data() == PNG
    # The conference view lists the same files.
    assert [p["id"] for p in w.api("get", f"/api/v1/procurements/{w.pid}/conference", w.a).json["presentations"]] \
        == [presentation["id"]]
    # Every registered supplier was told at once; the unregistered one was not.
    told = sorted(to for to, _s, _b in outbox(w)[before_mail:])
    assert told == ["post@omsorg.test", "post@trygg.test"]
    entry = audit_entries(w, "conference.presentation_added")[-1]
    assert entry["changes"]["after"]["filename"] == "Løsninger i dag.png"
    # Unregistered suppliers and other tenants read nothing; a later registration reads it too.
    assert _listing(w, w.c).status_code == 404
    assert w.api("get", presentation["url"], w.c).status_code == 404
    assert _listing(w, w.outsider_token).status_code == 404
    assert w.api("post", f"/api/v1/procurements/{w.pid}/registrations", w.c).status_code == 201
    assert [p["id"] for p in _listing(w, w.c).json] == [presentation["id"]]


def test_only_the_project_group_uploads_and_removes(open_world):
    w = open_world
    put_conference(w)
    assert _upload(w, w.a, PDF, "a.pdf").status_code == 404       # a supplier
    assert _upload(w, w.outsider_token, PDF, "a.pdf").status_code == 404
    assert _upload(w, w.asker_member_token, PDF, "a.pdf").status_code == 403  # reads, does not write
    presentation = _upload(w, w.asker_officer_token, PDF, "a.pdf").json  # the partner's officer writes
    url = f"/api/v1/procurements/{w.pid}/conference/presentations/{presentation['id']}"
    for token in (w.a, w.c, w.outsider_token):
        assert w.api("delete", url, token).status_code == 404
    assert w.api("delete", url, w.asker_member_token).status_code == 403
    assert w.api("delete", url, w.officer_token).status_code == 204
    assert _listing(w, w.a).json == []
    assert w.api("delete", url, w.officer_token).status_code == 404
    assert audit_entries(w, "conference.presentation_removed")


def test_same_limits_and_sniffing_as_the_page(open_world):
    w = open_world
    put_conference(w)
    w.app.config["SAMSPILL_MAX_UPLOAD_BYTES"] = 100
    page = f"/t/baerum/procurements/{w.pid}/dialogue/conference/presentations"
    cases = [(PDF + b"x" * 200, "big.pdf", 413), (EXE, "tool.txt", 415), (b"", "empty.txt", 422),
             (b"\xff\xfe\x00bad", "notes.txt", 415)]
    for data, name, status in cases:
        r = _upload(w, w.officer_token, data, name)
        assert r.status_code == status and r.mimetype == "application/problem+json", (name, r.status_code)
        assert "file" in r.json["errors"]
        w.login(w.officer)
        html = w.client.post(page, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")
        assert html.status_code == status and 'id="form-error"' in html.get_data(as_text=True), name
    missing = w.api("post", f"/api/v1/procurements/{w.pid}/conference/presentations", w.officer_token,
                    data={}, content_type="multipart/form-data")
    assert missing.status_code == 422 and missing.json["errors"] == {"file": ["Choose a file."]}
    assert _listing(w, w.officer_token).json == []
    assert _upload(w, w.officer_token, PDF, "small.pdf").status_code == 201


def test_no_presentation_without_a_conference(open_world):
    w = open_world
    assert _upload(w, w.officer_token, PDF, "a.pdf").status_code == 404
    assert _listing(w, w.officer_token).json == []
