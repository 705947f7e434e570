"""`samspill bench cpu`: CPU time per request, in this process, against the ceiling.

On a shared machine wrk's requests per second say more about the neighbours than about the
code. A CPU-bound request's throughput is the inverse of its CPU time, so the ratio to the
ceiling is estimated as `ceiling CPU ÷ endpoint CPU` from `time.process_time()` around the
app's test client calls (the same app, middleware and database as the server, no gunicorn or
network). Endpoints are measured in alternating rounds so a burst of load elsewhere spreads
over all of them. Besides CPU the table gives the SQL statements of one request (counted like
`count_queries`), and on PostgreSQL its round trips to the server: the messages that make the
client wait (a `Sync` of the extended protocol or a simple `Query`), read from libpq's trace.
Wall time per request is given too, and of it the time spent in the statements SQLAlchemy sends
(`SQL ms`: from a statement's send until its rows are in the driver, i.e. the database's parsing,
planning and execution plus the round trip; the scope settings, BEGIN and COMMIT not counted):
`time.process_time()` does not count the database's share, which is what changes when a plan does.
On PostgreSQL on this host `DB CPU ms` is the CPU time of the pool's server processes
(`/proc/<pid>/stat`, utime + stime) per request: unlike SQL ms, it does not grow with the
machine's load while a statement waits for a core.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from sqlalchemy import event

from bench import CEILING_ENV
from bench.client import CSRF_RE, SESSION_COOKIE
from bench.databases import env_var
from bench.endpoints import CEILING, ENDPOINTS, Endpoint, Targets, availability, headers_for
from bench.targets import MAX_DEEP_PAGES, prepare_targets
from core.app import create_app
from core.db import db

WARM_UP = 10
_NOT_COUNTED = ("select set_config", "savepoint", "release")


@dataclass
class Caller:
    """One endpoint's requests through a test client of its own (cookie or bearer)."""

    endpoint: Endpoint
    paths: list[str]
    client: object
    headers: dict[str, str]
    n: int = 0

    def __call__(self):
        body = self.endpoint.body.replace("{n}", f"cpu{self.n}") if self.endpoint.body else None
        path = self.paths[self.n % len(self.paths)]
        self.n += 1
        return self.client.open(path, method=self.endpoint.method, headers=self.headers, data=body)


def sign_in(app: Flask, targets: Targets) -> str:
    """Sign the benchmark person in through the form in this process; the `Cookie` value."""

    test_client = app.test_client()
    page = test_client.get("/signin").get_data(as_text=True)
    match = CSRF_RE.search(page)
    form = {"email": targets.email, "password": targets.password}
    if match:
        form["csrf_token"] = match.group(1)
    reply = test_client.post("/signin", data=form)
    cookie = test_client.get_cookie(SESSION_COOKIE)
    if reply.status_code != 302 or cookie is None:
        raise RuntimeError(f"sign-in failed with HTTP {reply.status_code}")
    return f"{SESSION_COOKIE}={cookie.value}"


