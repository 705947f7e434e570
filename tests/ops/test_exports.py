"""Exports as jobs: without Redis the export is made in the request; with Redis a real `samspill
worker` makes it once and stores it in the object store (moto's S3 server) under
`procurements/<id>/exports/<export id>.<ext>`; its status and file answer 404 to anyone who may
not make that export, another tenant's people included; a job delivered again changes nothing."""

from __future__ import annotations

import io
import os
import uuid

import pytest
import redis
from openpyxl import load_workbook
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from core import isolation
from core.db import db
from core.exports import service
from core.exports.models import Export
from tests.ops import processes
from tests.waiting import wait_until

REDIS_URL = os.environ.get("SAMSPILL_TEST_REDIS_URL")
needs_redis = pytest.mark.skipif(not REDIS_URL, reason="SAMSPILL_TEST_REDIS_URL not set (real Redis needed)")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _exports(app) -> list[Export]:
    with app.app_context(), isolation.system_scope():
        return list(db.session.execute(select(Export)).scalars())




def _workbook_titles(data: bytes) -> list[str]:
    return load_workbook(io.BytesIO(data), read_only=True).sheetnames


def test_without_redis_the_export_is_made_in_the_request_and_downloaded(world, app, count_queries):
    pid = world.procurement()["id"]
    lead = world.api("baerum")
    asked = lead.post(f"/api/v1/procurements/{pid}/exports", json={"kind": "requirements"})
    assert asked.status_code == 201, asked.get_data(as_text=True)
    body = asked.get_json()
    assert body["status"] == "done" and body["kind"] == "requirements"
    assert asked.headers["Location"].endswith(f"/api/v1/exports/{body['id']}")
    assert body["size"] > 0 and body["file_url"].endswith(f"/api/v1/exports/{body['id']}/file")
    with count_queries() as counter:
        status = lead.get(f"/api/v1/exports/{body['id']}")
    assert status.status_code == 200 and status.get_json()["status"] == "done"
    assert counter.count <= 12, counter.statements
    got = lead.get(f"/api/v1/exports/{body['id']}/file")
    assert got.status_code == 200 and got.mimetype == XLSX
    assert "attachment" in got.headers["Content-Disposition"]
    assert len(got.data) == body["size"]
    assert len(_workbook_titles(got.data)) == 3  # requirements, traceability, award criteria
    [row] = _exports(app)
    assert row.file_key == f"procurements/{pid}/exports/{row.id}.xlsx" and row.attempts == 1
    stored = os.path.join(app.instance_path, "uploads", "procurements", pid, "exports")
    assert sum(len(found) for _d, _s, found in os.walk(stored)) == 1


def test_another_tenant_gets_404_for_asking_the_status_and_the_file(world, app):
    pid = world.procurement()["id"]
    export_id = world.api("baerum").post(f"/api/v1/procurements/{pid}/exports",
                                         json={"kind": "requirements"}).get_json()["id"]
    other = world.api("asker", "admin")
    asked = other.post(f"/api/v1/procurements/{pid}/exports", json={"kind": "requirements"})
    assert asked.status_code == 404 and asked.mimetype == "application/problem+json"
    assert other.get(f"/api/v1/exports/{export_id}").status_code == 404
    assert other.get(f"/api/v1/exports/{export_id}/file").status_code == 404
    assert world.api("baerum").get(f"/api/v1/exports/{uuid.uuid4()}").status_code == 404
    assert len(_exports(app)) == 1  # the refused request left no row


def test_bad_input_is_a_precise_problem_and_leaves_no_row(world, app):
    pid = world.procurement()["id"]
    lead = world.api("baerum")
    unknown = lead.post(f"/api/v1/procurements/{pid}/exports", json={"kind": "everything"})
    assert unknown.status_code == 422 and "kind" in unknown.get_json()["errors"]
    no_buyer = lead.post(f"/api/v1/procurements/{pid}/exports", json={"kind": "benefits"})
    assert no_buyer.status_code == 422 and "parameters" in no_buyer.get_json()["errors"]
    missing = lead.post(f"/api/v1/procurements/{pid}/exports", json={})
    assert missing.status_code == 422
    assert _exports(app) == []


def test_the_protocol_is_exported_as_pdf(world, app):
    pid = world.procurement()["id"]
    lead = world.api("baerum")
    body = lead.post(f"/api/v1/procurements/{pid}/exports", json={"kind": "protocol"}).get_json()
    assert body["status"] == "done" and body["content_type"] == "application/pdf"
    got = lead.get(body["file_url"])
    assert got.status_code == 200 and got.data.startswith(b"%PDF")


