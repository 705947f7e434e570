"""The benchmark harness: data at scale, a load runner, and its report.

`init_app(app)` adds the `samspill bench-data` and `samspill bench ...` commands. Two
environment switches exist for the benchmark app only and are never set in production:
`SAMSPILL_BENCH_CEILING=1` mounts the ceiling endpoint (`bench.ceiling`) and
`SAMSPILL_BENCH_QUERIES=1` adds an `X-Samspill-Queries` header with the number of SQL
statements each request sent (`bench.instrument`).
"""

from __future__ import annotations

import os

from flask import Flask

CEILING_ENV = "SAMSPILL_BENCH_CEILING"
QUERIES_ENV = "SAMSPILL_BENCH_QUERIES"


def _enabled(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _register_cli(cli_group) -> None:
    from bench.cli import register

    register(cli_group)


def init_app(app: Flask) -> None:
    """Register the bench commands; mount the benchmark-only endpoint and header when asked."""
    app.extensions.setdefault("samspill.cli_registrars", []).append(_register_cli)
    if _enabled(CEILING_ENV):
        from bench import ceiling

        ceiling.init_app(app)
    if _enabled(QUERIES_ENV):
        from bench import instrument

        instrument.init_app(app)
