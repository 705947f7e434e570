"""Procurement lists that cost the same at every size (found by the benchmark at scale 10)

A (created_at, id) index lets the newest-first list of a busy municipality walk the index and
stop after one page instead of joining and sorting all its procurements. The row-level
security policies on procurements and participations check the cheap tenant condition before
calling samspill_visible_procurement() (a SECURITY DEFINER function, never inlined): the same
condition, but the function now runs only for rows the tenant does not own itself.

Revision ID: 0009_procurement_list_speed
Revises: 0008_need_extension
Create Date: 2026-11-25 20:50:00

"""

from alembic import op

from migrations.rls import TENANT_IDS

revision = "0009_procurement_list_speed"
down_revision = "0008_need_extension"
branch_labels = None
depends_on = None

VISIBLE = "samspill_visible_procurement"
POLICIES = {  # table: ((using, check) after, (using, check) before)
    "procurements": (
        (f"lead_tenant_id = ANY ({TENANT_IDS}) OR dialogue_open OR {VISIBLE}(id)",
         f"lead_tenant_id = ANY ({TENANT_IDS}) OR {VISIBLE}(id)"),
        (f"{VISIBLE}(id) OR lead_tenant_id = ANY ({TENANT_IDS}) OR dialogue_open",
         f"{VISIBLE}(id) OR lead_tenant_id = ANY ({TENANT_IDS})"),
    ),
    "procurement_participations": (
        (f"tenant_id = ANY ({TENANT_IDS}) OR {VISIBLE}(procurement_id)",
         f"tenant_id = ANY ({TENANT_IDS}) OR {VISIBLE}(procurement_id)"),
        (f"{VISIBLE}(procurement_id) OR tenant_id = ANY ({TENANT_IDS})",
         f"{VISIBLE}(procurement_id) OR tenant_id = ANY ({TENANT_IDS})"),
    ),
}


def _policies(which: int) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, versions in POLICIES.items():
        using, check = versions[which]
        op.execute(f"ALTER POLICY tenant_isolation ON {table} USING ({using}) WITH CHECK ({check})")


def upgrade():
    with op.batch_alter_table("procurements") as batch:
        batch.create_index("ix_procurements_created", ["created_at", "id"], unique=False)
    _policies(0)


def downgrade():
    _policies(1)
    with op.batch_alter_table("procurements") as batch:
        batch.drop_index("ix_procurements_created")
