"""The benchmark report: machine facts, growth between scales, targets, markdown and JSON.

`write(report, folder)` leaves `report.json` (everything measured) and `report.md` (the same
for people); `summary(report)` is the short text printed on stdout. The targets are the ones
in the benchmark issue; a missed target says by how much.
"""

from __future__ import annotations

import json
import os
import platform
import sqlite3
from importlib import metadata
from pathlib import Path

from bench import wrk
from bench.databases import database_version

API_LIST_SHARE, HTML_SHARE = 0.60, 0.40
P99_LIMIT_MS, GROWTH_LIMIT, SQL_LIMIT, RSS_LIMIT_MIB = 50.0, 1.2, 10, 150.0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        return None
    return None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def machine_info(settings) -> dict:
    if settings.database == "postgres":
        try:
            db_version = "PostgreSQL " + database_version(settings.postgres_url)
        except Exception as exc:  # the report says so rather than failing  # noqa: BLE001
            db_version = f"PostgreSQL (version unknown: {exc.__class__.__name__})"
    else:
        db_version = "SQLite " + sqlite3.sqlite_version
    return {"machine": {
        "cpu": _cpu_model(), "cores": os.cpu_count(), "memory_gib": _memory_gib(),
        "os": platform.platform(), "python": platform.python_version(),
        "database": db_version, "wrk": wrk.wrk_version(),
        "packages": {p: _version(p) for p in ("flask", "sqlalchemy", "gunicorn", "marshmallow",
                                              "psycopg", "jinja2")},
    }}


def _by_name(run: dict) -> dict[str, dict]:
    return {e["name"]: e for e in run.get("endpoints", [])}


def growth(runs: list[dict]) -> list[dict]:
    """Per endpoint, the smallest scale against the largest: cost per request and SQL."""
    if len(runs) < 2:
        return []
    small, large = min(runs, key=lambda r: r["scale"]), max(runs, key=lambda r: r["scale"])
    rows = []
    pairs = [("ceiling", small["ceiling"], large["ceiling"])]
    pairs += [(name, e, _by_name(large).get(name, {})) for name, e in _by_name(small).items()]
    for name, a, b in pairs:
        if not (a.get("rps") and b.get("rps")):
            continue
        rows.append({
            "name": name, "scales": [small["scale"], large["scale"]], "rps": [a["rps"], b["rps"]],
            "cost_ratio": round(a["rps"] / b["rps"], 3),
            "p50_ms": [a["p50_ms"], b["p50_ms"]], "p99_ms": [a["p99_ms"], b["p99_ms"]],
            "queries": [a.get("queries"), b.get("queries")],
        })
    return rows


def _target(name: str, ok: bool | None, detail: str) -> dict:
    return {"target": name, "status": "not measured" if ok is None else ("met" if ok else "missed"),
            "detail": detail}


def _share_target(run: dict, names: list[str], share: float, label: str) -> dict:
    found = [(n, e["ratio_to_ceiling"]) for n, e in _by_name(run).items()
             if n in names and e.get("ratio_to_ceiling") is not None]
    if not found:
        return _target(label, None, "endpoint not available")
    worst = min(found, key=lambda x: x[1])
    detail = ", ".join(f"{n} {r:.0%}" for n, r in found)
    if worst[1] < share:
        detail += f" — {worst[0]} short by {share - worst[1]:.0%} of the ceiling"
    return _target(label, worst[1] >= share, detail + f" (scale {run['scale']:g})")


