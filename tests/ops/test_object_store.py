"""Attachments in an S3-compatible store (moto's server over real HTTP): keys per procurement,
server-side encryption asked for, large files in multipart chunks, downloads streamed, deleted
and rolled-back files removed from the bucket, `/readyz` checks the store."""

from __future__ import annotations

import hashlib
import io
import os

from tests.procurement.test_attachments import PDF, _upload


def _use(app, settings):
    app.config.update(settings)
    app.extensions.pop("samspill.file_store", None)


def _keys(client, bucket):
    return [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_upload_lands_in_the_bucket_per_procurement_encrypted(app, world, bucket):
    name, client, settings = bucket
    _use(app, settings)
    pid = world.procurement()["id"]
    api = world.api("baerum")
    uploaded = _upload(api, pid, PDF, "behov.pdf")
    assert uploaded.status_code == 201, uploaded.get_data(as_text=True)
    [key] = _keys(client, name)
    assert key.startswith(f"procurements/{pid}/")
    head = client.head_object(Bucket=name, Key=key)
    assert head["ServerSideEncryption"] == "AES256"
    assert head["ContentType"] == "application/pdf"
    download = world.api("baerum", "viewer").get(f"/api/v1/procurements/{pid}/attachments/{uploaded.json['id']}")
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["X-Content-Type-Options"] == "nosniff"

    assert api.delete(f"/api/v1/procurements/{pid}/attachments/{uploaded.json['id']}").status_code == 204
    assert _keys(client, name) == []


def test_a_large_file_goes_in_parts_and_comes_back_whole(app, world, bucket):
    name, client, settings = bucket
    _use(app, settings)
    data = b"%PDF-1.4\n" + os.urandom(12 * 1024 * 1024)  # above the 8 MiB multipart threshold
    pid = world.procurement()["id"]
    uploaded = world.api("baerum").post(f"/api/v1/procurements/{pid}/attachments",
                                        data={"file": (io.BytesIO(data), "stor.pdf")},
                                        content_type="multipart/form-data")
    assert uploaded.status_code == 201, uploaded.get_data(as_text=True)
    [key] = _keys(client, name)
    assert "-" in client.head_object(Bucket=name, Key=key)["ETag"]  # a multipart upload's ETag
    download = world.api("baerum").get(f"/api/v1/procurements/{pid}/attachments/{uploaded.json['id']}")
    assert download.status_code == 200
    assert hashlib.sha256(download.data).hexdigest() == hashlib.sha256(data).hexdigest()


def test_a_rolled_back_upload_leaves_nothing_in_the_bucket(app, world, bucket):
    name, client, settings = bucket
    _use(app, settings)
    pid = world.procurement()["id"]
    refused = _upload(world.api("baerum"), pid, PDF, "x.pdf", need_id="00000000-0000-0000-0000-000000000000")
    assert refused.status_code == 404
    assert _keys(client, name) == []


def test_readyz_checks_the_object_store(app, client, bucket):
    _name, _client, settings = bucket
    _use(app, settings)
    body = client.get("/readyz").get_json()
    assert body["checks"] == {"database": "ok", "object_store": "ok"}
    _use(app, {**settings, "SAMSPILL_S3_BUCKET": "no-such-bucket"})
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["object_store"] == "unavailable"
