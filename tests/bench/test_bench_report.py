"""The benchmark report writer, the wrk script and the benchmark-only endpoint.

The report is fed made-up figures: these tests check what the report concludes from them,
never how fast anything is.
"""

from __future__ import annotations

import json

import pytest

from bench import report, wrk


def _endpoint(name, rps, p99, queries, *, page=True, kind="read"):
    return {"name": name, "label": name, "kind": kind, "page": page, "available": True,
            "status": 200, "rps": rps, "p50_ms": p99 / 3, "p95_ms": p99 / 2, "p99_ms": p99,
            "queries": queries, "ratio_to_ceiling": round(rps / 1000, 3)}


def _run(scale, endpoints, rss):
    return {
        "scale": scale, "database": "sqlite", "data_reused": False, "tenant": "nordvik",
        "visible_procurements": 200, "deep_page": 8, "app_factory_s": 0.5, "startup_s": 1.0,
        "loadavg_before": [0.1, 0.1, 0.1], "loadavg_after": [0.2, 0.2, 0.2],
        "generation": {"counts": {"tenants": 356}, "total_seconds": 3, "missing": {"needs": "no model"}},
        "ceiling": {"rps": 1000.0, "p50_ms": 5.0, "p95_ms": 8.0, "p99_ms": 10.0, "queries": 1, "drift": 0.01},
        "endpoints": endpoints, "worker_rss_mib": rss,
    }


def _report(runs):
    data = {"meta": {"started_at": "2026-01-01T00:00:00+0000", "machine": {
        "cpu": "Test CPU", "cores": 2, "memory_gib": 4, "os": "Linux", "python": "3.11",
        "database": "SQLite 3", "wrk": "wrk 4.1.0", "packages": {}},
        "settings": {"database": "sqlite", "scales": [1, 10], "duration_s": 10, "warmup_s": 2,
                     "connections": 16, "workers": 2, "wrk_threads": 2, "only": [], "note": "test"}},
        "runs": runs}
    data["growth"] = report.growth(runs)
    data["targets"] = report.evaluate_targets(data)
    return data


def _targets(data):
    return {t["target"].split(" ")[0] + t["target"].split(" ")[1]: t for t in data["targets"]}


def test_growth_and_targets_met():
    small = _run(1, [_endpoint("procurements_api", 700, 20, 4), _endpoint("dashboard", 500, 30, 5),
                     {"name": "arena", "label": "Arena", "kind": "read", "page": True,
                      "available": False, "reason": "route not in the app yet"}], [90.0, 95.0])
    large = _run(10, [_endpoint("procurements_api", 650, 22, 4), _endpoint("dashboard", 450, 33, 5)],
                 [100.0, 101.0])
    data = _report([small, large])
    by_name = {g["name"]: g for g in data["growth"]}
    assert by_name["procurements_api"]["cost_ratio"] == round(700 / 650, 3)
    assert by_name["dashboard"]["queries"] == [5, 5]
    assert {t["status"] for t in data["targets"]} == {"met"}


def test_missed_targets_say_which_endpoint_and_by_how_much():
    small = _run(1, [_endpoint("procurements_api", 700, 20, 4), _endpoint("dashboard", 500, 30, 5)], [90.0])
    large = _run(10, [_endpoint("procurements_api", 500, 60, 6), _endpoint("dashboard", 300, 30, 12)], [160.0])
    targets = {t["target"]: t for t in _report([small, large])["targets"]}
    api = targets["API procurement list ≥ 60 % of the ceiling"]
    assert api["status"] == "missed" and "procurements_api short by 10%" in api["detail"]
    assert targets["HTML dashboard and procurement page ≥ 40 % of the ceiling"]["status"] == "missed"
    p99 = targets["p99 < 50 ms for every read endpoint at scale 10"]
    assert p99["status"] == "missed" and "procurements_api 60.0 ms" in p99["detail"]
    growth = targets["scale 10 costs ≤ 1.2× scale 1 per request"]
    assert growth["status"] == "missed" and "dashboard 1.67×" in growth["detail"]
    sql = targets["SQL statements per request constant in data size and ≤ 10 per page"]
    assert sql["status"] == "missed" and "dashboard 12" in sql["detail"] and "procurements_api" in sql["detail"]
    assert targets["under 150 MB resident per worker"]["status"] == "missed"


def test_single_scale_leaves_growth_unmeasured():
    data = _report([_run(1, [_endpoint("procurements_api", 700, 20, 4)], [90.0])])
    assert data["growth"] == []
    growth = next(t for t in data["targets"] if t["target"].startswith("scale 10"))
    assert growth["status"] == "not measured"


def test_write_produces_json_and_markdown(tmp_path):
    data = _report([_run(1, [_endpoint("procurements_api", 700, 20, 4),
                             {"name": "arena", "label": "Learning arena", "kind": "read", "page": True,
                              "available": False, "reason": "route not in the app yet"}], [90.0])])
    json_path, md_path = report.write(data, tmp_path / "out")
    assert json.loads(json_path.read_text())["runs"][0]["endpoints"][0]["rps"] == 700
    text = md_path.read_text()
    assert "| procurements_api | 700 | 0.70 |" in text
    assert "| Learning arena | not available: route not in the app yet |" in text
    assert "Not generated (model missing): needs" in text
    assert "Test CPU, 2 cores" in text and "Note: test" in text
    assert "procurements_api" in report.summary(data)


def test_wrk_script_quotes_headers_and_parses_its_result_line():
    script = wrk.lua_script(["/a", "/b?x=1"], method="POST", headers={"Cookie": "s=a]b"},
                            body_template='{"n": {n}}')
    assert 'wrk.headers["Cookie"] = [==[s=a]b]==]' in script
    assert "paths = {[==[/a]==], [==[/b?x=1]==]}" in script
    line = (wrk.MARKER + '{"requests":200,"duration_us":2000000,"bytes":1,"connect":0,"read":0,'
            '"write":0,"status":3,"timeout":0,"p50":1500,"p90":2000,"p95":2500,"p99":4000,'
            '"max":9000,"mean":1700.0}')
    result = wrk.parse_output("Running 2s test\n" + line + "\n")
    assert (result.rps, result.p95_ms, result.p99_ms, result.errors) == (100.0, 2.5, 4.0, {"status": 3})
    with pytest.raises(RuntimeError):
        wrk.parse_output("no marker here")
