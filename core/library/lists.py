"""A list of values as one bind parameter: `column = ANY(:name)` with an array on PostgreSQL,
`column IN (...)` (an expanding parameter) elsewhere.

An expanding parameter is rewritten into the SQL on every execution (SQLAlchemy's post-compile
step, one placeholder per value), so the statement's text changes with the list's length and
its long text is parsed again by the driver each time; an array is one placeholder and one
statement text whatever the list holds. Both give the same rows (the values are compared with
`=`, and an empty list matches nothing).
"""

from __future__ import annotations

from sqlalchemy import ARRAY, any_, bindparam, cast, select


def one_of(column, name: str, dialect: str, *, planned_blind: bool = False):
    """`column` is one of the values of the bind parameter `name` (a list).

    `planned_blind` (PostgreSQL): the array is read through a scalar subquery, an InitPlan the
    planner does not look into, so the plan made for one list is the plan for every list. Then
    the generic plan of a prepared statement costs what its custom plans cost, and PostgreSQL
    keeps it instead of planning the statement again on every execution (seen with the viewer's
    tenants in the arena at scale 10). Only for lists whose length does not change the best
    plan, such as a person's few tenants."""
    if dialect == "postgresql":
        values = bindparam(name, type_=ARRAY(column.type))
        if planned_blind:
            values = cast(select(values).scalar_subquery(), ARRAY(column.type))
        return column == any_(values)
    return column.in_(bindparam(name, expanding=True))
