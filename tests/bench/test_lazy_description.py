"""psycopg's column descriptions are built only when read (`core.db_cursor`, PostgreSQL).

What must hold: `description` answers what psycopg's own does (the same columns, names, types
and length; None where psycopg answers None), also when read after the cursor ran another
statement; and a request whose statements are cached builds no column description at all
(SQLAlchemy only asks whether there is one).
"""

from __future__ import annotations

import psycopg
import pytest

from core import db_cursor
from core.db import db
from tests.bench.helpers import led_procurements
from tests.conftest import PG_URL, bearer

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="psycopg's cursors")]

QUERIES = ["select 1 as one, 'x'::text as two, now() as three, null::uuid as four",
           "select", "select 1 where false", "set local work_mem = '4MB'", "begin", "select 2 as b"]


def _described(cursor) -> list | None:
    description = cursor.description
    if description is None:
        return None
    return [(c.name, c.type_code, c.display_size, c.internal_size, c.precision, c.scale, tuple(c))
            for c in description] + [len(description)]


def test_the_lazy_description_answers_what_psycopg_answers(app):
    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            lazy = connection.cursor()
            assert isinstance(lazy, db_cursor.LazyDescriptionCursor)  # the app's connections have it
            plain = psycopg.Cursor(connection.dbapi_connection)
            for query in QUERIES:
                lazy.execute(query)
                plain.execute(query)
                assert _described(lazy) == _described(plain), query
                if plain.description:  # slices, negative indexes: psycopg's columns
                    assert [tuple(c) for c in lazy.description[1:]] == [tuple(c) for c in plain.description[1:]]
                    assert tuple(lazy.description[-1]) == tuple(plain.description[-1])
                    assert isinstance(lazy.description[0], psycopg.Column)
            lazy.execute(QUERIES[0])
            first = lazy.description
            lazy.execute("select 3 as other")  # the first result's description, read afterwards
            assert [c.name for c in first] == ["one", "two", "three", "four"]
            assert [c.name for c in lazy.description] == ["other"]
            connection.rollback()
        finally:
            connection.close()


def test_a_request_of_cached_statements_builds_no_column_description(app, client, make, monkeypatch):
    tenant = make.tenant("nordvik", "Nordvik kommune")
    token = make.token(make.user(tenant=tenant, role="officer"))
    led_procurements(app, tenant, [])
    path = "/api/v1/tenants/nordvik/procurements"
    assert client.get(path, headers=bearer(token)).status_code == 200  # compiles and caches
    built: list[int] = []
    original = psycopg.Column.__init__

    def counting(self, cursor, index):
        built.append(index)
        original(self, cursor, index)

    monkeypatch.setattr(psycopg.Column, "__init__", counting)
    answer = client.get(path, headers=bearer(token))
    assert answer.status_code == 200 and answer.json is not None
    assert built == []  # before: one per column of every statement's result
