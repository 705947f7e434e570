"""Profiles of the slowest endpoints with pyinstrument (`pip install pyinstrument`).

The profile runs in this process against the same database, through the app's test client
with the benchmark person's real session cookie or token, so the call tree shows where one
request's time goes without gunicorn and wrk in the picture. Text and HTML go to the folder.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from bench.endpoints import ENDPOINTS, Targets, headers_for

WARM_UP = 5


def profile_endpoint(app: Flask, targets: Targets, name: str, out_dir: Path,
                     requests: int = 100) -> dict:
    """Profile `requests` calls of one endpoint; returns where the output went."""
    from pyinstrument import Profiler  # noqa: PLC0415 - optional dependency, only when profiling

    endpoint = next(e for e in ENDPOINTS if e.name == name)
    paths = endpoint.paths(targets) or []
    headers = headers_for(endpoint, targets)
    test_client = app.test_client()
    if "Cookie" in headers:  # the test client sends only the cookies in its own jar
        cookie_name, _, cookie_value = headers.pop("Cookie").partition("=")
        test_client.set_cookie(cookie_name, cookie_value)

    def call(n: int):
        body = endpoint.body.replace("{n}", f"p{n}") if endpoint.body else None
        return test_client.open(paths[n % len(paths)], method=endpoint.method, headers=headers,
                                data=body)

    for n in range(WARM_UP):
        status = call(n).status_code
        if status not in endpoint.expect:
            return {"error": f"HTTP {status} in this process"}
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for n in range(requests):
        call(n)
    profiler.stop()
    out_dir.mkdir(parents=True, exist_ok=True)
    text_path, html_path = out_dir / f"{name}.txt", out_dir / f"{name}.html"
    text_path.write_text(profiler.output_text(unicode=True, color=False))
    html_path.write_text(profiler.output_html())
    return {"requests": requests, "text": str(text_path), "html": str(html_path)}


def profile_slowest(app: Flask, targets: Targets, results: list[dict], count: int,
                    out_dir: Path) -> dict:
    """Profile the `count` measured endpoints with the lowest throughput."""
    try:
        import pyinstrument  # noqa: F401, PLC0415 - optional dependency: is it installed?
    except ImportError:
        return {"error": "pyinstrument is not installed (pip install pyinstrument)"}
    measured = sorted((r for r in results if r.get("rps") and r["kind"] in ("read", "write")),
                      key=lambda r: r["rps"])
    return {r["name"]: profile_endpoint(app, targets, r["name"], out_dir)
            for r in measured[:count]}
