"""Merge the domain branches (dialogue, library, plugins) into one core head.

Revision ID: 0007_merge_domains
Revises: 0004_dialogue, 0005_library, 0006_plugins
Create Date: 2026-11-25 20:15:00

"""

revision = "0007_merge_domains"
down_revision = ("0004_dialogue", "0005_library", "0006_plugins")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
