"""Browser tests: the real demo server and Debian's Chromium, driven by Playwright.

Fixtures for every test module in tests/e2e/ (mark each module `pytestmark = pytest.mark.e2e`):

`demo_server` (session)
    Starts the real server exactly as an operator would: a subprocess running
    `samspill demo --bind 127.0.0.1:<free port> --workers 1` with `SAMSPILL_INSTANCE_PATH` in a
    temporary folder, `SAMSPILL_DEMO_PASSWORD` set and `SAMSPILL_DATABASE_URL` unset (so the
    embedded SQLite default is used, migrated and seeded by `samspill demo` itself). It waits
    for `/readyz`, and yields a `DemoServer` with `base_url`, `password` (every demo person's
    password), `instance_path`, `log()` (the server's output so far) and
    `seconds_to_first_page` (process start → first served page; printed at the end of the run).
    The demo data is shared by all e2e tests of the session: use unique emails for new people.
    Under pytest-xdist (`-n 2`, as `tests.run_all` runs them) each worker is a session of its own,
    with its own demo server and Chromium; the measurements are gathered from the workers.

`browser` (session)
    Chromium (`SAMSPILL_CHROMIUM`, default /usr/bin/chromium), headless. No browser download:
    never run `playwright install`.

`new_page` (function)
    `new_page()` opens a page in a fresh browser context (own cookies) with the server's base
    URL, so `page.goto("/signin")` works, and a Norwegian browser (`Accept-Language: nb-NO`).
    Call it twice for two people at once.

`page` (function)
    One such page, for the common case.

`sign_in(page, email, password=None)`
    Signs in through the sign-in form (password defaults to the demo password) and waits until
    the browser has left the sign-in page. Import it: `from tests.e2e.conftest import sign_in`.

Tests find elements by id, name and URL, never by translated text.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
DEMO_PASSWORD = "e2e demo password 1"
CHROMIUM = os.environ.get("SAMSPILL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
STARTUP_TIMEOUT = 180
_measurements: dict[str, float] = {}


@dataclass
class DemoServer:
    base_url: str
    password: str
    instance_path: Path
    log_path: Path
    process: subprocess.Popen = field(repr=False)
    seconds_to_first_page: float = 0.0

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _samspill_command() -> list[str]:
    script = Path(sys.executable).with_name("samspill")
    if script.exists():
        return [str(script)]
    found = shutil.which("samspill")
    return [found] if found else [sys.executable, "-c", "from core.console import main; main()"]


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)  # gunicorn's master stops its workers
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its own process group: the master and its workers
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def demo_server():
    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set SAMSPILL_CHROMIUM)")
    instance = Path(tempfile.mkdtemp(prefix="samspill-e2e-"))
    port = _free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("SAMSPILL_DATABASE_URL", "SAMSPILL_SECURE_COOKIES", "SAMSPILL_MIGRATION_DATABASE_URL")}
    env.update(SAMSPILL_INSTANCE_PATH=str(instance), SAMSPILL_DEMO_PASSWORD=DEMO_PASSWORD,
               PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""), PYTHONUNBUFFERED="1")
    log_path = instance / "server.log"
    base_url = f"http://127.0.0.1:{port}"
    started = time.monotonic()
    with log_path.open("wb") as log:
        process = subprocess.Popen([*_samspill_command(), "demo", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                                   cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = DemoServer(base_url, DEMO_PASSWORD, instance, log_path, process)
    try:
        _wait_until_ready(server, started)
        first = requests.get(base_url + "/", timeout=10)
        assert first.status_code == 200, first.text[:500]
        server.seconds_to_first_page = time.monotonic() - started
        _measurements["samspill demo: process start to first served page (s)"] = server.seconds_to_first_page
        yield server
    finally:
        _stop(process)
        shutil.rmtree(instance, ignore_errors=True)


def _wait_until_ready(server: DemoServer, started: float) -> None:
    while time.monotonic() - started < STARTUP_TIMEOUT:
        if server.process.poll() is not None:
            raise RuntimeError(f"samspill demo exited with {server.process.returncode}:\n{server.log()}")
        try:
            if requests.get(server.base_url + "/readyz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"samspill demo not ready after {STARTUP_TIMEOUT} s:\n{server.log()}")


@pytest.fixture(scope="session")
def browser(demo_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, demo_server):
    contexts = []

    def open_page():
        context = browser.new_context(base_url=demo_server.base_url, locale="nb-NO")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def sign_in(page, email: str, password: str | None = None) -> None:
    """Sign in through the form; waits until the browser has left the sign-in page."""
    page.goto("/signin")
    page.fill("#f-email", email)
    page.fill("#f-password", password or DEMO_PASSWORD)
    page.locator("main form[action='/signin'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/signin" not in url)


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)  # an xdist worker: hand them on
    if workeroutput is not None and _measurements:
        worker = session.config.workerinput["workerid"]
        workeroutput["e2e_measurements"] = {f"{worker}: {label}": value for label, value in _measurements.items()}
