"""Prometheus metrics at `/metrics`.

Per request: a latency histogram per endpoint and method, a counter per endpoint, method and
status, and the database pool's use (connections checked out and idle). When `/metrics` is
scraped: whatever the packages report through the internal hook `samspill_metric_samples()`
(outbox backlog, queue depth, failed jobs) — read from the database and Redis by the worker that
answers, so every worker tells the same story.

Several gunicorn workers: `samspill serve` points `PROMETHEUS_MULTIPROC_DIR` at a fresh folder
before the workers fork (`enable_multiprocess`), each worker writes its counters there and the
scrape sums them (prometheus_client's multiprocess mode); a dead worker's gauges are dropped.

Who may scrape (contract.md): a request from loopback that did not pass through a proxy, or one
that carries `Authorization: Bearer <SAMSPILL_METRICS_TOKEN>`. Anyone else gets 404.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import prometheus_client
from flask import Blueprint, Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from core.db import db
from core.plugin_platform.host import current_host

bp = Blueprint("ops", __name__)
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0)
_instruments: dict[str, object] = {}


@dataclass(frozen=True)
class Sample:
    """One gauge value reported at scrape time through `samspill_metric_samples()`."""

    name: str
    documentation: str
    value: float
    labels: dict[str, str] = field(default_factory=dict)


def enable_multiprocess(folder: str | os.PathLike) -> None:
    """Before gunicorn forks: every process writes its metrics into `folder` (emptied first)."""
    path = Path(folder)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROC_ENV] = str(path)
    # prometheus_client picks its value class when imported; pick again now that the folder is
    # known (metrics.py reads `values.ValueClass` at each metric's creation).
    prometheus_client.values.ValueClass = prometheus_client.values.get_value_class()


def worker_exited(pid: int) -> None:
    """gunicorn's child_exit: forget the live gauges of a worker that is gone."""
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.mark_process_dead(pid)


def _instrument(name: str):
    """The process's metric objects, created once (after the fork, in multiprocess mode)."""
    if not _instruments:
        _instruments["latency"] = Histogram(
            "samspill_http_request_duration_seconds", "Time to answer a request, per endpoint.",
            ["endpoint", "method"], buckets=LATENCY_BUCKETS)
        _instruments["requests"] = Counter(
            "samspill_http_requests", "Requests answered, per endpoint, method and status.",
            ["endpoint", "method", "status"])
        _instruments["pool"] = Gauge(
            "samspill_db_pool_connections", "Database connections of the app's pools, by state.",
            ["state"], multiprocess_mode="livesum")
    return _instruments[name]


def _start_timer() -> None:
    g.samspill_request_started = time.perf_counter()


def _observe(response):
    started = g.pop("samspill_request_started", None)
    if started is None:
        return response
    endpoint = request.endpoint or "unmatched"  # bounded: endpoints, not paths
    method = request.method
    _child("latency", endpoint, method).observe(time.perf_counter() - started)
    _child("requests", endpoint, method, str(response.status_code)).inc()
    _record_pool()
    return response


_children: dict[tuple[str, ...], object] = {}


def _child(name: str, *labels: str):
    """The labelled series of a metric, kept: `labels()` takes a lock and builds its key on
    every call. Bounded like the labels (endpoints × methods × statuses)."""
    key = (name, *labels)
    child = _children.get(key)
    if child is None:
        child = _children[key] = _instrument(name).labels(*labels)
    return child


def _record_pool() -> None:
    pool = db.engine.pool
    checked_out = getattr(pool, "checkedout", None)
    checked_in = getattr(pool, "checkedin", None)
    if checked_out is None or checked_in is None:
        return
    _child("pool", "checked_out").set(checked_out())
    _child("pool", "idle").set(checked_in())


class _Samples(Collector):
    """The packages' scrape-time gauges (one family per name)."""

    def collect(self):
        families: dict[str, GaugeMetricFamily] = {}
        by_name: dict[str, list[Sample]] = defaultdict(list)
        for found in current_host().call("samspill_metric_samples") or ():
            for sample in found or ():
                by_name[sample.name].append(sample)
        for name, samples in sorted(by_name.items()):
            label_names = sorted({key for sample in samples for key in sample.labels})
            family = GaugeMetricFamily(name, samples[0].documentation, labels=label_names)
            for sample in samples:
                family.add_metric([sample.labels.get(key, "") for key in label_names], sample.value)
            families[name] = family
        yield from families.values()


class _ThisProcess(Collector):
    """The default registry (one process: tests, `flask run`)."""

    def collect(self):
        yield from prometheus_client.REGISTRY.collect()


def scrape() -> bytes:
    """Every metric in the Prometheus text format."""
    registry = CollectorRegistry(auto_describe=False)
    if os.environ.get(MULTIPROC_ENV):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    registry.register(_Samples())
    return generate_latest(registry)


def _loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False


def may_scrape() -> bool:
    """Loopback without a proxy in between, or the configured bearer token."""
    token = current_app.config.get("SAMSPILL_METRICS_TOKEN")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return True
    proxied = any(request.headers.get(h) for h in ("X-Forwarded-For", "X-Real-IP", "Forwarded"))
    return _loopback(request.remote_addr) and not proxied


@bp.get("/metrics")
def metrics():
    if not may_scrape():
        abort(404)
    try:
        body = scrape()
    finally:
        db.session.rollback()  # the samples' reads end their transaction here
    return Response(body, mimetype=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _start_timer)
    app.after_request(_observe)
    app.register_blueprint(bp)
