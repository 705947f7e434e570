"""Waiting in tests for something another process does (a worker, a second app host)."""

from __future__ import annotations

import time


def wait_until(condition, timeout: float = 30.0, what: str = "") -> None:
    """Poll `condition` every 0.2 s until it is true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
