"""The arena's look-alikes found through indexes: templates by key, and by their lower-case
title kept in a column the database computes (`title_key`), so the search stays an index
lookup under row-level security (`lower()` is not leakproof; a plain column comparison is)

Revision ID: 0025_arena_lookalikes
Revises: 0024_exports
Create Date: 2026-12-06 04:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0025_arena_lookalikes"
down_revision = "0024_exports"
branch_labels = None
depends_on = None


def upgrade():
    # PostgreSQL keeps a generated column stored; SQLite can add only a virtual one to a table.
    stored = op.get_bind().dialect.name == "postgresql"
    op.add_column("templates", sa.Column("title_key", sa.String(300),
                                         sa.Computed("lower(title)", persisted=stored), nullable=True))
    op.create_index("ix_templates_key", "templates", ["key", "latest_published_at", "id"])
    op.create_index("ix_templates_title_key", "templates", ["title_key", "latest_published_at", "id"])


def downgrade():
    op.drop_index("ix_templates_title_key", table_name="templates")
    op.drop_index("ix_templates_key", table_name="templates")
    op.drop_column("templates", "title_key")
