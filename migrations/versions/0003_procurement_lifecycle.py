"""Procurement lifecycle: contract kind, milestones, template gate items, needs, gate checks,
phase transitions and attachments (RLS: visible with the procurement)

Revision ID: 0003_procurement_lifecycle
Revises: 0002_procurement
Create Date: 2026-11-25 19:10:00

"""
import sqlalchemy as sa
from alembic import op

from migrations.rls import enable_custom_rls

revision = '0003_procurement_lifecycle'
down_revision = '0002_procurement'
branch_labels = None
depends_on = None

VISIBLE = "samspill_visible_procurement(procurement_id)"
PHASES = ('anchoring', 'needs', 'dialogue', 'competition', 'evaluation', 'contract')


def _common():
    return [
        sa.Column('id', sa.Uuid(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    ]


def _procurement_fk(table):
    return sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'],
                                   name=f'fk_{table}_procurement_id_procurements', ondelete='CASCADE')


def upgrade():
    with op.batch_alter_table('procurements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contract_kind', sa.Enum('goods_services', 'works', 'social_services', name='contractkind', native_enum=False, length=32), nullable=False, server_default='goods_services'))
        batch_op.add_column(sa.Column('milestones', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('custom_gate_items', sa.JSON(), nullable=False, server_default='[]'))

    op.create_table('procurement_needs',
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('user_group', sa.String(length=200), nullable=False),
    sa.Column('source', sa.Enum('interview', 'workshop', 'observation', 'survey', name='needsource', native_enum=False, length=32), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    *_common(),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name='fk_procurement_needs_created_by_id_users', ondelete='SET NULL'),
    _procurement_fk('procurement_needs'),
    sa.PrimaryKeyConstraint('id', name='pk_procurement_needs'),
    )
    op.create_index('ix_procurement_needs_procurement_position', 'procurement_needs', ['procurement_id', 'position'])

    op.create_table('procurement_gate_checks',
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('item_key', sa.String(length=120), nullable=False),
    sa.Column('phase', sa.Enum(*PHASES, name='phase', native_enum=False, length=32), nullable=False),
    sa.Column('state', sa.Enum('done', 'waived', name='gatestate', native_enum=False, length=32), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('by_id', sa.Uuid(), nullable=True),
    *_common(),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name='fk_procurement_gate_checks_by_id_users', ondelete='SET NULL'),
    _procurement_fk('procurement_gate_checks'),
    sa.PrimaryKeyConstraint('id', name='pk_procurement_gate_checks'),
    sa.UniqueConstraint('procurement_id', 'item_key', name='uq_gate_checks_procurement_item'),
    )

    op.create_table('procurement_phase_transitions',
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('from_phase', sa.String(length=32), nullable=False),
    sa.Column('to_phase', sa.String(length=32), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Uuid(), nullable=True),
    sa.Column('by_label', sa.String(length=254), nullable=False),
    sa.Column('waived', sa.JSON(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name='fk_procurement_phase_transitions_by_id_users', ondelete='SET NULL'),
    _procurement_fk('procurement_phase_transitions'),
    sa.PrimaryKeyConstraint('id', name='pk_procurement_phase_transitions'),
    )
    op.create_index('ix_phase_transitions_procurement_at', 'procurement_phase_transitions', ['procurement_id', 'at'])

    op.create_table('procurement_attachments',
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('need_id', sa.Uuid(), nullable=True),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('filename', sa.String(length=160), nullable=False),
    sa.Column('content_type', sa.String(length=120), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('uploaded_by_id', sa.Uuid(), nullable=True),
    *_common(),
    _procurement_fk('procurement_attachments'),
    sa.ForeignKeyConstraint(['need_id'], ['procurement_needs.id'], name='fk_procurement_attachments_need_id_procurement_needs', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name='fk_procurement_attachments_tenant_id_tenants', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name='fk_procurement_attachments_uploaded_by_id_users', ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name='pk_procurement_attachments'),
    )
    op.create_index('ix_procurement_attachments_procurement', 'procurement_attachments', ['procurement_id', 'created_at'])

    for table in ('procurement_needs', 'procurement_gate_checks', 'procurement_phase_transitions',
                  'procurement_attachments'):
        enable_custom_rls(op, table, VISIBLE)


def downgrade():
    op.drop_table('procurement_attachments')
    op.drop_table('procurement_phase_transitions')
    op.drop_table('procurement_gate_checks')
    op.drop_table('procurement_needs')
    with op.batch_alter_table('procurements', schema=None) as batch_op:
        batch_op.drop_column('custom_gate_items')
        batch_op.drop_column('milestones')
        batch_op.drop_column('contract_kind')
