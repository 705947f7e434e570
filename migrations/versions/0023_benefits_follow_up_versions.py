"""Versions on contract follow-up meetings and deviations, for the API's ETag / If-Match

Revision ID: 0023_benefits_follow_up_versions
Revises: 0019_publication
Create Date: 2026-12-05 21:55:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0023_benefits_follow_up_versions"
down_revision = "0019_publication"
branch_labels = None
depends_on = None

TABLES = ("benefit_follow_up_meetings", "benefit_deviations")


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
