"""welfare_tech: bookmarked library requirements per tenant (tenant-owned, RLS)

Revision ID: wt_0001_bookmarks
Revises:
Create Date: 2026-11-26 09:30:00

"""
import sqlalchemy as sa
from alembic import op

from core.plugin_api import enable_tenant_rls

# revision identifiers, used by Alembic.
revision = 'wt_0001_bookmarks'
down_revision = None
branch_labels = ('welfare_tech',)
depends_on = '0001_foundation'


def upgrade():
    op.create_table('welfare_tech_bookmarks',
    sa.Column('requirement_ref', sa.String(length=32), nullable=False),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL',
                            name=op.f('fk_welfare_tech_bookmarks_created_by_id_users')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], ondelete='CASCADE',
                            name=op.f('fk_welfare_tech_bookmarks_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_welfare_tech_bookmarks')),
    sa.UniqueConstraint('tenant_id', 'requirement_ref', name='uq_welfare_tech_bookmarks_tenant_ref')
    )
    with op.batch_alter_table('welfare_tech_bookmarks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_welfare_tech_bookmarks_tenant_id'), ['tenant_id'], unique=False)
    enable_tenant_rls(op, 'welfare_tech_bookmarks')


def downgrade():
    with op.batch_alter_table('welfare_tech_bookmarks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_welfare_tech_bookmarks_tenant_id'))
    op.drop_table('welfare_tech_bookmarks')
