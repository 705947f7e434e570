"""The templates' share lookup as one small read per statement: the ids of the templates shared
with the transaction's tenants come from a `SECURITY DEFINER` function evaluated once (an
InitPlan) through a new `template_shares (tenant_id, template_id)` index, instead of a hashed
subplan that read every share and checked the shares' own read policy on each

Revision ID: 0029_shares
Revises: 0028_dialogue
Create Date: 2026-12-06 17:00:00

The visible set is the same for every scope (tests/transfer/test_template_read_policy.py
compares it with `samspill_visible_template`): system scope sees every template; otherwise a
template is visible when it is open to all, owned by one of the transaction's tenants, or its id
is among `samspill_templates_shared_with_scope()`, the templates with a share row for one of the
transaction's tenants (read from the same `samspill.tenant_ids` setting, as the function's owner:
the shares' read policy lets exactly those rows through anyway). Written
`id = ANY ((SELECT samspill_templates_shared_with_scope())::uuid[])` (the cast makes it an array
expression; `ANY ((SELECT ...))` alone parses as `ANY (subquery)`), the function is an
uncorrelated scalar subquery, an InitPlan that PostgreSQL runs once per statement. `template_versions`' read policy
("its template is readable", migration 0026_arena) has no share lookup of its own and is
unchanged. The index is created on both databases; the function and policy only on PostgreSQL.
Downgrade restores 0026_arena's policy and drops the function and the index.
"""

from alembic import op

from migrations.rls import TENANT_IDS

revision = "0029_shares"
down_revision = "0028_dialogue"
branch_labels = None
depends_on = None

SYSTEM = "current_setting('samspill.scope', true) = 'system'"
# PL/pgSQL rather than SQL: a SQL function that cannot be inlined (SECURITY DEFINER, SET) parses
# and plans its query on every call, PL/pgSQL keeps the plan for the session (the InitPlan took
# about 0.11-0.14 ms as SQL, 0.06-0.09 ms as PL/pgSQL at scale 10; docs/benchmarks.md).
SHARED_FUNCTION = f"""
CREATE OR REPLACE FUNCTION samspill_templates_shared_with_scope() RETURNS uuid[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
  RETURN (SELECT coalesce(array_agg(template_id), '{{}}') FROM template_shares
          WHERE tenant_id = ANY ({TENANT_IDS}));
END
$$
"""
TEMPLATE_VISIBLE = (
    f"{SYSTEM} OR visibility = 'all' OR owner_tenant_id = ANY ({TENANT_IDS})"
    " OR id = ANY ((SELECT samspill_templates_shared_with_scope())::uuid[])")
# 0026_arena's condition, restored by the downgrade.
TEMPLATE_VISIBLE_0026 = (
    f"{SYSTEM} OR visibility = 'all' OR owner_tenant_id = ANY ({TENANT_IDS})"
    f" OR EXISTS (SELECT 1 FROM template_shares s WHERE s.template_id = templates.id"
    f" AND s.tenant_id = ANY ({TENANT_IDS}))")


def _read_policy(condition: str) -> None:
    op.execute("DROP POLICY IF EXISTS library_read ON templates")
    op.execute(f"CREATE POLICY library_read ON templates FOR SELECT USING ({condition})")


def upgrade():
    op.create_index("ix_template_shares_tenant", "template_shares", ["tenant_id", "template_id"])
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(SHARED_FUNCTION)
    _read_policy(TEMPLATE_VISIBLE)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        _read_policy(TEMPLATE_VISIBLE_0026)
        op.execute("DROP FUNCTION IF EXISTS samspill_templates_shared_with_scope()")
    op.drop_index("ix_template_shares_tenant", table_name="template_shares")
