"""SQL statements per request, as a response header (benchmark app only).

With `SAMSPILL_BENCH_QUERIES=1` every response carries `X-Samspill-Queries`: the statements
the request sent, counted like the test suite's `count_queries` fixture (transaction-scope
`set_config`, savepoints and releases are not counted), `X-Samspill-Queries-All` with
everything sent through SQLAlchemy, and `X-Samspill-Settings-Sent` with the times
`core.isolation` sent the PostgreSQL scope settings on its own. Never enabled in production.
"""

from __future__ import annotations

from flask import Flask, g, has_request_context
from sqlalchemy import event

from core.db import db

HEADER = "X-Samspill-Queries"
HEADER_ALL = "X-Samspill-Queries-All"
HEADER_SETTINGS = "X-Samspill-Settings-Sent"
_NOT_COUNTED = ("select set_config", "savepoint", "release")


def _count(conn, cursor, statement, parameters, context, executemany) -> None:
    if not has_request_context():
        return
    g.bench_sql_all = g.get("bench_sql_all", 0) + 1
    if not statement.lstrip().lower().startswith(_NOT_COUNTED):
        g.bench_sql = g.get("bench_sql", 0) + 1


def _add_header(response):
    response.headers[HEADER] = str(g.get("bench_sql", 0))
    response.headers[HEADER_ALL] = str(g.get("bench_sql_all", 0))
    response.headers[HEADER_SETTINGS] = str(g.get("samspill_settings_sent", 0))
    return response


def init_app(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", _count)
    app.after_request(_add_header)
