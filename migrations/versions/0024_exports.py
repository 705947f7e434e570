"""Exports made by the job queue: one record per export asked for, its file in the file store

Revision ID: 0024_exports
Revises: 0019_publication
Create Date: 2026-12-05 21:30:00

"""

import sqlalchemy as sa
from alembic import op

from migrations.rls import enable_custom_rls

revision = "0024_exports"
down_revision = "0023_benefits_follow_up_versions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "exports",
        sa.Column("procurement_id", sa.Uuid(), nullable=False),
        sa.Column("requested_by_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("locale", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("file_key", sa.String(300), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(120), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["procurement_id"], ["procurements.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_exports_procurement_created", "exports", ["procurement_id", "created_at"])
    enable_custom_rls(op, "exports", "samspill_visible_procurement(procurement_id)")


def downgrade():
    op.drop_index("ix_exports_procurement_created", table_name="exports")
    op.drop_table("exports")
