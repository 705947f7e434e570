"""Extension data on needs: namespaced fields that plugins add, keyed by plugin name.

Revision ID: 0008_need_extension
Revises: 0007_merge_domains
Create Date: 2026-11-25 20:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0008_need_extension"
down_revision = "0007_merge_domains"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("procurement_needs") as batch:
        batch.add_column(sa.Column("extension", sa.JSON(), nullable=False, server_default="{}"))


def downgrade():
    with op.batch_alter_table("procurement_needs") as batch:
        batch.drop_column("extension")
