"""Market dialogue, supplier portal and notification outbox (RLS for supplier-owned rows)

Revision ID: 0004_dialogue
Revises: 0002_procurement
Create Date: 2026-11-25 19:00:00

Written by hand. On PostgreSQL every dialogue table has forced row-level security:
procurement-owned rows are visible to the project group through
`samspill_visible_procurement(procurement_id)`; rows that belong to one supplier are also
visible to that supplier (`samspill.supplier_id`, set per transaction by core.isolation);
what is published to every registered supplier is visible to registered suppliers.
Procurements with an open dialogue become readable (not writable) for suppliers.
"""
import sqlalchemy as sa
from alembic import op

from migrations.rls import TENANT_IDS

# revision identifiers, used by Alembic.
revision = '0004_dialogue'
down_revision = '0002_procurement'
branch_labels = None
depends_on = None

SYSTEM = "current_setting('samspill.scope', true) = 'system'"

FUNCTIONS = (
    """
CREATE OR REPLACE FUNCTION samspill_current_supplier() RETURNS uuid
LANGUAGE sql STABLE AS $$
  SELECT nullif(current_setting('samspill.supplier_id', true), '')::uuid
$$
""",
    # SECURITY DEFINER: policies consult registrations without recursing into their policy.
    """
CREATE OR REPLACE FUNCTION samspill_supplier_registered(pid uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT EXISTS (SELECT 1 FROM dialogue_registrations r
                 WHERE r.procurement_id = pid AND r.supplier_id = samspill_current_supplier())
$$
""",
    """
CREATE OR REPLACE FUNCTION samspill_dialogue_open(pid uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT EXISTS (SELECT 1 FROM procurements p WHERE p.id = pid AND p.dialogue_open)
$$
""",
)

VISIBLE = "samspill_visible_procurement(procurement_id)"
OWN = "supplier_id = samspill_current_supplier()"
REGISTERED = "samspill_supplier_registered(procurement_id)"

# table: (USING, WITH CHECK)
POLICIES = {
    "supplier_members": (f"{SYSTEM} OR {OWN}", f"{SYSTEM} OR {OWN}"),
    "dialogue_invitations": (f"{VISIBLE} OR samspill_dialogue_open(procurement_id)", VISIBLE),
    "dialogue_registrations": (f"{VISIBLE} OR {OWN}", f"{VISIBLE} OR {OWN}"),
    "dialogue_conferences": (f"{VISIBLE} OR {REGISTERED}", VISIBLE),
    "dialogue_answers": (f"{VISIBLE} OR {REGISTERED}", VISIBLE),
    "dialogue_questions": (f"{VISIBLE} OR {OWN}", f"{VISIBLE} OR {OWN}"),
    "dialogue_questionnaires": (f"{VISIBLE} OR ({REGISTERED} AND opened_at IS NOT NULL)", VISIBLE),
    "dialogue_questionnaire_questions": (f"{VISIBLE} OR {REGISTERED}", VISIBLE),
    "dialogue_responses": (f"{VISIBLE} OR {OWN}", f"{VISIBLE} OR {OWN}"),
    "dialogue_response_answers": (f"{VISIBLE} OR {OWN}", f"{VISIBLE} OR {OWN}"),
    "dialogue_attachments": (f"{VISIBLE} OR {OWN} OR (supplier_id IS NULL AND {REGISTERED})",
                             f"{VISIBLE} OR {OWN}"),
    "dialogue_meeting_rounds": (f"{VISIBLE} OR ({REGISTERED} AND opened_at IS NOT NULL)", VISIBLE),
    "dialogue_meeting_slots": (f"{VISIBLE} OR {REGISTERED}", VISIBLE),
    "dialogue_meeting_bookings": (f"{VISIBLE} OR {OWN}", f"{VISIBLE} OR {OWN}"),
}

PROCUREMENT_SEES = f"samspill_visible_procurement(id) OR lead_tenant_id = ANY ({TENANT_IDS})"


def _force_rls(table: str) -> None:
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")


