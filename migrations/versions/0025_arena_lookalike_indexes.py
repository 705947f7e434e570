"""The arena's look-alikes found through indexes: templates by key and by lower-case title

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
    op.create_index("ix_templates_key", "templates", ["key"])
    op.create_index("ix_templates_title_lower", "templates", [sa.text("lower(title)")])


def downgrade():
    op.drop_index("ix_templates_title_lower", table_name="templates")
    op.drop_index("ix_templates_key", table_name="templates")
