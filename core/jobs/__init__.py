"""The job queue: Dramatiq on Redis when `SAMSPILL_REDIS_URL` is set (decisions.md), the cron
commands otherwise.

- `queue`: `enqueue(name, key=..., **kwargs)` (at most one job per key), the one actor that
  runs every job inside the app, and the queue's metrics.
- `worker`: `samspill worker` — the worker threads and, with `--scheduler`, the periodic jobs.
Packages contribute jobs through the internal hooks `samspill_jobs()` and
`samspill_periodic_jobs()`.
"""
