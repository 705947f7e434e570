"""`bench.probe`: a job for measuring and exercising the queue (benchmark app only, switched on
with `SAMSPILL_BENCH_JOBS=1`). It notes each start and each finish in Redis lists under
`samspill:probe:<marker>:…` (pid and time), can sleep to stand for slow work and can fail its
first `fail_times` attempts to exercise the retries."""

from __future__ import annotations

import os
import time

import redis
from flask import current_app


def _client():
    return redis.Redis.from_url(current_app.config["SAMSPILL_REDIS_URL"])


def run(marker: str, seconds: float = 0.0, fail_times: int = 0) -> None:
    """One attempt; `seconds`: how long the first attempt takes (the one a test kills)."""
    client = _client()
    prefix = f"samspill:probe:{marker}"
    attempt = client.rpush(f"{prefix}:started", f"{os.getpid()} {time.time():.3f}")
    if attempt <= fail_times:
        raise RuntimeError(f"probe {marker} fails attempt {attempt} on purpose")
    if attempt == 1:
        time.sleep(seconds)
    client.rpush(f"{prefix}:done", f"{os.getpid()} {time.time():.3f}")
