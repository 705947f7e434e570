"""Attachments: storage behind core.files, size limit, sniffed type and allow-list, safe names,
download headers, access like the procurement, evidence on needs, deletion."""

from __future__ import annotations

import io

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _upload(api, pid, data, name, **form):
    return api.post(f"/api/v1/procurements/{pid}/attachments",
                    data={"file": (io.BytesIO(data), name), **form}, content_type="multipart/form-data")


def test_upload_download_with_safe_headers(world):
    pid = world.procurement()["id"]
    api = world.api("baerum")
    uploaded = _upload(api, pid, PDF, "../../etc/Behov Bærum.pdf")
    assert uploaded.status_code == 201, uploaded.get_data(as_text=True)
    assert uploaded.json["filename"] == "Behov Bærum.pdf" and uploaded.json["content_type"] == "application/pdf"
    download = world.api("baerum", "viewer").get(f"/api/v1/procurements/{pid}/attachments/{uploaded.json['id']}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''Behov%20B%C3%A6rum.pdf" in disposition


def test_type_is_sniffed_not_trusted(world):
    pid = world.procurement()["id"]
    api = world.api("baerum")
    disguised = _upload(api, pid, PNG, "report.pdf")
    assert disguised.status_code == 201 and disguised.json["content_type"] == "image/png"
    assert disguised.json["filename"] == "report.png"
    html = _upload(api, pid, b"<html><script>alert(1)</script></html>", "page.html")
    assert html.status_code == 415
    exe = _upload(api, pid, b"MZ\x90\x00\x03" + b"\x00" * 100, "tool.txt")
    assert exe.status_code == 415
    text = _upload(api, pid, "Notater fra verksted, æøå\n".encode(), "notes.txt")
    assert text.status_code == 201 and text.json["content_type"] == "text/plain"
    listed = api.get(f"/api/v1/procurements/{pid}/attachments").json
    assert [a["filename"] for a in listed] == ["report.png", "notes.txt"]


def test_size_limit_from_config(app, world):
    app.config["SAMSPILL_MAX_UPLOAD_BYTES"] = 100
    pid = world.procurement()["id"]
    api = world.api("baerum")
    assert _upload(api, pid, PDF + b"x" * 200, "big.pdf").status_code == 413
    assert _upload(api, pid, b"", "empty.txt").status_code == 422
    assert _upload(api, pid, PDF, "small.pdf").status_code == 201


def test_evidence_on_a_need_and_deletion_removes_the_bytes(app, world):
    pid = world.procurement()["id"]
    api = world.api("baerum")
    need = api.post(f"/api/v1/procurements/{pid}/needs", json={"statement": "x", "source": "survey"}).json
    evidence = _upload(api, pid, PDF, "evidence.pdf", need_id=need["id"])
    assert evidence.status_code == 201 and evidence.json["need_id"] == need["id"]
    other = world.procurement(title="Other")["id"]
    assert _upload(api, other, PDF, "x.pdf", need_id=need["id"]).status_code == 404
    store = app.extensions["samspill.file_store"]
    with app.app_context():
        from core.db import db
        from core.procurement.models import Attachment
        key = db.session.get(Attachment, __import__("uuid").UUID(evidence.json["id"])).storage_key
    assert store._path(key).exists()
    assert api.delete(f"/api/v1/procurements/{pid}/needs/{need['id']}").status_code == 204
    assert not store._path(key).exists()
    assert api.get(f"/api/v1/procurements/{pid}/attachments").json == []


def test_only_uploader_or_lead_deletes_and_observer_cannot_upload(world):
    pid = world.joint(role="buyer")["id"]
    buyer = world.api("asker")
    mine = _upload(buyer, pid, PDF, "asker.pdf").json
    lead_file = _upload(world.api("baerum"), pid, PDF, "baerum.pdf").json
    assert buyer.delete(f"/api/v1/procurements/{pid}/attachments/{lead_file['id']}").status_code == 403
    assert world.api("baerum").delete(f"/api/v1/procurements/{pid}/attachments/{mine['id']}").status_code == 204
    observed = world.joint(role="observer", title="Observed")["id"]
    assert _upload(world.api("asker"), observed, PDF, "x.pdf").status_code == 403


def test_failed_transaction_leaves_no_file_behind(app, world):
    """A file stored in a transaction that rolls back is removed again."""
    from core.files import LocalFileStore

    pid = world.procurement()["id"]
    api = world.api("baerum")
    _upload(api, pid, PDF, "ok.pdf")
    store: LocalFileStore = app.extensions["samspill.file_store"]
    before = {p for p in store.root.rglob("*") if p.is_file()}
    assert _upload(api, pid, PDF, "x.pdf", need_id="00000000-0000-0000-0000-000000000000").status_code == 404
    assert {p for p in store.root.rglob("*") if p.is_file()} == before
