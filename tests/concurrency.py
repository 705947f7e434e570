"""Helpers for the race tests: run requests from real threads at the same moment.

Each thread uses its own test client (its own app context, session and database connection),
and a barrier releases them together. On PostgreSQL the requests truly overlap; SQLite
serialises writers, where the same tests check that the answers are still right.
"""

from __future__ import annotations

import threading

from core.orgnumber import WEIGHTS


def at_once(app, calls):
    """Run `calls` ([(method, path, token, json)]) concurrently; the responses in call order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, method, path, token, body):
        client = app.test_client()
        barrier.wait()
        try:
            results[index] = getattr(client, method)(path, headers={"Authorization": f"Bearer {token}"}, json=body)
        except Exception as exc:  # noqa: BLE001 (reported by the test's assertions)
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i, *call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def org_number(seed: int) -> str:
    """A valid organisation number (mod-11) made from `seed`."""
    base = 810000000 // 10 + seed * 7
    while True:
        digits = str(base)[:8].zfill(8)
        check = 11 - sum(int(d) * w for d, w in zip(digits, WEIGHTS, strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            return digits + str(check)
        base += 1
