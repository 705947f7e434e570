"""The procurement's creation time on each participation, for lists that never sort

A municipality's procurement list is its active participations, newest procurement first. With
the sort key on `procurements` the database joins every participation of the tenant and sorts
(SQLite always does, keeping only average statistics): 2 600 rows for the busiest municipality
at scale 10. A copy of the procurement's (immutable) creation time on the participation and an
index (tenant_id, status, procurement_created_at, procurement_id) let both databases walk the
index backwards and stop after one page.

Revision ID: 0012_participation_list_order
Revises: 0011_dialogue_corrections
Create Date: 2026-11-25 22:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012_participation_list_order"
down_revision = "0011_dialogue_corrections"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("procurement_participations") as batch:
        batch.add_column(sa.Column("procurement_created_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(
        "UPDATE procurement_participations SET procurement_created_at = "
        "(SELECT created_at FROM procurements WHERE procurements.id = procurement_participations.procurement_id)"
    )
    with op.batch_alter_table("procurement_participations") as batch:
        batch.alter_column("procurement_created_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.create_index("ix_participations_tenant_list",
                           ["tenant_id", "status", "procurement_created_at", "procurement_id"], unique=False)


def downgrade():
    with op.batch_alter_table("procurement_participations") as batch:
        batch.drop_index("ix_participations_tenant_list")
        batch.drop_column("procurement_created_at")
