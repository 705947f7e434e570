"""Passed deadlines announced to the plugins (`deadline_passed`), one row per deadline

The reminder job inserts a row before it emits `deadline_passed`; the unique key
(artefact_type, artefact_id, deadline) makes a rerun, or a second run at the same time,
skip a deadline announced already (on PostgreSQL the second insert waits for the first
transaction and then fails on the key). Written by hand.

On PostgreSQL the table has forced row-level security: the project group may read the rows
of its procurements; only the job (system scope) writes them.

Revision ID: 0010_deadline_announcements
Revises: 0009_procurement_list_speed
Create Date: 2026-11-25 22:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010_deadline_announcements"
down_revision = "0009_procurement_list_speed"
branch_labels = None
depends_on = None

SYSTEM = "current_setting('samspill.scope', true) = 'system'"
VISIBLE = "samspill_visible_procurement(procurement_id)"


def upgrade():
    op.create_table(
        "deadline_announcements",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("procurement_id", sa.Uuid(), nullable=False),
        sa.Column("artefact_type", sa.String(length=64), nullable=False),
        sa.Column("artefact_id", sa.Uuid(), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["procurement_id"], ["procurements.id"],
                                name=op.f("fk_deadline_announcements_procurement_id_procurements"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_announcements")),
        sa.UniqueConstraint("artefact_type", "artefact_id", "deadline", name="uq_deadline_announcements_deadline"),
    )
    op.create_index("ix_deadline_announcements_procurement", "deadline_announcements", ["procurement_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE deadline_announcements ENABLE ROW LEVEL SECURITY")
        op.execute("ALTER TABLE deadline_announcements FORCE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY tenant_isolation ON deadline_announcements USING ({VISIBLE}) WITH CHECK ({SYSTEM})")


def downgrade():
    op.drop_index("ix_deadline_announcements_procurement", table_name="deadline_announcements")
    op.drop_table("deadline_announcements")
