"""A list of values as one bind parameter: `column = ANY(:name)` with an array on PostgreSQL,
`column IN (...)` (an expanding parameter) elsewhere.

An expanding parameter is rewritten into the SQL on every execution (SQLAlchemy's post-compile
step, one placeholder per value), so the statement's text changes with the list's length and
its long text is parsed again by the driver each time; an array is one placeholder and one
statement text whatever the list holds. Both give the same rows (the values are compared with
`=`, and an empty list matches nothing).
"""

from __future__ import annotations

from sqlalchemy import ARRAY, any_, bindparam


def one_of(column, name: str, dialect: str):
    """`column` is one of the values of the bind parameter `name` (a list)."""
    if dialect == "postgresql":
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))