def _postgres_rls() -> None:
    for sql in FUNCTIONS:
        op.execute(sql)
    for table, (using, check) in POLICIES.items():
        _force_rls(table)
        op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
        op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({using}) WITH CHECK ({check})")
    # The outbox: anyone may queue a message; only the sender (system scope) reads or updates.
    _force_rls("notification_outbox")
    op.execute("CREATE POLICY outbox_queue ON notification_outbox FOR INSERT WITH CHECK (true)")
    op.execute(f"CREATE POLICY outbox_sender ON notification_outbox USING ({SYSTEM}) WITH CHECK ({SYSTEM})")
    # Suppliers may read (never write) procurements whose dialogue is open.
    op.execute("DROP POLICY IF EXISTS tenant_isolation ON procurements")
    op.execute(f"CREATE POLICY tenant_isolation ON procurements USING ({PROCUREMENT_SEES} OR dialogue_open)"
               f" WITH CHECK ({PROCUREMENT_SEES})")


TABLES = (
    'supplier_organisations',
    'supplier_members',
    'notification_outbox',
    'dialogue_invitations',
    'dialogue_registrations',
    'dialogue_conferences',
    'dialogue_answers',
    'dialogue_questions',
    'dialogue_questionnaires',
    'dialogue_questionnaire_questions',
    'dialogue_responses',
    'dialogue_response_answers',
    'dialogue_attachments',
    'dialogue_meeting_rounds',
    'dialogue_meeting_slots',
    'dialogue_meeting_bookings',
)


