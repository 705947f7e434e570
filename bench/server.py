"""The app under test: `samspill serve` (gunicorn, `core.server`) in a child process.

The server is started exactly as an operator starts it — the `samspill serve` command with
`--bind` and `--workers` — on a free loopback port, with the benchmark switches in its
environment. Start-up time is measured from spawning to the first 200 from `/readyz`; worker
memory is read from `/proc/<pid>/status` (VmRSS) of the gunicorn master's children.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class RunningServer:
    process: subprocess.Popen
    host: str
    port: int
    startup_seconds: float
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def serve_command(bind: str, workers: int) -> list[str]:
    """`samspill serve --bind … --workers …`, with this interpreter."""
    script = Path(sys.executable).parent / "samspill"
    if script.exists():
        return [str(script), "serve", "--bind", bind, "--workers", str(workers)]
    return [sys.executable, "-c", "import sys; from core.console import main; sys.exit(main())",
            "serve", "--bind", bind, "--workers", str(workers)]


def _status(host: str, port: int, path: str) -> int | None:
    try:
        conn = http.client.HTTPConnection(host, port, timeout=2)
        conn.request("GET", path)
        status = conn.getresponse().status
        conn.close()
        return status
    except OSError:
        return None


def start(env: dict[str, str], workers: int, log_path: Path, timeout: float = 120) -> RunningServer:
    """Spawn the server and wait until `/readyz` answers 200."""
    host, port = "127.0.0.1", free_port()
    log = open(log_path, "ab")  # noqa: SIM115 (kept open for the child's lifetime)
    started = time.perf_counter()
    process = subprocess.Popen(serve_command(f"{host}:{port}", workers), env=env,  # noqa: S603
                               stdout=log, stderr=subprocess.STDOUT)
    log.close()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}; see {log_path}")
        if _status(host, port, "/readyz") == 200:
            return RunningServer(process, host, port, round(time.perf_counter() - started, 3), log_path)
        time.sleep(0.02)
    stop_process(process)
    raise RuntimeError(f"the server was not ready after {timeout} s; see {log_path}")


def wait_for_workers(server: RunningServer, workers: int, timeout: float = 60) -> list[int]:
    """The worker pids, once all of them have booted."""
    deadline = time.perf_counter() + timeout
    pids = worker_pids(server.process.pid)
    while len(pids) < workers and time.perf_counter() < deadline:
        time.sleep(0.1)
        pids = worker_pids(server.process.pid)
    return pids


def worker_pids(master_pid: int) -> list[int]:
    """Processes whose parent is the gunicorn master."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 1 and int(fields[1]) == master_pid:
            pids.append(int(entry.name))
    return sorted(pids)


def rss_mib(pid: int) -> float | None:
    """Resident memory of a process in MiB (VmRSS), or None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def stop_process(process: subprocess.Popen, timeout: float = 15) -> None:
    """Ask the gunicorn master (our own child) to stop; kill it if it will not."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def app_factory_seconds(env: dict[str, str]) -> float:
    """Import the code and build the app once, in a fresh interpreter, as a worker does."""
    code = ("import time; t = time.perf_counter(); from core.app import create_app; "
            "create_app(); print(time.perf_counter() - t)")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,  # noqa: S603
                         text=True, timeout=120, check=True)
    return round(float(out.stdout.strip().splitlines()[-1]), 3)


def server_env(database_url: str, instance_path: Path, extra: dict[str, str] | None = None) -> dict:
    """The environment of the benchmark app: the operator's, plus the benchmark switches."""
    env = {k: v for k, v in os.environ.items() if k != "SAMSPILL_MIGRATION_DATABASE_URL"}
    env.update({
        "SAMSPILL_DATABASE_URL": database_url,
        "SAMSPILL_INSTANCE_PATH": str(instance_path),
        "SAMSPILL_SECURE_COOKIES": "0",          # plain http on loopback, like `samspill demo`
        "SAMSPILL_SIGNIN_LIMIT": "1000 per minute",
        "SAMSPILL_BENCH_CEILING": "1",
        "SAMSPILL_BENCH_QUERIES": "1",
    })
    env.update(extra or {})
    return env
