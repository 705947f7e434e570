"""Benefit realisation: baselines (with targets), measurements, contract follow-up meetings and
deviations, and the tenants' consent to show their results in the learning arena

Revision ID: 0022_benefits
Revises: 0021_award
Create Date: 2026-12-04 23:00:00

"""

import sqlalchemy as sa
from alembic import op

from migrations.rls import enable_custom_rls

revision = "0022_benefits"
down_revision = "0021_award"
branch_labels = None
depends_on = None

VISIBLE = "samspill_visible_procurement(procurement_id)"


def upgrade():
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("share_benefit_results", sa.Boolean(), server_default=sa.false(),
                                   nullable=False))
    op.create_table(
        "benefit_baselines",
        sa.Column("procurement_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("kpi_key", sa.String(80), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(60), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=True),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("waiver_reason", sa.Text(), nullable=False),
        sa.Column("target_value", sa.Float(), nullable=True),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["procurement_id"], ["procurements.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("procurement_id", "tenant_id", "kpi_key", name="uq_benefit_baselines_pair"),
    )
    op.create_index("ix_benefit_baselines_tenant_kpi", "benefit_baselines", ["tenant_id", "kpi_key"])
    op.create_table(
        "benefit_measurements",
        sa.Column("procurement_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("kpi_key", sa.String(80), nullable=False),
        sa.Column("period", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.String(500), nullable=False),
        sa.Column("by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["procurement_id"], ["procurements.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("procurement_id", "tenant_id", "kpi_key", "period",
                            name="uq_benefit_measurements_period"),
    )
    op.create_index("ix_benefit_measurements_tenant_kpi", "benefit_measurements",
                    ["tenant_id", "kpi_key", "period"])
    op.create_table(
        "benefit_follow_up_meetings",
        sa.Column("procurement_id", sa.Uuid(), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("minutes", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["procurement_id"], ["procurements.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contract_id"], ["award_contracts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_benefit_meetings_contract", "benefit_follow_up_meetings", ["contract_id", "held_on"])
    op.create_table(
        "benefit_deviations",
        sa.Column("procurement_id", sa.Uuid(), nullable=False),
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("tenant_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["procurement_id"], ["procurements.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contract_id"], ["award_contracts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["tenant_id"], ["tenants.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_benefit_deviations_contract", "benefit_deviations", ["contract_id", "closed_on", "deadline"])
    if op.get_bind().dialect.name == "postgresql":
        # Readable and writable within the procurement's participants; which buyer may write
        # which row is the service's rule. The arena reads consenting tenants' results in
        # system scope (core.benefits.results).
        enable_custom_rls(op, "benefit_baselines", VISIBLE)
        enable_custom_rls(op, "benefit_measurements", VISIBLE)
        enable_custom_rls(op, "benefit_follow_up_meetings", VISIBLE)
        enable_custom_rls(op, "benefit_deviations", VISIBLE)


def downgrade():
    op.drop_table("benefit_deviations")
    op.drop_table("benefit_follow_up_meetings")
    op.drop_table("benefit_measurements")
    op.drop_table("benefit_baselines")
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("share_benefit_results")
