"""Publication: eForms notices with their Doffin submission, published OCDS releases, register checks

Revision ID: 0019_publication
Revises: 0014_plugin_problems
Create Date: 2026-12-04 22:30:00

Written by hand. Notices belong to a procurement: forced RLS with the project group's
visibility (`samspill_visible_procurement`); the Doffin sender and the public pages read them
in system scope. Published OCDS releases and register checks are public data and belong to no
tenant (no RLS; the app reads them in system scope with explicit filters).
"""
import sqlalchemy as sa
from alembic import op

from migrations.rls import enable_custom_rls

# revision identifiers, used by Alembic.
revision = "0019_publication"
down_revision = "0022_benefits"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "publication_notices",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("procurement_id", sa.Uuid(), sa.ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("subtype", sa.String(8), nullable=False),
        sa.Column("xml", sa.Text(), nullable=False),
        sa.Column("validation", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="SET NULL")),
        sa.Column("doffin_status", sa.String(24), nullable=False),
        sa.Column("doffin_id", sa.String(120)),
        sa.Column("doffin_reply_status", sa.String(60), nullable=False, server_default=""),
        sa.Column("doffin_attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("doffin_next_attempt_at", sa.DateTime(timezone=True)),
        sa.Column("doffin_last_error", sa.Text(), nullable=False, server_default=""),
        sa.Column("doffin_sent_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_publication_notices_procurement", "publication_notices",
                    ["procurement_id", "created_at", "id"])
    op.create_index("ix_publication_notices_due", "publication_notices", ["doffin_status", "doffin_next_attempt_at"])
    enable_custom_rls(op, "publication_notices", "samspill_visible_procurement(procurement_id)")

    op.create_table(
        "publication_ocds_releases",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("procurement_id", sa.Uuid(), sa.ForeignKey("procurements.id", ondelete="CASCADE"), nullable=False),
        sa.Column("release_id", sa.String(200), nullable=False),
        sa.Column("ocid", sa.String(200), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.UniqueConstraint("release_id", name="uq_publication_ocds_releases_release"),
    )
    op.create_index("ix_publication_ocds_releases_feed", "publication_ocds_releases", ["published_at", "id"])
    op.create_index("ix_publication_ocds_releases_procurement", "publication_ocds_releases",
                    ["procurement_id", "published_at"])

    op.create_table(
        "publication_register_checks",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("org_number", sa.String(9), nullable=False),
        sa.Column("name", sa.String(300), nullable=False, server_default=""),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("deleted_on", sa.String(10), nullable=False, server_default=""),
        sa.Column("city", sa.String(120), nullable=False, server_default=""),
        sa.Column("postal_zone", sa.String(10), nullable=False, server_default=""),
        sa.Column("municipality_number", sa.String(4), nullable=False, server_default=""),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("org_number", name="uq_publication_register_checks_org"),
    )
    op.create_index("ix_publication_register_checks_status", "publication_register_checks", ["status", "checked_at"])


def downgrade():
    op.drop_table("publication_register_checks")
    op.drop_table("publication_ocds_releases")
    op.drop_table("publication_notices")