def test_stored_in_the_object_store_when_configured(world, app, bucket):
    name, s3, settings = bucket
    app.config.update(settings)
    app.extensions.pop("samspill.file_store", None)
    pid = world.procurement()["id"]
    lead = world.api("baerum")
    body = lead.post(f"/api/v1/procurements/{pid}/exports", json={"kind": "requirements"}).get_json()
    listed = s3.list_objects_v2(Bucket=name, Prefix=f"procurements/{pid}/exports/")
    assert [o["Key"] for o in listed.get("Contents", [])] == [f"procurements/{pid}/exports/{body['id']}.xlsx"]
    head = s3.head_object(Bucket=name, Key=f"procurements/{pid}/exports/{body['id']}.xlsx")
    assert head["ServerSideEncryption"] == "AES256" and head["ContentLength"] == body["size"]
    got = lead.get(body["file_url"])
    assert got.status_code == 200 and len(_workbook_titles(got.data)) == 3


@needs_redis
def test_an_export_queued_by_the_api_is_made_once_by_a_worker_into_s3(world, app, migrated, bucket, tmp_path):
    name, s3, settings = bucket
    _owner_url, app_url = migrated
    namespace = f"samspill-test-{uuid.uuid4().hex[:10]}"
    queue_settings = {"SAMSPILL_REDIS_URL": REDIS_URL, "SAMSPILL_JOB_NAMESPACE": namespace}
    app.config.update(settings, **queue_settings)
    app.extensions.pop("samspill.file_store", None)
    client = redis.Redis.from_url(REDIS_URL)
    worker = None
    try:
        pid = world.procurement()["id"]
        lead = world.api("baerum")
        asked = lead.post(f"/api/v1/procurements/{pid}/exports", json={"kind": "requirements"})
        assert asked.status_code == 202, asked.get_data(as_text=True)
        export_id = asked.get_json()["id"]
        assert asked.get_json()["status"] == "queued" and asked.get_json()["file_url"] is None
        assert lead.get(f"/api/v1/exports/{export_id}/file").status_code == 404  # not ready yet
        env = processes.environment(tmp_path / "worker", SAMSPILL_DATABASE_URL=app_url, SAMSPILL_LOG_FORMAT="json",
                                    SAMSPILL_JOB_HEARTBEAT_MS="1500", **queue_settings, **settings)
        worker = processes.start(["worker", "--no-scheduler", "--threads", "2"], env, tmp_path / "worker.log")
        wait_until(lambda: lead.get(f"/api/v1/exports/{export_id}").get_json()["status"] in ("done", "failed"),
                   timeout=60.0, what="the worker to make the export")
        status = lead.get(f"/api/v1/exports/{export_id}").get_json()
        assert status["status"] == "done", worker.log()
        key = f"procurements/{pid}/exports/{export_id}.xlsx"
        listed = s3.list_objects_v2(Bucket=name, Prefix=f"procurements/{pid}/")
        assert [o["Key"] for o in listed.get("Contents", [])] == [key]
        got = lead.get(status["file_url"])
        assert got.status_code == 200 and len(got.data) == status["size"]
        assert len(_workbook_titles(got.data)) == 3
        other = world.api("asker", "admin")
        assert other.get(f"/api/v1/exports/{export_id}").status_code == 404
        assert other.get(f"/api/v1/exports/{export_id}/file").status_code == 404

        # The same job delivered again (a crash before the acknowledgement): nothing changes.
        with app.app_context():
            service.run_job(export_id)
        [row] = _exports(app)
        assert row.attempts == 1 and row.status == "done"
        assert len(s3.list_objects_v2(Bucket=name, Prefix=f"procurements/{pid}/").get("Contents", [])) == 1

        scraped = app.test_client().get("/metrics")
        families = {f.name: f for f in text_string_to_metric_families(scraped.get_data(as_text=True))}
        exports = {s.labels["status"]: s.value for s in families["samspill_exports"].samples}
        assert exports == {"queued": 0, "running": 0, "done": 1, "failed": 0}
        depth = {s.labels["state"]: s.value for s in families["samspill_job_queue_depth"].samples}
        assert depth == {"waiting": 0, "delayed": 0}
        assert client.exists(f"{namespace}:job-done:exports.render:{export_id}")
    finally:
        if worker is not None:
            worker.stop()
        for found in client.scan_iter(f"{namespace}:*"):
            client.delete(found)
