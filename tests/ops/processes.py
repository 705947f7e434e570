"""Real processes for the operability and scale-out tests: `samspill serve`, `samspill worker`,
started as the operator starts them, each in its own process group."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def samspill_command() -> list[str]:
    script = Path(sys.executable).with_name("samspill")
    if script.exists():
        return [str(script)]
    found = shutil.which("samspill")
    return [found] if found else [sys.executable, "-c", "from core.console import main; main()"]


def environment(instance: Path, **settings: str) -> dict[str, str]:
    """The test process's environment without its own Samspill settings, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAMSPILL_") and k != "PROMETHEUS_MULTIPROC_DIR"}
    env.update(SAMSPILL_INSTANCE_PATH=str(instance), SAMSPILL_SECURE_COOKIES="0", PYTHONUNBUFFERED="1",
               PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""))
    env.update(settings)
    return env


def run(args: list[str], env: dict[str, str], timeout: int = 180) -> str:
    done = subprocess.run([*samspill_command(), *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@dataclass
class Process:
    process: subprocess.Popen
    log_path: Path
    base_url: str = ""
    extra: dict = field(default_factory=dict)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL to the whole group: no goodbye, as when a host dies."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()


def start(args: list[str], env: dict[str, str], log_path: Path) -> Process:
    with log_path.open("ab") as log:
        process = subprocess.Popen([*samspill_command(), *args], cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    return Process(process, log_path)


def serve(env: dict[str, str], log_path: Path, workers: int = 2, timeout: float = 60) -> Process:
    """`samspill serve` on a free loopback port, waited for until `/readyz` answers 200."""
    port = free_port()
    server = start(["serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)], env, log_path)
    server.base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"samspill serve exited with {server.process.returncode}:\n{server.log()}")
        try:
            if requests.get(server.base_url + "/readyz", timeout=2).status_code == 200:
                return server
        except requests.RequestException:
            pass
        time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"samspill serve not ready after {timeout} s:\n{server.log()}")
