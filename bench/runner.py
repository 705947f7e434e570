"""`samspill bench run`: one benchmark per database scale, against the real server.

For each scale: make (or reuse) the database, pick the benchmark person and rows, start
`samspill serve` on a free loopback port, sign in through the form, then for the ceiling and
every endpoint send one probe request (status, SQL statements) and drive it with wrk — a
warm-up, then the measured run. The ceiling is measured first and last; every figure is also
given as a ratio to the mean of the two. Afterwards: worker memory, and optionally profiles of
the slowest endpoints.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bench import CEILING_ENV, client, server, wrk
from bench.databases import DEFAULT_POSTGRES_URL, BenchDatabase, env_var, prepare_postgres, prepare_sqlite
from bench.endpoints import (
    CEILING,
    ENDPOINTS,
    Endpoint,
    Targets,
    availability,
    headers_for,
    route_exists,
)
from bench.profile import profile_slowest
from bench.report import evaluate_targets, growth, machine_info
from bench.targets import find_deep_cursor, prepare_targets
from core.app import create_app


@dataclass
class Settings:
    out: Path
    database: str = "sqlite"
    scales: tuple[float, ...] = (1.0,)
    duration: float = 10.0
    warmup: float = 2.0
    connections: int = 16
    workers: int = 2
    threads: int = 2
    postgres_url: str = DEFAULT_POSTGRES_URL
    data_dir: Path | None = None
    regenerate: bool = False
    only: tuple[str, ...] = ()
    profile: int = 0
    note: str = ""
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"database": self.database, "scales": list(self.scales), "duration_s": self.duration,
                "warmup_s": self.warmup, "connections": self.connections, "workers": self.workers,
                "wrk_threads": self.threads, "only": list(self.only), "note": self.note}


def _prepare_database(settings: Settings, scale: float, echo) -> BenchDatabase:
    data_dir = settings.data_dir or settings.out / "data"
    if settings.database == "postgres":
        return prepare_postgres(scale, settings.postgres_url, data_dir, settings.regenerate, echo)
    return prepare_sqlite(scale, data_dir, settings.regenerate, echo)


def _measure(app, base_url: str, endpoint: Endpoint, targets: Targets, settings: Settings) -> dict:
    entry: dict = {"name": endpoint.name, "label": endpoint.label, "kind": endpoint.kind,
                   "method": endpoint.method, "page": endpoint.page}
    paths, reason = availability(app, endpoint, targets)
    if not paths:
        return {**entry, "available": False, "reason": reason}
    headers = headers_for(endpoint, targets)
    body = endpoint.body.replace("{n}", "0").encode() if endpoint.body else None
    probe = client.request(base_url, endpoint.method, paths[0], headers=headers, body=body)
    entry.update(available=True, path=paths[0], paths=len(paths), status=probe.status,
                 bytes=len(probe.body), queries=_int(probe.headers.get("x-samspill-queries")),
                 queries_all=_int(probe.headers.get("x-samspill-queries-all")),
                 settings_sent=_int(probe.headers.get("x-samspill-settings-sent")))
    if probe.status not in endpoint.expect:
        entry["error"] = f"HTTP {probe.status} (expected {'/'.join(map(str, endpoint.expect))})"
        return entry
    if settings.duration <= 0:  # probe only: status and SQL statements, no load
        return entry
    load = {"method": endpoint.method, "headers": headers, "body_template": endpoint.body,
            "connections": settings.connections, "threads": settings.threads}
    if settings.warmup > 0:
        wrk.run(base_url, paths, duration=settings.warmup, **load)
    entry.update(wrk.run(base_url, paths, duration=settings.duration, **load).as_dict())
    return entry


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _line(entry: dict) -> str:
    if not entry.get("available"):
        return f"  {entry['name']:<24} not available: {entry['reason']}"
    if "rps" not in entry:
        return (f"  {entry['name']:<24} {entry.get('error') or 'probed'}: HTTP {entry['status']}, "
                f"{entry['queries']} SQL, {entry['queries_all']} with savepoints, "
                f"+{entry['settings_sent']} scope settings")
    return (f"  {entry['name']:<24} {entry['rps']:>8.1f} req/s  p50 {entry['p50_ms']:.1f} ms  "
            f"p99 {entry['p99_ms']:.1f} ms  {entry['queries']} SQL")


def run_scale(settings: Settings, scale: float, echo: Callable[[str], None]) -> dict:
    """Everything measured at one scale."""
    instance = settings.out / "instance"
    instance.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    database = _prepare_database(settings, scale, echo)
    echo(f"scale {scale:g}: database {'reused' if database.reused else 'generated'} "
         f"({time.perf_counter() - began:.1f} s)")
    with env_var(CEILING_ENV, "1"):  # the same routes as the server, for `availability`
        app = create_app({"SQLALCHEMY_DATABASE_URI": database.app_url, "INSTANCE_PATH": str(instance)})
    targets = prepare_targets(app)
    env = server.server_env(database.app_url, instance)
    run: dict = {"scale": scale, "database": settings.database, "data_reused": database.reused,
                 "generation": database.generation, "tenant": targets.tenant_slug,
                 "visible_procurements": targets.visible_count,
                 "app_factory_s": server.app_factory_seconds(env),
                 "loadavg_before": os.getloadavg()}
    running = server.start(env, settings.workers, settings.out / f"server-s{scale:g}.log")
    try:
        pids = server.wait_for_workers(running, settings.workers)
        run["startup_s"] = running.startup_seconds
        targets.cookie = client.sign_in(running.base_url, targets.email, targets.password)
        if route_exists(app, f"/api/v1/tenants/{targets.tenant_slug}/procurements", "GET"):
            find_deep_cursor(running.base_url, targets)
        run["deep_page"] = targets.deep_page
        selected = [e for e in ENDPOINTS if not settings.only or e.name in settings.only]
        ceiling_first = _measure(app, running.base_url, CEILING, targets, settings)
        echo(_line(ceiling_first))
        endpoints = []
        for endpoint in selected:
            endpoints.append(_measure(app, running.base_url, endpoint, targets, settings))
            echo(_line(endpoints[-1]))
        ceiling_last = _measure(app, running.base_url, CEILING, targets, settings)
        echo(_line(ceiling_last))
        run["worker_rss_mib"] = [server.rss_mib(pid) for pid in pids]
    finally:
        server.stop_process(running.process)
    run["loadavg_after"] = os.getloadavg()
    run["ceiling"] = _ceiling(ceiling_first, ceiling_last)
    for entry in endpoints:
        if entry.get("rps") and run["ceiling"].get("rps"):
            entry["ratio_to_ceiling"] = round(entry["rps"] / run["ceiling"]["rps"], 3)
    run["endpoints"] = endpoints
    run["notes"] = targets.notes
    if settings.profile:
        run["profiles"] = profile_slowest(app, targets, endpoints, settings.profile,
                                          settings.out / "profiles" / f"s{scale:g}")
    return run


def _ceiling(first: dict, last: dict) -> dict:
    if "rps" not in first or "rps" not in last:
        return {"first": first, "last": last, "error": first.get("error") or last.get("error")}
    mean = lambda key: round((first[key] + last[key]) / 2, 3)  # noqa: E731
    return {"rps": mean("rps"), "p50_ms": mean("p50_ms"), "p95_ms": mean("p95_ms"),
            "p99_ms": mean("p99_ms"), "queries": first.get("queries"),
            "drift": round(last["rps"] / first["rps"] - 1, 3), "first": first, "last": last}


def run(settings: Settings, echo: Callable[[str], None]) -> dict:
    """The whole benchmark: every scale, then growth between them and the targets."""
    settings.out.mkdir(parents=True, exist_ok=True)
    report = {"meta": {**machine_info(settings), "settings": settings.as_dict(),
                       "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}, "runs": []}
    for scale in settings.scales:
        report["runs"].append(run_scale(settings, scale, echo))
    report["growth"] = growth(report["runs"])
    report["targets"] = evaluate_targets(report)
    return report
