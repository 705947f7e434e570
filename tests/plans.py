"""The plan a database chooses for a statement, for tests that hold a statement to its index walk:
on PostgreSQL the generic plan of the statement prepared (the one the app's prepared statements
use after five runs), on SQLite `EXPLAIN QUERY PLAN`."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import text

from core.db import db


def positional(sql: str) -> tuple[str, list[str]]:
    """`sql` with psycopg's `%(name)s` placeholders as `$1, $2, ...` and the names in that order."""
    names: list[str] = []

    def number(match: re.Match) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    return re.sub(r"%\((\w+)\)s", number, sql), names


def statement_plan(statement, values: dict) -> str:
    """The plan of `statement` on the session's connection: on PostgreSQL its generic plan,
    prepared with every parameter of `values` (sequential scans off: test tables are tiny), else
    SQLite's plan with NULLs bound (the plan, not the values)."""
    dialect = db.engine.dialect
    connection = db.session.connection()
    if dialect.name == "postgresql":
        sql, names = positional(statement.compile(dialect=dialect).string)
        assert set(names) <= set(values), names  # the test binds what the statement has
        name = f"plan_{uuid.uuid4().hex}"
        connection.exec_driver_sql(f"PREPARE {name} AS {sql}")
        connection.exec_driver_sql("SET LOCAL plan_cache_mode = force_generic_plan")
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")  # tiny tables: ask for index plans
        types = db.session.execute(text("select parameter_types::text[] from pg_prepared_statements"
                                        " where name = :name"), {"name": name}).scalar_one()
        # EXECUTE's arguments as literals (the server does not type bound ones in EXPLAIN)
        arguments = ", ".join(f"'{values[n]}'::{kind}" for n, kind in zip(names, types, strict=True))
        plan = "\n".join(row[0] for row in connection.exec_driver_sql(f"EXPLAIN EXECUTE {name}({arguments})"))
        connection.exec_driver_sql(f"DEALLOCATE {name}")
        assert "$1" in plan, plan  # the generic plan (parameters, not the values) was explained
        return plan
    compiled = statement.compile(dialect=dialect)
    return "\n".join(str(row[-1]) for row in connection.exec_driver_sql(
        f"EXPLAIN QUERY PLAN {compiled.string}", (None,) * len(compiled.positiontup)))