def evaluate_targets(report: dict) -> list[dict]:
    runs = report["runs"]
    if not runs:
        return []
    large = max(runs, key=lambda r: r["scale"])
    targets = [
        _share_target(large, ["procurements_api", "procurements_api_deep"], API_LIST_SHARE,
                      "API procurement list ≥ 60 % of the ceiling"),
        _share_target(large, ["dashboard", "procurement_page"], HTML_SHARE,
                      "HTML dashboard and procurement page ≥ 40 % of the ceiling"),
    ]
    reads = [e for e in large.get("endpoints", []) if e["kind"] == "read" and e.get("p99_ms")]
    slow = [f"{e['name']} {e['p99_ms']:.1f} ms" for e in reads if e["p99_ms"] >= P99_LIMIT_MS]
    note = "" if large["scale"] >= 10 else f" (measured at scale {large['scale']:g}, not 10)"
    targets.append(_target("p99 < 50 ms for every read endpoint at scale 10",
                           None if not reads else not slow,
                           ("over: " + ", ".join(slow) if slow else "all under") + note))
    rows = [g for g in report["growth"] if g["name"] != "ceiling"]
    over = [f"{g['name']} {g['cost_ratio']:.2f}×" for g in rows if g["cost_ratio"] > GROWTH_LIMIT]
    targets.append(_target("scale 10 costs ≤ 1.2× scale 1 per request", None if not rows else not over,
                           ("over: " + ", ".join(over)) if over else
                           ("all within" if rows else "needs runs at two scales")))
    pages = [e for r in runs for e in r.get("endpoints", []) if e.get("page") and e.get("queries") is not None]
    many = sorted({f"{e['name']} {e['queries']}" for e in pages if e["queries"] > SQL_LIMIT})
    changing = [g["name"] for g in rows if len(set(g["queries"])) > 1]
    targets.append(_target("SQL statements per request constant in data size and ≤ 10 per page",
                           None if not pages else not (many or changing),
                           "; ".join(filter(None, ["over 10: " + ", ".join(many) if many else "",
                                                   "grows with data: " + ", ".join(changing)
                                                   if changing else ""])) or "all within"))
    rss = [m for r in runs for m in r.get("worker_rss_mib", []) if m]
    targets.append(_target("under 150 MB resident per worker", None if not rss else max(rss) < RSS_LIMIT_MIB,
                           f"largest {max(rss):.0f} MiB" if rss else ""))
    return targets


def _ms(value) -> str:
    return f"{value:.1f}" if isinstance(value, int | float) else "–"


def _sql(e: dict) -> str:
    """Statements per request; PostgreSQL scope settings sent on their own as '+n'."""
    queries = e.get("queries")
    if queries is None:
        return "–"
    return f"{queries} +{e['settings_sent']}" if e.get("settings_sent") else str(queries)


def _endpoint_row(e: dict) -> str:
    if not e.get("available"):
        return f"| {e['label']} | not available: {e['reason']} | | | | | |"
    if "rps" not in e:
        return f"| {e['label']} | {e.get('error') or 'not loaded'} | | | | | {_sql(e)} |"
    ratio = e.get("ratio_to_ceiling")
    return (f"| {e['label']} | {e['rps']:.0f} | {f'{ratio:.2f}' if ratio is not None else '–'} "
            f"| {_ms(e['p50_ms'])} | {_ms(e['p95_ms'])} | {_ms(e['p99_ms'])} | {_sql(e)} |")


def _run_markdown(run: dict) -> list[str]:
    gen = run["generation"]
    counts = ", ".join(f"{v:,} {k}" for k, v in gen.get("counts", {}).items())
    c = run["ceiling"]
    lines = [
        f"## Scale {run['scale']:g} ({run['database']})", "",
        f"Data: {counts} ({'reused' if run['data_reused'] else 'generated'}, "
        f"generation took {gen.get('total_seconds', 0):.0f} s)."
        + (f" Not generated (model missing): {', '.join(gen['missing'])}." if gen.get("missing") else ""),
        f"Measured as `{run['tenant']}` ({run['visible_procurements']:,} procurements visible; "
        f"deep page = page {run.get('deep_page') or '–'}).",
        f"Start-up: {run.get('startup_s', 0):.2f} s from spawning `samspill serve` to the first 200 "
        f"from /readyz; importing and building the app: {run['app_factory_s']:.2f} s.",
        f"Ceiling: {c.get('rps', 0):.0f} req/s, p99 {_ms(c.get('p99_ms'))} ms, "
        f"drift first→last {c.get('drift', 0):+.0%}. Load average before/after: "
        f"{run['loadavg_before'][0]:.2f} / {run['loadavg_after'][0]:.2f}.", "",
        "| endpoint | req/s | × ceiling | p50 ms | p95 ms | p99 ms | SQL/request (+scope settings) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| Ceiling (mean of first and last) | {c.get('rps', 0):.0f} | 1.00 | {_ms(c.get('p50_ms'))} "
        f"| {_ms(c.get('p95_ms'))} | {_ms(c.get('p99_ms'))} | {_sql(c.get('first', {}))} |",
    ]
    lines += [_endpoint_row(e) for e in run["endpoints"]]
    rss = ", ".join(f"{m:.0f} MiB" for m in run.get("worker_rss_mib", []) if m)
    lines += ["", f"Resident memory per worker after the run: {rss or '–'}."]
    errors = [f"{e['name']}: {e['errors']}" for e in run["endpoints"] if e.get("errors")]
    if errors:
        lines.append("Errors during load: " + "; ".join(errors) + ".")
    if run.get("profiles"):
        lines.append("Profiles: " + ", ".join(f"{n} (`{p.get('text')}`)" for n, p in run["profiles"].items()
                                              if isinstance(p, dict)) + ".")
    return lines + [""]


