"""The benchmark harness as an instance plugin (entry point `samspill.instance_plugins`).

It adds the `samspill bench-data` and `samspill bench …` commands and, only in the benchmark
app (environment switches that production never sets), the ceiling endpoint
(`SAMSPILL_BENCH_CEILING=1`, `bench.ceiling`) and the SQL-count header
(`SAMSPILL_BENCH_QUERIES=1`, `bench.instrument`) and the queue's probe job
(`SAMSPILL_BENCH_JOBS=1`, `bench.probe`).
"""

from __future__ import annotations

import os

from flask import Flask

from bench import CEILING_ENV, QUERIES_ENV, ceiling, instrument, probe
from bench.cli import register
from core.plugin_api import hookimpl

JOBS_ENV = "SAMSPILL_BENCH_JOBS"


def _enabled(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


@hookimpl
def samspill_register_commands(cli) -> None:
    register(cli)


@hookimpl
def samspill_setup_app(app: Flask) -> None:
    """Mount the benchmark-only endpoint and header when the environment asks for them."""
    if _enabled(CEILING_ENV):
        ceiling.init_app(app)
    if _enabled(QUERIES_ENV):
        instrument.init_app(app)


@hookimpl
def samspill_jobs():
    """The probe job, for the queue's tests and measurements only."""
    if _enabled(JOBS_ENV):
        return {"bench.probe": probe.run}
    return {}
