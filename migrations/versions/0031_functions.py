"""The policies' helper functions in PL/pgSQL

Revision ID: 0031_functions
Revises: 0030_db
Create Date: 2026-12-07 03:00:00

The read and write policies ask six SECURITY DEFINER functions whether a row's procurement or
template is the scope's (`migrations.rls.CHECK_FUNCTIONS`), e.g. the participations' policy asks
`samspill_visible_procurement(procurement_id)` for each participant that is not one of the
scope's tenants. They were SQL functions of one `SELECT <expression>`. PostgreSQL does not inline
a SECURITY DEFINER function, and a SQL function's body is parsed and planned again in every
statement that calls it: about 0.09 ms of the 0.19 ms the later-phase procurement page's first
statement took at scale 10 (three participants). As PL/pgSQL, `RETURN <expression>` with the same
expression, the body's plan is kept for the session. Each function keeps its name, arguments,
volatility, SECURITY DEFINER, search path, owner and grants (`CREATE OR REPLACE`); the rewrite
works on the definition PostgreSQL prints (`pg_get_functiondef`), and the downgrade writes the
SQL function back. Nothing on SQLite.
"""

from alembic import op

from migrations.rls import CHECK_FUNCTIONS, as_plpgsql, as_sql, function_definition

revision = "0031_functions"
down_revision = "0030_db"
branch_labels = None
depends_on = None


def _rewrite(change) -> None:
    connection = op.get_bind()
    if connection.dialect.name != "postgresql":
        return
    for name in CHECK_FUNCTIONS:
        connection.exec_driver_sql(change(function_definition(connection, name)))


def upgrade():
    _rewrite(as_plpgsql)


def downgrade():
    _rewrite(as_sql)