def upgrade():
    op.create_table('supplier_organisations',
    sa.Column('org_number', sa.String(length=9), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_organisations')),
    sa.UniqueConstraint('org_number', name=op.f('uq_supplier_organisations_org_number'))
    )
    op.create_table('supplier_members',
    sa.Column('supplier_id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.Enum('supplier_admin', 'supplier_user', name='supplierrole', native_enum=False, length=32), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['supplier_id'], ['supplier_organisations.id'], name=op.f('fk_supplier_members_supplier_id_supplier_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_supplier_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier_members')),
    sa.UniqueConstraint('user_id', name=op.f('uq_supplier_members_user_id'))
    )
    op.create_index(op.f('ix_supplier_members_supplier_id'), 'supplier_members', ['supplier_id'], unique=False)
    op.create_table('notification_outbox',
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('pending', 'sent', 'failed', name='outboxstatus', native_enum=False, length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('dedupe_key', sa.String(length=200), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_outbox')),
    sa.UniqueConstraint('dedupe_key', name=op.f('uq_notification_outbox_dedupe_key'))
    )
    op.create_index('ix_notification_outbox_due', 'notification_outbox', ['status', 'next_attempt_at'], unique=False)
    op.create_table('dialogue_invitations',
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'], name=op.f('fk_dialogue_invitations_procurement_id_procurements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_dialogue_invitations_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_invitations')),
    sa.UniqueConstraint('procurement_id', name=op.f('uq_dialogue_invitations_procurement_id'))
    )
    op.create_table('dialogue_registrations',
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('supplier_id', sa.Uuid(), nullable=False),
    sa.Column('registered_by_id', sa.Uuid(), nullable=True),
    sa.Column('conference_status', sa.Enum('none', 'confirmed', 'waiting', name='conferencestatus', native_enum=False, length=32), nullable=False),
    sa.Column('conference_attendees', sa.Integer(), nullable=False),
    sa.Column('conference_registered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'], name=op.f('fk_dialogue_registrations_procurement_id_procurements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registered_by_id'], ['users.id'], name=op.f('fk_dialogue_registrations_registered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supplier_id'], ['supplier_organisations.id'], name=op.f('fk_dialogue_registrations_supplier_id_supplier_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_registrations')),
    sa.UniqueConstraint('procurement_id', 'supplier_id', name='uq_dialogue_registrations_supplier')
    )
    op.create_index('ix_dialogue_registrations_procurement', 'dialogue_registrations', ['procurement_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_dialogue_registrations_supplier', 'dialogue_registrations', ['supplier_id', 'created_at'], unique=False)
    op.create_table('dialogue_conferences',
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('online_link', sa.String(length=500), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('registration_deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_attendees', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('minutes_published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'], name=op.f('fk_dialogue_conferences_procurement_id_procurements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_conferences')),
    sa.UniqueConstraint('procurement_id', name=op.f('uq_dialogue_conferences_procurement_id'))
    )
    op.create_table('dialogue_answers',
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('published_questions', sa.JSON(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_dialogue_answers_answered_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'], name=op.f('fk_dialogue_answers_procurement_id_procurements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_answers'))
    )
    op.create_index('ix_dialogue_answers_procurement', 'dialogue_answers', ['procurement_id', 'published_at', 'id'], unique=False)
    op.create_table('dialogue_questions',
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('supplier_id', sa.Uuid(), nullable=False),
    sa.Column('asked_by_id', sa.Uuid(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('answer_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['dialogue_answers.id'], name=op.f('fk_dialogue_questions_answer_id_dialogue_answers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['asked_by_id'], ['users.id'], name=op.f('fk_dialogue_questions_asked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'], name=op.f('fk_dialogue_questions_procurement_id_procurements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_id'], ['supplier_organisations.id'], name=op.f('fk_dialogue_questions_supplier_id_supplier_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_questions'))
    )
    op.create_index('ix_dialogue_questions_procurement', 'dialogue_questions', ['procurement_id', 'created_at', 'id'], unique=False)
    op.create_index('ix_dialogue_questions_supplier', 'dialogue_questions', ['supplier_id', 'procurement_id'], unique=False)
    op.create_index(op.f('ix_dialogue_questions_answer_id'), 'dialogue_questions', ['answer_id'], unique=False)
    op.create_table('dialogue_questionnaires',
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('intro', sa.Text(), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_dialogue_questionnaires_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'], name=op.f('fk_dialogue_questionnaires_procurement_id_procurements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_questionnaires'))
    )
    op.create_index('ix_dialogue_questionnaires_procurement', 'dialogue_questionnaires', ['procurement_id', 'created_at', 'id'], unique=False)
    op.create_table('dialogue_questionnaire_questions',
    sa.Column('questionnaire_id', sa.Uuid(), nullable=False),
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('text', 'choice', 'multichoice', 'attachment', name='questionkind', native_enum=False, length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('help', sa.Text(), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=80), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'], name=op.f('fk_dialogue_questionnaire_questions_procurement_id_procurements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['dialogue_questionnaires.id'], name=op.f('fk_dialogue_questionnaire_questions_questionnaire_id_dialogue_questionnaires'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_questionnaire_questions')),
    sa.UniqueConstraint('questionnaire_id', 'position', name='uq_dialogue_qq_position')
    )
    op.create_table('dialogue_responses',
    sa.Column('questionnaire_id', sa.Uuid(), nullable=False),
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('supplier_id', sa.Uuid(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', name='responsestatus', native_enum=False, length=32), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_by_id', sa.Uuid(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'], name=op.f('fk_dialogue_responses_procurement_id_procurements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['questionnaire_id'], ['dialogue_questionnaires.id'], name=op.f('fk_dialogue_responses_questionnaire_id_dialogue_questionnaires'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_id'], ['supplier_organisations.id'], name=op.f('fk_dialogue_responses_supplier_id_supplier_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_dialogue_responses_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_responses')),
    sa.UniqueConstraint('questionnaire_id', 'supplier_id', name='uq_dialogue_responses_supplier')
    )
    op.create_index('ix_dialogue_responses_questionnaire', 'dialogue_responses', ['questionnaire_id', 'status', 'submitted_at'], unique=False)
    op.create_table('dialogue_response_answers',
    sa.Column('response_id', sa.Uuid(), nullable=False),
    sa.Column('question_id', sa.Uuid(), nullable=False),
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('supplier_id', sa.Uuid(), nullable=False),
    sa.Column('value', sa.JSON(), nullable=True),
    sa.Column('is_business_secret', sa.Boolean(), nullable=False),
    sa.Column('secret_reason', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'], name=op.f('fk_dialogue_response_answers_procurement_id_procurements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['question_id'], ['dialogue_questionnaire_questions.id'], name=op.f('fk_dialogue_response_answers_question_id_dialogue_questionnaire_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['dialogue_responses.id'], name=op.f('fk_dialogue_response_answers_response_id_dialogue_responses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_id'], ['supplier_organisations.id'], name=op.f('fk_dialogue_response_answers_supplier_id_supplier_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_response_answers')),
    sa.UniqueConstraint('response_id', 'question_id', name='uq_dialogue_answers_question')
    )
    op.create_table('dialogue_attachments',
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('supplier_id', sa.Uuid(), nullable=True),
    sa.Column('kind', sa.Enum('presentation', 'response', name='attachmentkind', native_enum=False, length=32), nullable=False),
    sa.Column('response_id', sa.Uuid(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('uploaded_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'], name=op.f('fk_dialogue_attachments_procurement_id_procurements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['dialogue_responses.id'], name=op.f('fk_dialogue_attachments_response_id_dialogue_responses'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_id'], ['supplier_organisations.id'], name=op.f('fk_dialogue_attachments_supplier_id_supplier_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_dialogue_attachments_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_attachments'))
    )
    op.create_index('ix_dialogue_attachments_procurement', 'dialogue_attachments', ['procurement_id', 'kind', 'created_at'], unique=False)
    op.create_table('dialogue_meeting_rounds',
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('agenda', sa.Text(), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=False),
    sa.Column('online_link', sa.String(length=500), nullable=False),
    sa.Column('bookings_per_supplier', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cutoff', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_dialogue_meeting_rounds_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'], name=op.f('fk_dialogue_meeting_rounds_procurement_id_procurements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_meeting_rounds'))
    )
    op.create_index('ix_dialogue_meeting_rounds_procurement', 'dialogue_meeting_rounds', ['procurement_id', 'created_at'], unique=False)
    op.create_table('dialogue_meeting_slots',
    sa.Column('round_id', sa.Uuid(), nullable=False),
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('is_booked', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'], name=op.f('fk_dialogue_meeting_slots_procurement_id_procurements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['dialogue_meeting_rounds.id'], name=op.f('fk_dialogue_meeting_slots_round_id_dialogue_meeting_rounds'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_meeting_slots')),
    sa.UniqueConstraint('round_id', 'starts_at', name='uq_dialogue_slots_round_start')
    )
    op.create_index('ix_dialogue_slots_procurement', 'dialogue_meeting_slots', ['procurement_id', 'starts_at'], unique=False)
    op.create_table('dialogue_meeting_bookings',
    sa.Column('slot_id', sa.Uuid(), nullable=False),
    sa.Column('round_id', sa.Uuid(), nullable=False),
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('supplier_id', sa.Uuid(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('booked_by_id', sa.Uuid(), nullable=True),
    sa.Column('minutes', sa.Text(), nullable=False),
    sa.Column('minutes_updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['booked_by_id'], ['users.id'], name=op.f('fk_dialogue_meeting_bookings_booked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'], name=op.f('fk_dialogue_meeting_bookings_procurement_id_procurements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['dialogue_meeting_rounds.id'], name=op.f('fk_dialogue_meeting_bookings_round_id_dialogue_meeting_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['slot_id'], ['dialogue_meeting_slots.id'], name=op.f('fk_dialogue_meeting_bookings_slot_id_dialogue_meeting_slots'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_id'], ['supplier_organisations.id'], name=op.f('fk_dialogue_meeting_bookings_supplier_id_supplier_organisations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogue_meeting_bookings')),
    sa.UniqueConstraint('round_id', 'supplier_id', 'seq', name='uq_dialogue_bookings_round_supplier_seq'),
    sa.UniqueConstraint('slot_id', name='uq_dialogue_bookings_slot')
    )
    op.create_index('ix_dialogue_bookings_procurement', 'dialogue_meeting_bookings', ['procurement_id', 'supplier_id'], unique=False)

    if op.get_bind().dialect.name == "postgresql":
        _postgres_rls()


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS tenant_isolation ON procurements")
        op.execute(f"CREATE POLICY tenant_isolation ON procurements USING ({PROCUREMENT_SEES})"
                   f" WITH CHECK ({PROCUREMENT_SEES})")
        op.execute("DROP FUNCTION IF EXISTS samspill_supplier_registered(uuid) CASCADE")
        op.execute("DROP FUNCTION IF EXISTS samspill_dialogue_open(uuid) CASCADE")
        op.execute("DROP FUNCTION IF EXISTS samspill_current_supplier() CASCADE")
    for table in reversed(TABLES):
        op.drop_table(table)
