"""Requirement specification: lots, requirements with the needs they cover, award criteria

- `specification_lots`: optional lots (delkontrakter) of a procurement.
- `specification_requirements`: requirements (absolute/evaluated, category, source
  template/library/own with its reference), optionally per lot, versioned for `If-Match`.
- `specification_requirement_needs`: which needs each requirement covers (traceability).
- `specification_award_criteria`: criteria and sub-criteria (`parent_id`) with weights; a price
  criterion declares its scoring model.

All are procurement-owned: forced RLS `samspill_visible_procurement(procurement_id)`.

Revision ID: 0017_specification
Revises: 0014_plugin_problems
Create Date: 2026-12-04 22:30:00

"""

import sqlalchemy as sa
from alembic import op

from migrations.rls import disable_rls, enable_custom_rls

revision = "0017_specification"
down_revision = "0014_plugin_problems"
branch_labels = None
depends_on = None

VISIBLE = "samspill_visible_procurement(procurement_id)"
TABLES = ("specification_lots", "specification_requirements", "specification_requirement_needs",
          "specification_award_criteria")


def _procurement() -> sa.Column:
    return sa.Column("procurement_id", sa.Uuid(), sa.ForeignKey("procurements.id", ondelete="CASCADE"),
                     nullable=False)


def _times() -> list[sa.Column]:
    return [sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "specification_lots",
        sa.Column("id", sa.Uuid(), primary_key=True),
        _procurement(),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        *_times(),
    )
    op.create_index("ix_specification_lots_procurement_position", "specification_lots",
                    ["procurement_id", "position"])
    op.create_table(
        "specification_requirements",
        sa.Column("id", sa.Uuid(), primary_key=True),
        _procurement(),
        sa.Column("lot_id", sa.Uuid(), sa.ForeignKey("specification_lots.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("category", sa.String(length=80), nullable=False),
        sa.Column("source", sa.String(length=32), nullable=False),
        sa.Column("source_ref", sa.String(length=200), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_times(),
    )
    op.create_index("ix_specification_requirements_procurement_position", "specification_requirements",
                    ["procurement_id", "position", "id"])
    op.create_index("ix_specification_requirements_lot", "specification_requirements", ["lot_id"])
    op.create_table(
        "specification_requirement_needs",
        sa.Column("requirement_id", sa.Uuid(),
                  sa.ForeignKey("specification_requirements.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("need_id", sa.Uuid(), sa.ForeignKey("procurement_needs.id", ondelete="CASCADE"),
                  primary_key=True),
        _procurement(),
    )
    op.create_index("ix_specification_requirement_needs_need", "specification_requirement_needs", ["need_id"])
    op.create_index("ix_specification_requirement_needs_procurement", "specification_requirement_needs",
                    ["procurement_id"])
    op.create_table(
        "specification_award_criteria",
        sa.Column("id", sa.Uuid(), primary_key=True),
        _procurement(),
        sa.Column("lot_id", sa.Uuid(), sa.ForeignKey("specification_lots.id", ondelete="CASCADE"),
                  nullable=True),
        sa.Column("parent_id", sa.Uuid(),
                  sa.ForeignKey("specification_award_criteria.id", ondelete="CASCADE"), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("is_price", sa.Boolean(), nullable=False),
        sa.Column("price_model", sa.String(length=32), nullable=True),
        *_times(),
    )
    op.create_index("ix_specification_award_criteria_procurement_position", "specification_award_criteria",
                    ["procurement_id", "position"])
    op.create_index("ix_specification_award_criteria_parent", "specification_award_criteria", ["parent_id"])
    op.create_index("ix_specification_award_criteria_lot", "specification_award_criteria", ["lot_id"])
    for table in TABLES:
        enable_custom_rls(op, table, VISIBLE)


def downgrade() -> None:
    for table in reversed(TABLES):
        disable_rls(op, table)
        op.drop_table(table)