def markdown(report: dict) -> str:
    meta, m = report["meta"], report["meta"]["machine"]
    s = meta["settings"]
    lines = [
        f"# Samspill benchmark, {meta['started_at']}", "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; {m['os']}; "
        f"Python {m['python']}; {m['database']}; {m['wrk']}.",
        f"Load: {s['workers']} gunicorn workers (`samspill serve`), {s['connections']} connections, "
        f"{s['wrk_threads']} wrk threads, {s['warmup_s']:g} s warm-up and {s['duration_s']:g} s "
        "measured per endpoint, on loopback.",
    ]
    if s.get("note"):
        lines.append(f"Note: {s['note']}")
    lines.append("")
    for run in report["runs"]:
        lines += _run_markdown(run)
    if report["growth"]:
        a, b = report["growth"][0]["scales"]
        lines += [f"## Cost growth, scale {a:g} → {b:g}", "",
                  "| endpoint | req/s | req/s | cost ratio | p99 ms | p99 ms | SQL | SQL |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for g in report["growth"]:
            lines.append(f"| {g['name']} | {g['rps'][0]:.0f} | {g['rps'][1]:.0f} | {g['cost_ratio']:.2f} "
                         f"| {_ms(g['p99_ms'][0])} | {_ms(g['p99_ms'][1])} | {g['queries'][0]} "
                         f"| {g['queries'][1]} |")
        lines.append("")
    lines += ["## Targets", "", "| target | result | detail |", "| --- | --- | --- |"]
    lines += [f"| {t['target']} | {t['status']} | {t['detail']} |" for t in report["targets"]]
    return "\n".join(lines) + "\n"


def summary(report: dict) -> str:
    """A few lines for the terminal."""
    lines = []
    for run in report["runs"]:
        c = run["ceiling"]
        lines.append(f"scale {run['scale']:g} ({run['database']}): ceiling {c.get('rps', 0):.0f} req/s")
        for e in run["endpoints"]:
            if e.get("rps"):
                lines.append(f"  {e['name']:<24} {e['rps']:>7.0f} req/s  {e.get('ratio_to_ceiling', 0):>5.2f}× "
                             f"p99 {e['p99_ms']:>6.1f} ms  {e.get('queries')} SQL")
            elif e.get("available") and not e.get("error"):
                lines.append(f"  {e['name']:<24} HTTP {e['status']}, {e.get('queries')} SQL (not loaded)")
            else:
                lines.append(f"  {e['name']:<24} {e.get('reason') or e.get('error')}")
    for g in report["growth"]:
        lines.append(f"growth {g['name']:<24} cost ×{g['cost_ratio']:.2f}")
    lines += [f"target: {t['status']:<12} {t['target']}" for t in report["targets"]]
    return "\n".join(lines)


def write(report: dict, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    json_path, md_path = folder / "report.json", folder / "report.md"
    json_path.write_text(json.dumps(report, indent=2, default=str, ensure_ascii=False))
    md_path.write_text(markdown(report))
    return json_path, md_path
