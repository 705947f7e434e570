"""The templates' and template versions' read policies with the visibility condition inline, so
PostgreSQL plans it with the statement instead of calling `samspill_visible_template(id)` (a
SECURITY DEFINER function, never inlined, that looks the template up again) for every row read

Revision ID: 0026_arena
Revises: 0025_arena_lookalikes
Create Date: 2026-12-06 14:00:00

The visible set is the same for every scope (tests/transfer/test_template_read_policy.py
compares it with the function's answer): system scope sees every template; otherwise a
template is visible when it is open to all, owned by one of the transaction's tenants, or
shared with one of them. The share lookup runs as the app role under `template_shares`' own
read policy, which lets through every share whose `tenant_id` is one of the transaction's
tenants, the only shares the condition asks about. A version is readable when its template is
(the `templates` row read under the policy above). The function stays (the reference the test
compares with); the write policies are unchanged. Nothing on SQLite.
"""

from alembic import op

from migrations.rls import TENANT_IDS

revision = "0026_arena"
down_revision = "0025_arena_lookalikes"
branch_labels = None
depends_on = None

SYSTEM = "current_setting('samspill.scope', true) = 'system'"
TEMPLATE_VISIBLE = (
    f"{SYSTEM} OR visibility = 'all' OR owner_tenant_id = ANY ({TENANT_IDS})"
    f" OR EXISTS (SELECT 1 FROM template_shares s WHERE s.template_id = templates.id"
    f" AND s.tenant_id = ANY ({TENANT_IDS}))")
VERSION_VISIBLE = "EXISTS (SELECT 1 FROM templates t WHERE t.id = template_versions.template_id)"


def _read_policy(table: str, condition: str) -> None:
    op.execute(f"DROP POLICY IF EXISTS library_read ON {table}")
    op.execute(f"CREATE POLICY library_read ON {table} FOR SELECT USING ({condition})")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    _read_policy("templates", TEMPLATE_VISIBLE)
    _read_policy("template_versions", VERSION_VISIBLE)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    _read_policy("templates", "samspill_visible_template(id)")
    _read_policy("template_versions", "samspill_visible_template(template_id)")
