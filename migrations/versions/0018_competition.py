"""Competition: settings and announcement, sealed tenders with their files, the data key per
procurement (wrapped; the key-encryption key is never in the database), competition Q&A

Revision ID: 0018_competition
Revises: 0017_specification
Create Date: 2026-12-04 22:30:00

"""

import sqlalchemy as sa
from alembic import op

from migrations.rls import disable_rls, enable_custom_rls

revision = "0018_competition"
down_revision = "0017_specification"
branch_labels = None
depends_on = None

VISIBLE = "samspill_visible_procurement(procurement_id)"
OWN = "supplier_id = samspill_current_supplier()"
ANNOUNCED = "samspill_competition_announced(procurement_id)"

ANNOUNCED_FUNCTION = """
CREATE OR REPLACE FUNCTION samspill_competition_announced(pid uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT EXISTS (SELECT 1 FROM competitions c WHERE c.procurement_id = pid AND c.announced_at IS NOT NULL)
$$
"""

# table: (USING, WITH CHECK). An announced competition and its published answers are public to
# every supplier; tenders, their files and questions are the project group's or their own.
POLICIES = {
    "competitions": (f"{VISIBLE} OR announced_at IS NOT NULL", VISIBLE),
    "competition_keys": (f"{VISIBLE} OR {ANNOUNCED}", VISIBLE),
    "competition_tenders": (f"{VISIBLE} OR {OWN}", f"{VISIBLE} OR {OWN}"),
    "competition_tender_files": (f"{VISIBLE} OR {OWN}", f"{VISIBLE} OR {OWN}"),
    "competition_questions": (f"{VISIBLE} OR {OWN}", f"{VISIBLE} OR {OWN}"),
    "competition_answers": (f"{VISIBLE} OR {ANNOUNCED}", VISIBLE),
}


def _id_times():
    return [sa.Column("id", sa.Uuid(), nullable=False),
            sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False)]


def _procurement(unique: bool = False):
    return sa.Column("procurement_id", sa.Uuid(), sa.ForeignKey(
        "procurements.id", ondelete="CASCADE", name=None), nullable=False, unique=unique)


def _supplier():
    return sa.Column("supplier_id", sa.Uuid(), sa.ForeignKey("supplier_organisations.id", ondelete="CASCADE"),
                     nullable=False)


def _user(name: str):
    return sa.Column(name, sa.Uuid(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True)


def upgrade():
    op.create_table(
        "competitions", *_id_times(), _procurement(unique=True),
        sa.Column("tender_deadline", sa.DateTime(timezone=True)),
        sa.Column("question_deadline", sa.DateTime(timezone=True)),
        sa.Column("opening_at", sa.DateTime(timezone=True)),
        sa.Column("qualification", sa.JSON(), nullable=False),
        sa.Column("announced_at", sa.DateTime(timezone=True)),
        _user("announced_by_id"),
        sa.Column("opened_at", sa.DateTime(timezone=True)),
        _user("opened_by_id"),
        sa.Column("opening_protocol", sa.JSON()),
        _user("updated_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competitions")),
    )
    op.create_index("ix_competitions_announced", "competitions", ["announced_at", "id"])
    op.create_table(
        "competition_keys", *_id_times(), _procurement(unique=True),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("kek_fingerprint", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competition_keys")),
    )
    op.create_table(
        "competition_tenders", *_id_times(), _procurement(), _supplier(),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True)),
        sa.Column("receipt_sha256", sa.String(64)),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True)),
        sa.Column("submissions", sa.Integer(), nullable=False),
        _user("updated_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competition_tenders")),
        sa.UniqueConstraint("procurement_id", "supplier_id", name="uq_competition_tenders_supplier"),
    )
    op.create_index("ix_competition_tenders_procurement_status", "competition_tenders",
                    ["procurement_id", "status", "submitted_at", "id"])
    op.create_index("ix_competition_tenders_supplier", "competition_tenders", ["supplier_id", "created_at"])
    op.create_table(
        "competition_tender_files", *_id_times(), _procurement(), _supplier(),
        sa.Column("tender_id", sa.Uuid(), sa.ForeignKey("competition_tenders.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("storage_key", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competition_tender_files")),
    )
    op.create_index("ix_competition_tender_files_tender", "competition_tender_files", ["tender_id", "created_at"])
    op.create_table(
        "competition_answers", *_id_times(), _procurement(),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("published_questions", sa.JSON(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        _user("answered_by_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competition_answers")),
    )
    op.create_index("ix_competition_answers_procurement", "competition_answers",
                    ["procurement_id", "published_at", "id"])
    op.create_table(
        "competition_questions", *_id_times(), _procurement(), _supplier(),
        _user("asked_by_id"),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("answer_id", sa.Uuid(), sa.ForeignKey("competition_answers.id", ondelete="SET NULL"),
                  nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competition_questions")),
    )
    op.create_index("ix_competition_questions_procurement", "competition_questions",
                    ["procurement_id", "answer_id", "created_at", "id"])
    op.create_index("ix_competition_questions_supplier", "competition_questions", ["supplier_id", "created_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(ANNOUNCED_FUNCTION)
        for table, (using, check) in POLICIES.items():
            enable_custom_rls(op, table, using)
            if check != using:
                op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
                op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({using}) WITH CHECK ({check})")


def downgrade():
    for table in reversed(list(POLICIES)):
        disable_rls(op, table)
    for table in ("competition_questions", "competition_answers", "competition_tender_files",
                  "competition_tenders", "competition_keys", "competitions"):
        op.drop_table(table)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS samspill_competition_announced(uuid) CASCADE")
