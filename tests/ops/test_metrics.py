"""`/metrics`: Prometheus text that prometheus_client's own parser reads, latency and status per
endpoint, the database pool and the outbox backlog; only loopback or the operator's token."""

from __future__ import annotations

import json
import logging

from prometheus_client.parser import text_string_to_metric_families

from core.notifications import service as notifications
from core.ops import logs, requestid


def _families(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/plain"
    return {family.name: family for family in text_string_to_metric_families(response.get_data(as_text=True))}


def _samples(family, name):
    return [sample for sample in family.samples if sample.name == name]


def test_metrics_are_parsed_and_count_requests_per_endpoint(client, app):
    assert client.get("/healthz").status_code == 200
    assert client.get("/no-such-page").status_code == 404
    families = _families(client.get("/metrics"))

    requests = _samples(families["samspill_http_requests"], "samspill_http_requests_total")
    by_key = {(s.labels["endpoint"], s.labels["status"]): s.value for s in requests}
    assert by_key[("web.healthz", "200")] >= 1
    assert by_key[("unmatched", "404")] >= 1  # unmatched paths share one label (bounded)
    assert not any("/no-such-page" in s.labels["endpoint"] for s in requests)

    latency = families["samspill_http_request_duration_seconds"]
    counts = [s for s in _samples(latency, "samspill_http_request_duration_seconds_count")
              if s.labels["endpoint"] == "web.healthz"]
    assert counts and counts[0].value >= 1
    buckets = [s for s in _samples(latency, "samspill_http_request_duration_seconds_bucket")
               if s.labels["endpoint"] == "web.healthz"]
    assert any(s.labels["le"] == "+Inf" for s in buckets)

    pool = {s.labels["state"] for s in families["samspill_db_pool_connections"].samples}
    assert pool == {"checked_out", "idle"}


def test_outbox_backlog_is_reported(client, app):
    app.config["SAMSPILL_MAIL_INLINE"] = False
    with app.app_context():
        notifications.enqueue("a@example.test", "Hei", "Tekst")
        notifications.enqueue("b@example.test", "Hei", "Tekst")
        from core.db import db

        db.session.commit()
    families = _families(client.get("/metrics"))
    outbox = {s.labels["status"]: s.value for s in families["samspill_outbox_messages"].samples}
    assert outbox["pending"] == 2
    assert outbox["failed"] == 0


def test_only_loopback_or_the_token_may_scrape(client, app):
    remote = {"REMOTE_ADDR": "203.0.113.7"}
    assert client.get("/metrics", environ_base=remote).status_code == 404
    # Through a proxy on the same host the peer is loopback, but the caller is not.
    assert client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"}).status_code == 404
    app.config["SAMSPILL_METRICS_TOKEN"] = "scrape-secret"
    assert client.get("/metrics", environ_base=remote,
                      headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/metrics", environ_base=remote,
                      headers={"Authorization": "Bearer scrape-secret"}).status_code == 200


def test_request_id_is_honoured_or_generated(client):
    given = client.get("/healthz", headers={"X-Request-Id": "edge-4711"})
    assert given.headers["X-Request-Id"] == "edge-4711"
    generated = client.get("/healthz", headers={"X-Request-Id": "bad id <script>" + "x" * 200})
    assert generated.headers["X-Request-Id"] != "bad id <script>" + "x" * 200
    assert len(generated.headers["X-Request-Id"]) == 32
    other = client.get("/healthz")
    assert other.headers["X-Request-Id"] not in {generated.headers["X-Request-Id"], "edge-4711"}


def test_log_lines_are_json_with_the_request_id():
    record = logging.LogRecord("core.test", logging.WARNING, __file__, 1, "mail to %s failed", ("x@y",), None)
    token = requestid.bind("req-42")
    try:
        line = logs.JsonFormatter().format(record)
    finally:
        requestid.reset(token)
    entry = json.loads(line)
    assert entry["request_id"] == "req-42"
    assert entry["message"] == "mail to x@y failed"
    assert entry["level"] == "warning"
    assert entry["time"].endswith("+00:00")


def test_readyz_names_each_configured_dependency(client, app):
    body = client.get("/readyz").get_json()
    assert body == {"status": "ok", "checks": {"database": "ok"}}
    app.config["SAMSPILL_REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"] == {"database": "ok", "redis": "unavailable"}
