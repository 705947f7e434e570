"""The whole harness once, at a tiny scale: data, `samspill serve`, sign-in, wrk, report.

It checks that every piece ran and the report holds what was measured — never a timing.
"""

from __future__ import annotations

import json
import shutil

import pytest

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")


def test_bench_run_measures_dashboard_against_ceiling(runner, tmp_path):
    out = tmp_path / "report"
    result = runner.invoke(args=[
        "bench", "run", "--out", str(out), "--database", "sqlite", "--scale", "0.01",
        "--duration", "1", "--warmup", "0", "--connections", "2", "--workers", "1", "--threads", "1",
        "--only", "dashboard", "--only", "arena",
    ])
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text())
    run = data["runs"][0]
    assert run["scale"] == 0.01 and run["generation"]["counts"]["tenants"] >= 6
    assert run["ceiling"]["rps"] > 0 and run["ceiling"]["queries"] == 1
    dashboard = next(e for e in run["endpoints"] if e["name"] == "dashboard")
    assert dashboard["status"] == 200 and dashboard["requests"] > 0 and not dashboard.get("errors")
    assert dashboard["ratio_to_ceiling"] > 0 and dashboard["queries"] >= 1
    assert len(run["worker_rss_mib"]) == 1 and run["startup_s"] > 0
    assert "Tenant dashboard (HTML)" in (out / "report.md").read_text()


def test_bench_database_is_reused_until_regenerate(tmp_path):
    from bench.databases import prepare_sqlite

    first = prepare_sqlite(0.01, tmp_path, regenerate=False, progress=lambda line: None)
    again = prepare_sqlite(0.01, tmp_path, regenerate=False, progress=lambda line: None)
    fresh = prepare_sqlite(0.01, tmp_path, regenerate=True, progress=lambda line: None)
    assert (first.reused, again.reused, fresh.reused) == (False, True, False)
    assert again.generation["counts"] == first.generation["counts"]
    assert first.app_url.endswith("bench-s0_01.db")


def test_bench_run_refuses_an_unknown_endpoint(runner, tmp_path):
    result = runner.invoke(args=["bench", "run", "--out", str(tmp_path), "--only", "nosuch"])
    assert result.exit_code != 0 and "unknown endpoint" in result.output
