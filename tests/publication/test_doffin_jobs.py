"""Notice submission as a job, with real Redis, real `samspill worker` processes and the Doffin
stand-in over real HTTP: the request queues the job keyed by the notice; a worker killed after
Doffin accepted the notice and before it recorded the answer leaves the job to another worker,
which sends it again with the same idempotency key — Doffin publishes it once."""

from __future__ import annotations

import os
import threading
import time
import uuid

import pytest
import redis

from tests.ops import processes
from tests.publication.standins import Doffin
from tests.publication.test_doffin import make_notice, notice
from tests.waiting import wait_until

REDIS_URL = os.environ.get("SAMSPILL_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="SAMSPILL_TEST_REDIS_URL not set (real Redis needed)")




def test_a_notice_job_retried_after_its_worker_is_killed_is_sent_once(joint, eforms, doffin_server, migrated,
                                                                      tmp_path):
    _owner_url, app_url = migrated
    namespace = f"samspill-test-{uuid.uuid4().hex[:10]}"
    doffin = {"SAMSPILL_DOFFIN_URL": doffin_server.url, "SAMSPILL_DOFFIN_KEY": Doffin.KEY}
    queue_settings = {"SAMSPILL_REDIS_URL": REDIS_URL, "SAMSPILL_JOB_NAMESPACE": namespace}
    joint.app.config.update(**doffin, **queue_settings)
    env = processes.environment(tmp_path / "worker", SAMSPILL_DATABASE_URL=app_url, SAMSPILL_JOB_HEARTBEAT_MS="1500",
                                SAMSPILL_JOB_MAINTENANCE_CHANCE="1000000", SAMSPILL_OCID_PREFIX="ocds-test01",
                                SAMSPILL_LOG_FORMAT="json", **doffin, **queue_settings)
    client = redis.Redis.from_url(REDIS_URL)
    started: list[processes.Process] = []
    doffin_server.hold = threading.Event()
    try:
        notice_id = make_notice(joint)  # queued as a job, not sent in the request
        assert doffin_server.requests == []
        assert notice(joint, notice_id).doffin_status.value == "pending"
        assert client.exists(f"{namespace}:job-queued:publication.send_notice:{notice_id}")

        first = processes.start(["worker", "--no-scheduler", "--threads", "1"], env, tmp_path / "first.log")
        started.append(first)
        wait_until(lambda: len(doffin_server.requests) == 1, timeout=60.0, what="the first worker to send the notice")
        first.kill()  # Doffin has accepted it; the worker dies before recording the answer
        doffin_server.hold.set()
        assert notice(joint, notice_id).doffin_status.value == "pending"

        second = processes.start(["worker", "--no-scheduler", "--threads", "1"], env, tmp_path / "second.log")
        started.append(second)
        wait_until(lambda: notice(joint, notice_id).doffin_status.value == "sent",
                   timeout=60.0, what="another worker to send the notice again")
        sent = notice(joint, notice_id)
        assert sent.doffin_id == "2026-100001" and sent.doffin_attempts == 1
        assert len(doffin_server.published) == 1
        assert [r["key"] for r in doffin_server.requests] == [str(notice_id), str(notice_id)]
        time.sleep(2)  # nothing else turns up
        assert len(doffin_server.requests) == 2
        assert client.exists(f"{namespace}:job-done:publication.send_notice:{notice_id}")
    finally:
        doffin_server.hold.set()
        for process in started:
            process.stop()
        for found in client.scan_iter(f"{namespace}:*"):
            client.delete(found)


def test_a_failing_submission_is_retried_by_the_queue_and_sent_once(joint, eforms, doffin_server, migrated, tmp_path):
    _owner_url, app_url = migrated
    namespace = f"samspill-test-{uuid.uuid4().hex[:10]}"
    doffin = {"SAMSPILL_DOFFIN_URL": doffin_server.url, "SAMSPILL_DOFFIN_KEY": Doffin.KEY}
    queue_settings = {"SAMSPILL_REDIS_URL": REDIS_URL, "SAMSPILL_JOB_NAMESPACE": namespace}
    joint.app.config.update(**doffin, **queue_settings)
    env = processes.environment(tmp_path / "worker", SAMSPILL_DATABASE_URL=app_url, SAMSPILL_LOG_FORMAT="json",
                                SAMSPILL_OCID_PREFIX="ocds-test01", **doffin, **queue_settings)
    client = redis.Redis.from_url(REDIS_URL)
    worker = None
    doffin_server.fail_next = 2
    try:
        notice_id = make_notice(joint)
        worker = processes.start(["worker", "--no-scheduler", "--threads", "1"], env, tmp_path / "worker.log")
        wait_until(lambda: notice(joint, notice_id).doffin_status.value == "sent", timeout=60.0,
                   what="the queue's retries")
        sent = notice(joint, notice_id)
        assert sent.doffin_attempts == 3 and sent.doffin_id == "2026-100001"
        assert len(doffin_server.requests) == 3 and len(doffin_server.published) == 1
    finally:
        if worker is not None:
            worker.stop()
        for found in client.scan_iter(f"{namespace}:*"):
            client.delete(found)
