"""Driving an endpoint with wrk (Debian package `wrk`) from a second process.

A generated Lua script adds the endpoint's headers (session cookie or bearer token), rotates
over its paths, fills a fresh body per request for writes, and prints the throughput and the
latency percentiles as one JSON line when wrk is done (wrk's own `--latency` table has no p95).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

MARKER = "SAMSPILL_BENCH_RESULT "

LUA = r"""
local paths = {%(paths)s}
local method = [==[%(method)s]==]
local body_template = %(body)s
%(headers)s
local counter = 0

request = function()
  counter = counter + 1
  local path = paths[(counter %% #paths) + 1]
  local body = nil
  if body_template then
    body = string.gsub(body_template, "{n}", tostring(counter))
  end
  return wrk.format(method, path, nil, body)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%(marker)s{"requests":%%d,"duration_us":%%d,"bytes":%%d,"connect":%%d,"read":%%d,' ..
    '"write":%%d,"status":%%d,"timeout":%%d,"p50":%%d,"p90":%%d,"p95":%%d,"p99":%%d,' ..
    '"max":%%d,"mean":%%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean))
end
"""


class WrkMissing(RuntimeError):
    """wrk is not installed (`apt-get install -y wrk`)."""


@dataclass
class WrkResult:
    """Throughput and latency of one measured wrk run (times in milliseconds)."""

    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    errors: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def _lua_string(value: str) -> str:
    return "[==[" + value + "]==]"


def lua_script(paths: list[str], *, method: str = "GET", headers: dict[str, str] | None = None,
               body_template: str | None = None) -> str:
    """The wrk script for one endpoint; `{n}` in the body becomes a per-request counter."""
    header_lines = "\n".join(f"wrk.headers[{json.dumps(k)}] = {_lua_string(v)}"
                             for k, v in (headers or {}).items())
    return LUA % {
        "paths": ", ".join(_lua_string(p) for p in paths), "method": method,
        "body": _lua_string(body_template) if body_template is not None else "nil",
        "headers": header_lines, "marker": MARKER,
    }


def parse_output(stdout: str) -> WrkResult:
    """The result line the script's `done` hook printed."""
    line = next((ln for ln in stdout.splitlines() if ln.startswith(MARKER)), None)
    if line is None:
        raise RuntimeError("wrk printed no result: " + stdout[-500:])
    data = json.loads(line[len(MARKER):])
    seconds = data["duration_us"] / 1e6
    errors = {k: data[k] for k in ("connect", "read", "write", "status", "timeout") if data[k]}
    return WrkResult(
        requests=data["requests"], seconds=round(seconds, 3),
        rps=round(data["requests"] / seconds, 1) if seconds else 0.0,
        p50_ms=data["p50"] / 1000, p90_ms=data["p90"] / 1000, p95_ms=data["p95"] / 1000,
        p99_ms=data["p99"] / 1000, max_ms=data["max"] / 1000,
        mean_ms=round(data["mean"] / 1000, 3), errors=errors,
    )


def wrk_version() -> str | None:
    binary = shutil.which("wrk")
    if binary is None:
        return None
    out = subprocess.run([binary, "-v"], capture_output=True, text=True, check=False)  # noqa: S603
    text = (out.stdout or out.stderr or "wrk").splitlines()[0]
    return text.split(" [", 1)[0].strip()


def run(base_url: str, paths: list[str], *, duration: float, connections: int, threads: int,
        method: str = "GET", headers: dict[str, str] | None = None,
        body_template: str | None = None) -> WrkResult:
    """Load `paths` (rotated) for `duration` seconds with `connections` open connections."""
    binary = shutil.which("wrk")
    if binary is None:
        raise WrkMissing("wrk is not installed; on Debian: apt-get install -y wrk")
    with tempfile.TemporaryDirectory(prefix="samspill-wrk-") as tmp:
        script = Path(tmp) / "endpoint.lua"
        script.write_text(lua_script(paths, method=method, headers=headers,
                                     body_template=body_template))
        command = [binary, f"-t{max(1, min(threads, connections))}", f"-c{connections}",
                   f"-d{max(1, round(duration))}s", "--timeout", "10s", "-s", str(script), base_url]
        out = subprocess.run(command, capture_output=True, text=True,  # noqa: S603
                             timeout=duration + 60, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"wrk failed ({out.returncode}): {out.stderr.strip()[-500:]}")
    try:
        return parse_output(out.stdout)
    except RuntimeError as exc:
        raise RuntimeError(f"{exc} {out.stderr.strip()[-500:]}") from None
