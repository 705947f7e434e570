"""The invitations waiting for a tenant read from one index: (tenant_id, status, created_at, id)
with the procurement and role included, so the dashboard's and the invitations page's oldest-
first page and their count walk the index in order and never visit the table (PostgreSQL; on
SQLite the included columns are left out)

Revision ID: 0027_overview
Revises: 0026_arena
Create Date: 2026-12-06 14:10:00

"""

from alembic import op

revision = "0027_overview"
down_revision = "0026_arena"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_participations_tenant_invited", "procurement_participations",
                    ["tenant_id", "status", "created_at", "id"],
                    postgresql_include=["procurement_id", "role"])


def downgrade():
    op.drop_index("ix_participations_tenant_invited", table_name="procurement_participations")
