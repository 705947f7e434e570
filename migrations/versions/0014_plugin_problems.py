"""Plugin problems every process sees (platform data, no tenant)

A plugin's import failures and exceptions in its hooks were remembered in the memory of the
process they happened in; this table keeps them, one row per plugin, kind, hook and message,
with a count and the first and last time, for `samspill plugins list` and the admin pages.

Revision ID: 0014_plugin_problems
Revises: 0016_template_search_text
Create Date: 2026-12-04 19:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0014_plugin_problems"
down_revision = "0016_template_search_text"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "plugin_problems",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("plugin", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("hook", sa.String(length=100), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plugin_problems")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_plugin_problems_fingerprint")),
    )
    with op.batch_alter_table("plugin_problems") as batch:
        batch.create_index(batch.f("ix_plugin_problems_plugin"), ["plugin"], unique=False)


def downgrade():
    op.drop_table("plugin_problems")
