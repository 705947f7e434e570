"""The `samspill bench-data` and `samspill bench run|report` commands."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click
from flask.cli import with_appcontext

from bench import cpu, runner, rush
from bench import report as report_module
from bench.data import TINY_SCALE, generate
from bench.databases import DEFAULT_POSTGRES_URL, analyze, prepare_postgres, prepare_sqlite
from bench.endpoints import ENDPOINTS
from core.commands import cli_errors
from core.db import db


@click.command("bench-data")
@click.option("--scale", type=float, default=1.0, show_default=True,
              help="1 = every municipality, 3 000 procurements, 200 000 audit entries; "
                   "10 = ten times the per-tenant volume.")
@click.option("--tiny", is_flag=True, help="Scale 0.01, for tests and smoke runs.")
@click.option("--seed", type=int, default=2026, show_default=True)
@with_appcontext
@cli_errors
def bench_data(scale: float, tiny: bool, seed: int) -> None:
    """Fill an empty database with benchmark data (one transaction)."""
    if scale <= 0:
        raise click.BadParameter("must be positive", param_hint="--scale")
    report = generate(TINY_SCALE if tiny else scale, seed=seed, progress=click.echo)
    db.session.commit()
    analyze(db.engine)
    click.echo(f"Generated scale {report.volumes.scale:g} in {report.total_seconds:.1f} s "
               f"({sum(report.rows_written.values()):,} rows; busiest tenant: {report.target_tenant}).")
    for kind, reason in report.missing.items():
        click.echo(f"Not generated: {kind} ({reason})")


@click.group("bench")
def bench_group() -> None:
    """Load benchmarks against `samspill serve` (see docs/benchmarks.md)."""


def _default_postgres_url() -> str:
    return (os.environ.get("SAMSPILL_BENCH_POSTGRES_URL") or os.environ.get("SAMSPILL_TEST_DATABASE_URL")
            or DEFAULT_POSTGRES_URL)


@bench_group.command("run")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for report.md, report.json, server logs and profiles.")
@click.option("--database", type=click.Choice(["sqlite", "postgres"]), default="sqlite", show_default=True)
@click.option("--scale", "scales", type=float, multiple=True,
              help="Data scale; repeat for cost growth (e.g. --scale 1 --scale 10). Default 1.")
@click.option("--duration", type=float, default=10.0, show_default=True,
              help="Seconds measured per endpoint (0: only probe status and SQL statements).")
@click.option("--warmup", type=float, default=2.0, show_default=True, help="Seconds of warm-up per endpoint.")
@click.option("--connections", type=int, default=16, show_default=True)
@click.option("--workers", type=int, default=2, show_default=True, help="gunicorn workers.")
@click.option("--threads", type=int, default=2, show_default=True, help="wrk threads.")
@click.option("--postgres-url", default=None,
              help="Owner URL of the PostgreSQL server (default: $SAMSPILL_BENCH_POSTGRES_URL, "
                   "$SAMSPILL_TEST_DATABASE_URL or postgres@127.0.0.1).")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where SQLite benchmark databases are kept between runs (default OUT/data).")
@click.option("--regenerate", is_flag=True, help="Make the data again even if a matching database exists.")
@click.option("--only", multiple=True, help="Measure only these endpoints (names as in the report).")
@click.option("--profile", type=int, default=0, show_default=True,
              help="Profile this many of the slowest endpoints with pyinstrument afterwards.")
@click.option("--note", default="", help="A line for the report, e.g. what else ran on the machine.")
def bench_run(out, database, scales, duration, warmup, connections, workers, threads, postgres_url,
              data_dir, regenerate, only, profile, note) -> None:
    """Measure throughput and latency of the main endpoints against a ceiling endpoint."""
    unknown = set(only) - {e.name for e in ENDPOINTS}
    if unknown:
        raise click.BadParameter(f"unknown endpoint(s): {', '.join(sorted(unknown))}", param_hint="--only")
    if any(s <= 0 for s in scales):
        raise click.BadParameter("must be positive", param_hint="--scale")
    settings = runner.Settings(
        out=out, database=database, scales=tuple(scales) or (1.0,), duration=duration, warmup=warmup,
        connections=connections, workers=workers, threads=threads,
        postgres_url=postgres_url or _default_postgres_url(), data_dir=data_dir,
        regenerate=regenerate, only=tuple(only), profile=profile, note=note,
    )
    try:
        report = runner.run(settings, click.echo)
    except (RuntimeError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    json_path, md_path = report_module.write(report, out)
    click.echo("")
    click.echo(report_module.summary(report))
    click.echo(f"\nReport: {md_path} and {json_path}")


@bench_group.command("rush")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Folder for rush.json and the server log.")
@click.option("--database", type=click.Choice(["sqlite", "postgres"]), default="postgres", show_default=True)
@click.option("--scale", type=float, default=1.0, show_default=True)
@click.option("--suppliers", type=int, default=150, show_default=True)
@click.option("--seconds", type=float, default=10.0, show_default=True, help="The last seconds before the deadline.")
@click.option("--warmup", type=float, default=2.0, show_default=True)
@click.option("--connections", type=int, default=48, show_default=True)
@click.option("--workers", type=int, default=4, show_default=True, help="gunicorn workers.")
@click.option("--threads", type=int, default=2, show_default=True, help="wrk threads.")
@click.option("--postgres-url", default=None)
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
def bench_rush(out, database, scale, suppliers, seconds, warmup, connections, workers, threads, postgres_url,
               data_dir) -> None:
    """The deadline rush: N suppliers submitting questionnaire responses in the last seconds."""
    settings = runner.Settings(out=out, database=database, scales=(scale,), duration=seconds, warmup=warmup,
                               connections=connections, workers=workers, threads=threads,
                               postgres_url=postgres_url or _default_postgres_url(), data_dir=data_dir)
    out.mkdir(parents=True, exist_ok=True)
    try:
        result = rush.run(settings, scale, suppliers, seconds, click.echo)
    except (RuntimeError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    (out / "rush.json").write_text(json.dumps(result, indent=2))


@bench_group.command("cpu")
@click.option("--database", type=click.Choice(["sqlite", "postgres"]), default="postgres", show_default=True)
@click.option("--scale", type=float, default=1.0, show_default=True)
@click.option("--requests", type=int, default=100, show_default=True, help="Requests per endpoint per round.")
@click.option("--rounds", type=int, default=3, show_default=True, help="Alternating rounds over the endpoints.")
@click.option("--only", multiple=True, help="Measure only these endpoints (the ceiling always).")
@click.option("--postgres-url", default=None)
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("bench-data"),
              show_default=True, help="Where SQLite databases and the instance folder are kept.")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the results to this file.")
@click.option("--profile", is_flag=True, help="Print a cProfile (CPU time) of each endpoint instead.")
def bench_cpu(database, scale, requests, rounds, only, postgres_url, data_dir, json_path, profile) -> None:
    """CPU ms per request of each endpoint in this process, and the ratio to the ceiling's."""
    if database == "postgres":
        found = prepare_postgres(scale, postgres_url or _default_postgres_url(), data_dir, False, click.echo)
    else:
        found = prepare_sqlite(scale, data_dir, False, click.echo)
    app, targets = cpu.prepare(found.app_url, data_dir / "cpu-instance")
    if profile:
        for name in only or [cpu.CEILING.name] + [e.name for e in cpu.ENDPOINTS if e.kind != "health"]:
            click.echo(cpu.profile(app, targets, name, requests))
        return
    results = cpu.measure(app, targets, tuple(only), requests, rounds, click.echo)
    click.echo(cpu.table(results))
    if json_path:
        json_path.write_text(json.dumps(results, indent=2))


@bench_group.command("report")
@click.argument("reports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True)
def bench_report(reports, out) -> None:
    """Merge report.json files of separate runs (e.g. scale 1 and scale 10) into one report."""
    loaded = [json.loads(p.read_text()) for p in reports]
    merged = {"meta": loaded[0]["meta"], "runs": [run for r in loaded for run in r["runs"]]}
    merged["growth"] = report_module.growth(merged["runs"])
    merged["targets"] = report_module.evaluate_targets(merged)
    json_path, md_path = report_module.write(merged, out)
    click.echo(report_module.summary(merged))
    click.echo(f"\nReport: {md_path} and {json_path}")


def register(cli_group: click.Group) -> None:
    """Add the bench commands to the `samspill` group."""
    cli_group.add_command(bench_data)
    cli_group.add_command(bench_group)
