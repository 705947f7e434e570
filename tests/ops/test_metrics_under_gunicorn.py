"""`/metrics` under `samspill serve` with two gunicorn workers: the counters of both workers
are summed (multiprocess mode) and the logs are JSON lines carrying the request id."""

from __future__ import annotations

import json

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.ops import processes


@pytest.fixture
def server(tmp_path):
    env = processes.environment(tmp_path / "instance",
                                SAMSPILL_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}")
    processes.run(["db", "upgrade"], env)
    served = processes.serve(env, tmp_path / "serve.log", workers=2)
    yield served
    served.stop()


def test_two_workers_are_summed_and_logs_carry_the_request_id(server):
    session = requests.Session()
    for number in range(40):  # new connections: gunicorn hands them to either worker
        assert requests.get(server.base_url + "/healthz", headers={"X-Request-Id": f"probe-{number}"},
                            timeout=10).status_code == 200
    body = session.get(server.base_url + "/metrics", timeout=10)
    assert body.status_code == 200
    families = {f.name: f for f in text_string_to_metric_families(body.text)}
    healthz = [s.value for s in families["samspill_http_requests"].samples
               if s.name == "samspill_http_requests_total" and s.labels["endpoint"] == "web.healthz"]
    assert sum(healthz) == 40
    pids = {s.labels.get("pid") for s in families["samspill_db_pool_connections"].samples}
    assert "samspill_outbox_messages" in families

    access = [json.loads(line) for line in server.log().splitlines()
              if line.startswith("{") and '"access"' in line]
    assert {"probe-0", "probe-39"} <= {entry["request_id"] for entry in access}
    assert pids  # livesum gauges: one value over the live workers