def deep_cursor(app: Flask, targets: Targets, page_size: int = 20) -> None:
    """The cursor of a page about 80 % down the API list, walked in this process."""

    pages = max(1, -(-targets.visible_count // page_size))
    wanted = min(MAX_DEEP_PAGES, max(1, int(pages * 0.8)))
    test_client = app.test_client()
    path = f"/api/v1/tenants/{targets.tenant_slug}/procurements?limit={page_size}"
    cursor = None
    for page in range(1, wanted + 1):
        reply = test_client.get(path + (f"&cursor={cursor}" if cursor else ""),
                                headers={"Authorization": f"Bearer {targets.token}"})
        found = reply.get_json().get("next_cursor") if reply.status_code == 200 else None
        if not found:
            break
        cursor, targets.deep_page = found, page + 1
    targets.deep_cursor = cursor


def caller_for(app: Flask, endpoint: Endpoint, targets: Targets) -> Caller | str:
    """A caller for `endpoint`, or the reason it cannot be measured."""
    paths, reason = availability(app, endpoint, targets)
    if not paths:
        return reason
    headers = headers_for(endpoint, targets)
    test_client = app.test_client()
    if "Cookie" in headers:  # the test client sends only the cookies in its own jar
        name, _, value = headers.pop("Cookie").partition("=")
        test_client.set_cookie(name, value)
    caller = Caller(endpoint, paths, test_client, headers)
    for _ in range(WARM_UP):
        status = caller().status_code
        if status not in endpoint.expect:
            return f"HTTP {status}"
    return caller


def statements(app: Flask, caller: Caller) -> tuple[int, int]:
    """(statements as `count_queries` counts them, all statements) of one request."""

    sent: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        sent.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        caller()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    counted = [s for s in sent if not s.lstrip().lower().startswith(_NOT_COUNTED)]
    return len(counted), len(sent)


def round_trips(app: Flask, caller: Caller) -> int | None:
    """Round trips to PostgreSQL of one request (libpq's trace of the pooled connections)."""

    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        return None
    engine.dispose()  # a fresh pool: one connection, opened before tracing starts
    caller()
    pool_connections = []

    def remember(dbapi_connection, record, proxy) -> None:
        pool_connections.append(dbapi_connection)

    with tempfile.TemporaryFile("w+b") as trace:
        event.listen(engine, "checkout", remember)
        traced = []
        try:
            # Trace every connection the pool holds now (one, after the warm request above).
            for record in list(engine.pool._pool.queue):  # noqa: SLF001 - a measurement tool
                pgconn = record.dbapi_connection.pgconn
                pgconn.trace(trace.fileno())
                traced.append(pgconn)
            caller()
        finally:
            for pgconn in traced:
                pgconn.untrace()
            event.remove(engine, "checkout", remember)
        trace.seek(0)
        lines = trace.read().decode(errors="replace").splitlines()
    if not traced:
        return None
    return sum(1 for line in lines if "\tF\t" in line and ("\tSync" in line or "\tQuery\t" in line))


class StatementClock:
    """Wall time spent in the statements the engine sends (`before_cursor_execute` to
    `after_cursor_execute`; the driver has the rows when the latter fires)."""

    def __init__(self, engine) -> None:
        self.engine, self.total, self._began = engine, 0.0, 0.0

    def _before(self, *args) -> None:
        self._began = time.perf_counter()

    def _after(self, *args) -> None:
        self.total += time.perf_counter() - self._began

    def __enter__(self) -> StatementClock:
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


class BackendClock:
    """CPU seconds of the PostgreSQL server processes behind the pool's idle connections, from
    `/proc` (only when the server runs on this host; `total` stays None otherwise)."""

    def __init__(self, engine) -> None:
        self.engine, self.total, self._began = engine, None, {}

    def _pids(self) -> list[int]:
        if self.engine.dialect.name != "postgresql":
            return []
        return [record.dbapi_connection.info.backend_pid
                for record in list(self.engine.pool._pool.queue)]  # noqa: SLF001 - a measurement tool

    @staticmethod
    def _cpu(pid: int) -> float | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime

    def __enter__(self) -> BackendClock:
        self._began = {pid: cpu for pid in self._pids() if (cpu := self._cpu(pid)) is not None}
        return self

    def __exit__(self, *exc) -> None:
        ended = {pid: self._cpu(pid) for pid in self._began}
        used = [ended[pid] - began for pid, began in self._began.items() if ended[pid] is not None]
        self.total = sum(used) if used else None


def measure(app: Flask, targets: Targets, names: tuple[str, ...] = (), requests: int = 100,
            rounds: int = 3, echo: Callable[[str], None] = print) -> list[dict]:
    """CPU ms per request per endpoint (mean over `rounds` × `requests`), with the ratio to the
    ceiling's CPU, statements and round trips."""
    endpoints = [CEILING] + [e for e in ENDPOINTS if e.kind != "health" and (not names or e.name in names)]
    callers: dict[str, Caller] = {}
    results: dict[str, dict] = {}
    for endpoint in endpoints:
        found = caller_for(app, endpoint, targets)
        if isinstance(found, str):
            results[endpoint.name] = {"name": endpoint.name, "available": False, "reason": found}
            continue
        callers[endpoint.name] = found
        sql, sql_all = statements(app, found)
        results[endpoint.name] = {"name": endpoint.name, "available": True, "queries": sql,
                                  "queries_all": sql_all, "round_trips": round_trips(app, found),
                                  "cpu_ms": [], "wall_ms": [], "sql_ms": [], "unexpected": 0}
    with app.app_context():
        engine = db.engine
    for round_number in range(rounds):
        for name, caller in callers.items():
            with BackendClock(engine) as server, StatementClock(engine) as clock:
                cpu_began, wall_began = time.process_time(), time.perf_counter()
                statuses = [caller().status_code for _ in range(requests)]
                cpu_ended, wall_ended = time.process_time(), time.perf_counter()
            results[name]["unexpected"] += sum(1 for s in statuses if s not in caller.endpoint.expect)
            results[name]["cpu_ms"].append((cpu_ended - cpu_began) * 1000 / requests)
            results[name]["wall_ms"].append((wall_ended - wall_began) * 1000 / requests)
            results[name]["sql_ms"].append(clock.total * 1000 / requests)
            if server.total is not None:
                results[name].setdefault("db_cpu_ms", []).append(server.total * 1000 / requests)
        echo(f"round {round_number + 1}/{rounds} done")
    ceiling_cpu = statistics.mean(results[CEILING.name]["cpu_ms"]) if CEILING.name in callers else None
    for name in callers:
        entry = results[name]
        entry["cpu_ms_mean"] = round(statistics.mean(entry["cpu_ms"]), 3)
        entry["cpu_ms_min"] = round(min(entry["cpu_ms"]), 3)
        entry["wall_ms_mean"] = round(statistics.mean(entry["wall_ms"]), 3)
        entry["wall_ms_median"] = round(statistics.median(entry["wall_ms"]), 3)
        entry["sql_ms_mean"] = round(statistics.mean(entry["sql_ms"]), 3)
        entry["sql_ms_median"] = round(statistics.median(entry["sql_ms"]), 3)
        if entry.get("db_cpu_ms"):
            entry["db_cpu_ms_mean"] = round(statistics.mean(entry["db_cpu_ms"]), 3)
        if ceiling_cpu:
            entry["ratio_estimate"] = round(ceiling_cpu / entry["cpu_ms_mean"], 3)
    return [results[e.name] for e in endpoints]


def profile(app: Flask, targets: Targets, name: str, requests: int = 200, top: int = 40) -> str:
    """cProfile (CPU time) of `requests` calls of one endpoint: the top functions by own and
    cumulative time, as text."""

    endpoint = CEILING if name == CEILING.name else next(e for e in ENDPOINTS if e.name == name)
    caller = caller_for(app, endpoint, targets)
    if isinstance(caller, str):
        return f"{name}: not measured ({caller})"
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(requests):
        caller()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def table(results: list[dict]) -> str:
    lines = ["endpoint                  CPU ms  (min)  wall ms  SQL ms  DB CPU ms  × ceiling  SQL (all)  round trips"]
    for r in results:
        if not r.get("available"):
            lines.append(f"{r['name']:<24}  not measured: {r['reason']}")
            continue
        trips = "" if r["round_trips"] is None else str(r["round_trips"])
        if r["unexpected"]:
            trips += f"  ({r['unexpected']} answers with an unexpected status: not comparable)"
        lines.append(f"{r['name']:<24} {r['cpu_ms_mean']:>7.2f} {r['cpu_ms_min']:>6.2f} {r['wall_ms_mean']:>8.2f} "
                     f"{r['sql_ms_mean']:>7.2f} {r.get('db_cpu_ms_mean', float('nan')):>10.2f} "
                     f"{r.get('ratio_estimate', 0):>10.2f} {r['queries']:>4} ({r['queries_all']:>2}) {trips:>12}")
    return "\n".join(lines)


def prepare(database_url: str, instance: Path) -> tuple[Flask, Targets]:
    """The benchmark app on `database_url` (the app role's URL), its person signed in."""

    instance.mkdir(parents=True, exist_ok=True)
    with env_var(CEILING_ENV, "1"):
        app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "INSTANCE_PATH": str(instance),
                          "SESSION_COOKIE_SECURE": False, "WTF_CSRF_SSL_STRICT": False})
    targets = prepare_targets(app)
    targets.cookie = sign_in(app, targets)
    deep_cursor(app, targets)
    return app, targets
