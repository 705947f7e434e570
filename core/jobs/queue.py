"""Queueing and running jobs.

One Dramatiq actor (`samspill_job`) on one queue runs every job: its message carries the job's
name, keyword arguments, idempotency key and the request id of the request that queued it. The
job functions come from the internal hook `samspill_jobs()` and run inside an app context.

At most once per effect: `enqueue(..., key=K)` queues nothing when a job with the same name and
key was queued before (Redis `SET NX`, kept `KEY_TTL`), and a job whose key is marked done is
not run again when Redis delivers it twice. Dramatiq acknowledges a message only after the job
returned, so a worker killed mid-job leaves it to be delivered again once the worker's heartbeat
is missed (`SAMSPILL_JOB_HEARTBEAT_MS`); the job functions themselves are idempotent in the
database (the outbox claims each message with `FOR UPDATE SKIP LOCKED`, reminders and deadline
announcements have unique keys). A job that raises is retried with exponential backoff
(`SAMSPILL_JOB_MAX_RETRIES`, from 1 s up to 10 min) and then kept in the dead-letter queue,
counted as failed on `/metrics`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import AgeLimit, Callbacks, Pipelines, Retries, ShutdownNotifications, TimeLimit
from flask import Flask, current_app

from core.ops import requestid
from core.ops.metrics import Sample
from core.plugin_platform.host import current_host

log = logging.getLogger(__name__)
EXTENSION_KEY = "samspill.jobs"
NAMESPACE = "samspill"
QUEUE = "jobs"
ACTOR = "samspill_job"
KEY_TTL = 7 * 24 * 3600
MIN_BACKOFF_MS = 1000
MAX_BACKOFF_MS = 10 * 60 * 1000
TIME_LIMIT_MS = 30 * 60 * 1000


@dataclass(frozen=True)
class Periodic:
    """A job the scheduler queues every `every` seconds (once per period across all hosts)."""

    name: str
    every: int
    kwargs: tuple[tuple[str, Any], ...] = ()


class Queue:
    """The app's broker and actor (one per app; the worker's app runs the jobs)."""

    def __init__(self, app: Flask):
        self.app = app
        url = app.config["SAMSPILL_REDIS_URL"]
        self.namespace = app.config.get("SAMSPILL_JOB_NAMESPACE") or NAMESPACE
        self.broker = RedisBroker(
            url=url, namespace=self.namespace,
            heartbeat_timeout=int(app.config.get("SAMSPILL_JOB_HEARTBEAT_MS", 60000)),
            maintenance_chance=int(app.config.get("SAMSPILL_JOB_MAINTENANCE_CHANCE", 1000)),
            middleware=[AgeLimit(), TimeLimit(time_limit=TIME_LIMIT_MS), ShutdownNotifications(),
                        Callbacks(), Pipelines(),
                        Retries(max_retries=int(app.config.get("SAMSPILL_JOB_MAX_RETRIES", 8)),
                                min_backoff=MIN_BACKOFF_MS, max_backoff=MAX_BACKOFF_MS)])
        self.actor = dramatiq.Actor(self._run, broker=self.broker, actor_name=ACTOR, queue_name=QUEUE,
                                    priority=0, options={})

    @property
    def redis(self):
        return self.broker.client

    def _key(self, kind: str, name: str, key: str) -> str:
        return f"{self.namespace}:job-{kind}:{name}:{key}"

    def enqueue(self, name: str, key: str | None, kwargs: dict[str, Any], delay_ms: int | None = None) -> bool:
        if key is not None and not self.redis.set(self._key("queued", name, key), int(time.time()),
                                                  nx=True, ex=KEY_TTL):
            return False
        self.actor.send_with_options(args=(name, kwargs, key, requestid.current()), delay=delay_ms)
        return True

    def _run(self, name: str, kwargs: dict[str, Any], key: str | None, request_id: str | None) -> None:
        token = requestid.bind(request_id)
        try:
            with self.app.app_context():
                if key is not None and self.redis.exists(self._key("done", name, key)):
                    log.info("job %s already done for key %s", name, key, extra={"job": name})
                    return
                job = jobs().get(name)
                if job is None:
                    raise LookupError(f"no job named {name!r}")
                log.info("job %s started", name, extra={"job": name})
                job(**kwargs)
                if key is not None:
                    self.redis.set(self._key("done", name, key), int(time.time()), ex=KEY_TTL)
                log.info("job %s done", name, extra={"job": name})
        finally:
            requestid.reset(token)

    def depth(self) -> dict[str, int]:
        """Messages waiting, waiting for their retry (delayed) and given up (dead letters)."""
        prefix = f"{self.namespace}:{QUEUE}"
        return {"waiting": self.redis.llen(prefix), "delayed": self.redis.llen(f"{prefix}.DQ"),
                "failed": self.redis.zcard(f"{prefix}.XQ")}


def configured(app: Flask | None = None) -> bool:
    """Is there a queue (Redis configured)? Without one the cron commands do the work."""
    return bool((app or current_app).config.get("SAMSPILL_REDIS_URL"))


def queue_of(app: Flask | None = None) -> Queue:
    app = app or current_app._get_current_object()
    found = app.extensions.get(EXTENSION_KEY)
    if found is None:
        found = app.extensions[EXTENSION_KEY] = Queue(app)
    return found


def jobs() -> dict[str, Any]:
    """Every job function by name (from `samspill_jobs()`)."""
    found: dict[str, Any] = {}
    for contributed in current_host().call("samspill_jobs") or ():
        found.update(contributed or {})
    return found


def periodic_jobs() -> list[Periodic]:
    return [job for found in current_host().call("samspill_periodic_jobs") or () for job in found or ()]


def enqueue(name: str, *, key: str | None = None, delay_ms: int | None = None, **kwargs: Any) -> bool:
    """Queue job `name` (a `samspill_jobs()` name) with JSON-able `kwargs`; False when no queue
    is configured or a job with this key was queued already. The request id goes along."""
    if not configured():
        return False
    return queue_of().enqueue(name, key, kwargs, delay_ms)


def metric_samples() -> list[Sample]:
    if not configured():
        return []
    depth = queue_of().depth()
    return [
        Sample("samspill_job_queue_depth", "Jobs waiting in the queue (delayed: waiting for a retry).",
               depth["waiting"], {"state": "waiting"}),
        Sample("samspill_job_queue_depth", "Jobs waiting in the queue (delayed: waiting for a retry).",
               depth["delayed"], {"state": "delayed"}),
        Sample("samspill_jobs_failed", "Jobs given up after their retries (the dead-letter queue).",
               depth["failed"]),
    ]
