"""Sealed until the opening: a unique marker written into a tender's answer and file appears in
no API response, no page, no export, not in the database's bytes (a `pg_dump` on PostgreSQL,
the database file on SQLite) nor in the stored files; after the opening the project group
reads it (and each read is logged)."""

from __future__ import annotations

import io
import os
import subprocess
import uuid
from pathlib import Path

from sqlalchemy.engine import make_url

from tests.competition.conftest import declare_impartiality, set_times, tender_body


def _database_bytes(app) -> bytes:
    owner_url = app.config["SAMSPILL_OWNER_DATABASE_URL"]
    url = make_url(owner_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database)
        return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if p.exists())
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = url.password
    args = ["pg_dump", "--data-only", "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432),
            "-U", url.username or "postgres", url.database]
    return subprocess.run(args, check=True, capture_output=True, env=env, timeout=120).stdout


def _stored_files(app) -> bytes:
    root = Path(app.instance_path) / "uploads"
    return b"".join(p.read_bytes() for p in root.rglob("*") if p.is_file())


def _everything_visible(w) -> list[str]:
    """Every API answer and page of the competition and the procurement a non-author can reach."""
    pid = w.pid
    texts = []
    for token in (w.officer_token, w.asker_member_token, w.asker_officer_token):
        for tail in ("/competition", "/tenders", "/opening", "/competition/questions", "/audit", "/protocol"):
            texts.append(w.api("get", f"/api/v1/procurements/{pid}{tail}", token).get_data(as_text=True))
    for token in (w.b, w.c):
        for tail in ("/competition", "/tender", "/competition/questions"):
            texts.append(w.api("get", f"/api/v1/procurements/{pid}{tail}", token).get_data(as_text=True))
        texts.append(w.api("get", "/api/v1/market/competitions", token).get_data(as_text=True))
    client = w.app.test_client()
    w.login(w.officer, client)
    for path in (f"/t/baerum/procurements/{pid}/competition/", f"/t/baerum/procurements/{pid}/competition/tenders",
                 f"/t/baerum/procurements/{pid}/competition/opening",
                 f"/t/baerum/procurements/{pid}/competition/questions", f"/t/baerum/procurements/{pid}/protocol"):
        response = client.get(path)
        assert response.status_code == 200, path
        texts.append(response.get_data(as_text=True))
    supplier = w.app.test_client()
    w.login(w.b_user, supplier)
    for path in ("/supplier/", "/supplier/competitions/", f"/supplier/competitions/{pid}/",
                 f"/supplier/competitions/{pid}/receipt", f"/supplier/competitions/{pid}/questions"):
        response = supplier.get(path)
        assert response.status_code == 200, path
        texts.append(response.get_data(as_text=True))
    return texts


def test_tender_content_is_sealed_until_the_opening(announced):
    w = announced
    marker = f"SEGL{uuid.uuid4().hex}"
    r = w.api("put", f"/api/v1/procurements/{w.pid}/tender", w.a, json=tender_body(w, marker))
    assert r.status_code == 200, r.get_data(as_text=True)
    upload = {"file": (io.BytesIO(f"Teknisk beskrivelse {marker}\n".encode() * 50), f"{marker}.txt")}
    r = w.api("post", f"/api/v1/procurements/{w.pid}/tender/files", w.a, data=upload,
              content_type="multipart/form-data")
    assert r.status_code == 201, r.get_data(as_text=True)
    file_id = r.get_json()["id"]
    r = w.api("put", f"/api/v1/procurements/{w.pid}/tender", w.a, json={**tender_body(w, marker, submit=True),
                                                                         "files": [file_id]})
    assert r.status_code == 200 and r.get_json()["status"] == "submitted"
    own = w.api("get", f"/api/v1/procurements/{w.pid}/tender", w.a).get_json()
    assert marker in str(own["content"])  # the supplier reads its own tender

    for text in _everything_visible(w):
        assert marker not in text
    dump = _database_bytes(w.app)
    assert b"Trygg Teknologi AS" in dump  # the right database, read whole
    assert marker.encode() not in dump
    assert marker.encode() not in _stored_files(w.app)
    r = w.api("get", f"/api/v1/procurements/{w.pid}/tenders/{uuid.uuid4()}/files/{file_id}", w.officer_token)
    assert r.status_code == 404

    set_times(w, tender_deadline={"minutes": -2}, question_deadline={"minutes": -3}, opening_at={"minutes": -1})
    assert w.api("post", f"/api/v1/procurements/{w.pid}/opening", w.officer_token).status_code == 200
    r = w.api("get", f"/api/v1/procurements/{w.pid}/tenders", w.officer_token)
    assert r.status_code == 404  # the lead's impartiality declaration first (decision 52)
    declare_impartiality(w)
    body = w.api("get", f"/api/v1/procurements/{w.pid}/tenders", w.officer_token).get_json()
    assert marker in str(body["items"][0]["content"])
    tender_id = body["items"][0]["id"]
    r = w.api("get", f"/api/v1/procurements/{w.pid}/tenders/{tender_id}/files/{file_id}", w.officer_token)
    assert r.status_code == 200 and marker.encode() in r.data
    audit = w.api("get", f"/api/v1/procurements/{w.pid}/audit", w.officer_token).get_data(as_text=True)
    assert "competition.tenders_read" in audit and "competition.tender_file_read" in audit
    assert marker.encode() not in _stored_files(w.app)  # still encrypted at rest
