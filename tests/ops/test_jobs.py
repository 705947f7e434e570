"""The job queue with real Redis and real `samspill worker` processes: a job survives its
worker being killed mid-job and runs to its end once; a key queues a job at most once; a failing
job is retried with backoff; the request id goes along into the job's log lines; two schedulers
queue each period's job once."""

from __future__ import annotations

import json
import os
import time
import uuid

import pytest
import redis
from prometheus_client.parser import text_string_to_metric_families

from core import create_app
from core.jobs import queue
from core.ops import requestid
from tests.ops import processes
from tests.waiting import wait_until

REDIS_URL = os.environ.get("SAMSPILL_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="SAMSPILL_TEST_REDIS_URL not set (real Redis needed)")


@pytest.fixture
def setup(tmp_path):
    namespace = f"samspill-test-{uuid.uuid4().hex[:10]}"
    database = f"sqlite:///{tmp_path / 'jobs.db'}"
    settings = dict(SAMSPILL_REDIS_URL=REDIS_URL, SAMSPILL_JOB_NAMESPACE=namespace, SAMSPILL_BENCH_JOBS="1",
                    SAMSPILL_JOB_HEARTBEAT_MS="1500", SAMSPILL_JOB_MAINTENANCE_CHANCE="1000000",
                    SAMSPILL_DATABASE_URL=database, SAMSPILL_LOG_FORMAT="json")
    env = processes.environment(tmp_path / "instance", **settings)
    processes.run(["db", "upgrade"], env)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "INSTANCE_PATH": str(tmp_path / "instance"),
                      "SAMSPILL_REDIS_URL": REDIS_URL, "SAMSPILL_JOB_NAMESPACE": namespace, "TESTING": True})
    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    started: list[processes.Process] = []

    def worker(name: str, *args: str) -> processes.Process:
        process = processes.start(["worker", "--threads", "2", *args], env, tmp_path / f"{name}.log")
        started.append(process)
        return process

    yield app, client, worker
    for process in started:
        process.stop()
    for key in client.scan_iter(f"{namespace}:*"):
        client.delete(key)




def _probe(client, marker: str, kind: str) -> list[str]:
    return client.lrange(f"samspill:probe:{marker}:{kind}", 0, -1)


def _enqueue(app, name: str, key: str | None, **kwargs) -> bool:
    with app.app_context():
        return queue.queue_of(app).enqueue(name, key, kwargs)


def test_a_job_survives_its_worker_killed_mid_job(setup):
    app, client, worker = setup
    marker = uuid.uuid4().hex
    try:
        assert _enqueue(app, "bench.probe", f"probe-{marker}", marker=marker, seconds=60)
        first = worker("first", "--no-scheduler")
        wait_until(lambda: len(_probe(client, marker, "started")) == 1, what="the first attempt to start")
        first.kill()  # SIGKILL mid-job: no acknowledgement, no goodbye
        assert _probe(client, marker, "done") == []
        worker("second", "--no-scheduler")
        wait_until(lambda: len(_probe(client, marker, "done")) == 1, timeout=45,
                   what="another worker to finish the job")
        time.sleep(2)  # nothing else turns up
        assert len(_probe(client, marker, "done")) == 1
        assert len(_probe(client, marker, "started")) == 2
        first_pid = _probe(client, marker, "started")[0].split()[0]
        assert _probe(client, marker, "done")[0].split()[0] != first_pid
    finally:
        client.delete(f"samspill:probe:{marker}:started", f"samspill:probe:{marker}:done")


def test_a_key_queues_once_and_failures_are_retried_with_backoff(setup):
    app, client, worker = setup
    marker = uuid.uuid4().hex
    try:
        token = requestid.bind(f"req-{marker[:8]}")
        try:
            assert _enqueue(app, "bench.probe", f"k-{marker}", marker=marker, fail_times=2)
        finally:
            requestid.reset(token)
        assert not _enqueue(app, "bench.probe", f"k-{marker}", marker=marker)  # same key: nothing queued
        process = worker("retrying", "--no-scheduler")
        wait_until(lambda: len(_probe(client, marker, "done")) == 1, timeout=45, what="the third attempt")
        starts = [float(entry.split()[1]) for entry in _probe(client, marker, "started")]
        assert len(starts) == 3
        gaps = [later - earlier for earlier, later in zip(starts, starts[1:], strict=False)]
        assert all(gap >= 0.4 for gap in gaps), gaps  # backoff, not an immediate retry
        with app.app_context():
            assert queue.queue_of(app).depth() == {"waiting": 0, "delayed": 0, "failed": 0}
        scraped = app.test_client().get("/metrics")
        families = {f.name: f for f in text_string_to_metric_families(scraped.get_data(as_text=True))}
        depth = {s.labels["state"]: s.value for s in families["samspill_job_queue_depth"].samples}
        assert depth == {"waiting": 0, "delayed": 0}
        assert [s.value for s in families["samspill_jobs_failed"].samples] == [0]
        lines = [json.loads(line) for line in process.log().splitlines() if line.startswith("{")]
        assert any(entry.get("request_id") == f"req-{marker[:8]}" and entry.get("job") == "bench.probe"
                   for entry in lines)
    finally:
        client.delete(f"samspill:probe:{marker}:started", f"samspill:probe:{marker}:done")


def test_two_schedulers_queue_each_period_once(setup):
    app, client, worker = setup
    worker("a")
    worker("b")
    namespace = app.config["SAMSPILL_JOB_NAMESPACE"]
    done = f"{namespace}:job-done:notifications.deliver:*"
    wait_until(lambda: any(client.scan_iter(done)), what="the periodic delivery to run")
    time.sleep(2.5)  # both schedulers ticked more than once
    queued = list(client.scan_iter(f"{namespace}:job-queued:notifications.deliver:*"))
    assert 1 <= len(queued) <= 2  # one per minute (two only across a minute's boundary)
    assert len(list(client.scan_iter(done))) == len(queued)
