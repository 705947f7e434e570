"""Award: impartiality declarations, qualification/rejection/consensus per tender, evaluators'
scores, the award decision with its letters and standstill, complaints, contracts per buyer,
the buyers' mandates

Revision ID: 0021_award
Revises: 0018_competition
Create Date: 2026-12-04 23:00:00

"""

import sqlalchemy as sa
from alembic import op

from migrations.rls import disable_rls, enable_custom_rls

revision = "0021_award"
down_revision = "0018_competition"
branch_labels = None
depends_on = None

VISIBLE = "samspill_visible_procurement(procurement_id)"
OWN = "supplier_id = samspill_current_supplier()"

# table: (USING, WITH CHECK). Letters and complaints are also their own supplier's.
POLICIES = {
    "award_declarations": (VISIBLE, VISIBLE),
    "award_assessments": (VISIBLE, VISIBLE),
    "award_evaluator_scores": (VISIBLE, VISIBLE),
    "award_decisions": (VISIBLE, VISIBLE),
    "award_letters": (f"{VISIBLE} OR {OWN}", VISIBLE),
    "award_complaints": (f"{VISIBLE} OR {OWN}", f"{VISIBLE} OR {OWN}"),
    "award_contracts": (VISIBLE, VISIBLE),
    "award_mandates": (VISIBLE, VISIBLE),
}


def _id_times():
    return [sa.Column("id", sa.Uuid(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False)]


def _procurement(unique: bool = False):
    return sa.Column("procurement_id", sa.Uuid(), sa.ForeignKey("procurements.id", ondelete="CASCADE"),
                     nullable=False, unique=unique)


def _tender(unique: bool = False):
    return sa.Column("tender_id", sa.Uuid(), sa.ForeignKey("competition_tenders.id", ondelete="CASCADE"),
                     nullable=False, unique=unique)


def _supplier():
    return sa.Column("supplier_id", sa.Uuid(), sa.ForeignKey("supplier_organisations.id", ondelete="CASCADE"),
                     nullable=False)


def _user(name: str, nullable: bool = True, ondelete: str = "SET NULL"):
    return sa.Column(name, sa.Uuid(), sa.ForeignKey("users.id", ondelete=ondelete), nullable=nullable)


def upgrade():
    op.create_table(
        "award_declarations", *_id_times(), _procurement(), _user("user_id", False, "CASCADE"),
        sa.Column("tenderers", sa.JSON(), nullable=False),
        sa.Column("conflict", sa.Boolean(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_declarations")),
        sa.UniqueConstraint("procurement_id", "user_id", name="uq_award_declarations_user"),
    )
    op.create_table(
        "award_assessments", *_id_times(), _procurement(), _tender(unique=True),
        sa.Column("qualified", sa.Boolean()),
        sa.Column("qualification_reason", sa.Text(), nullable=False),
        sa.Column("rejected_at", sa.DateTime(timezone=True)),
        sa.Column("rejection_ground", sa.String(40)),
        sa.Column("rejection_reason", sa.Text(), nullable=False),
        sa.Column("consensus", sa.JSON(), nullable=False),
        _user("updated_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_assessments")),
    )
    op.create_index("ix_award_assessments_procurement", "award_assessments", ["procurement_id"])
    op.create_table(
        "award_evaluator_scores", *_id_times(), _procurement(), _tender(), _user("evaluator_id", False, "CASCADE"),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_evaluator_scores")),
        sa.UniqueConstraint("tender_id", "evaluator_id", name="uq_award_evaluator_scores_evaluator"),
    )
    op.create_index("ix_award_evaluator_scores_procurement", "award_evaluator_scores", ["procurement_id", "tender_id"])
    op.create_table(
        "award_decisions", *_id_times(), _procurement(unique=True),
        sa.Column("winners", sa.JSON(), nullable=False),
        sa.Column("evaluation", sa.JSON(), nullable=False),
        _user("decided_by_id"),
        sa.Column("letters_sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("standstill_ends_at", sa.DateTime(timezone=True)),
        sa.Column("suspended_at", sa.DateTime(timezone=True)),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_decisions")),
    )
    op.create_table(
        "award_letters", *_id_times(), _procurement(), _supplier(), _tender(),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_letters")),
        sa.UniqueConstraint("procurement_id", "supplier_id", name="uq_award_letters_supplier"),
    )
    op.create_index("ix_award_letters_supplier", "award_letters", ["supplier_id", "created_at"])
    op.create_table(
        "award_complaints", *_id_times(), _procurement(), _supplier(), _user("filed_by_id"),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True)),
        _user("answered_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_complaints")),
    )
    op.create_index("ix_award_complaints_procurement", "award_complaints", ["procurement_id", "created_at", "id"])
    op.create_index("ix_award_complaints_supplier", "award_complaints", ["supplier_id", "created_at"])
    op.create_table(
        "award_contracts", *_id_times(), _procurement(),
        sa.Column("tenant_id", sa.Uuid(), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        _supplier(),
        sa.Column("lot_id", sa.Uuid(), sa.ForeignKey("specification_lots.id", ondelete="SET NULL")),
        sa.Column("value_ore", sa.BigInteger()),
        sa.Column("starts_on", sa.Date()),
        sa.Column("ends_on", sa.Date()),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("signed_on", sa.Date()),
        _user("signed_by_id"),
        sa.Column("document_id", sa.Uuid(), sa.ForeignKey("procurement_attachments.id", ondelete="SET NULL")),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_contracts")),
        sa.UniqueConstraint("procurement_id", "tenant_id", "lot_id", name="uq_award_contracts_buyer_lot"),
    )
    op.create_index("ix_award_contracts_procurement", "award_contracts", ["procurement_id", "created_at", "id"])
    op.create_index("ix_award_contracts_tenant", "award_contracts", ["tenant_id", "created_at"])
    op.create_table(
        "award_mandates", *_id_times(), _procurement(),
        sa.Column("tenant_id", sa.Uuid(), sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("decision_ref", sa.String(200), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("signatory", sa.String(200), nullable=False),
        sa.Column("volume_ore", sa.BigInteger(), nullable=False),
        sa.Column("options_ore", sa.BigInteger(), nullable=False),
        _user("recorded_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_award_mandates")),
        sa.UniqueConstraint("procurement_id", "tenant_id", name="uq_award_mandates_buyer"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for table, (using, check) in POLICIES.items():
            enable_custom_rls(op, table, using)
            if check != using:
                op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
                op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({using}) WITH CHECK ({check})")


def downgrade():
    for table in reversed(list(POLICIES)):
        disable_rls(op, table)
    for table in ("award_mandates", "award_contracts", "award_complaints", "award_letters", "award_decisions",
                  "award_evaluator_scores", "award_assessments", "award_declarations"):
        op.drop_table(table)
