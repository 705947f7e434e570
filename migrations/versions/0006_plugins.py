"""Per-tenant plugin enablement and settings (tenant-owned, RLS)

Revision ID: 0006_plugins
Revises: 0002_procurement
Create Date: 2026-11-26 09:00:00

"""
import sqlalchemy as sa
from alembic import op

from migrations.rls import enable_tenant_rls

# revision identifiers, used by Alembic.
revision = '0006_plugins'
down_revision = '0002_procurement'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('tenant_plugins',
    sa.Column('plugin', sa.String(length=100), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_tenant_plugins_tenant_id_tenants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenant_plugins')),
    sa.UniqueConstraint('tenant_id', 'plugin', name='uq_tenant_plugins_tenant_plugin')
    )
    with op.batch_alter_table('tenant_plugins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tenant_plugins_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_tenant_plugins_plugin_enabled', ['plugin', 'enabled'], unique=False)
    enable_tenant_rls(op, 'tenant_plugins')


def downgrade():
    with op.batch_alter_table('tenant_plugins', schema=None) as batch_op:
        batch_op.drop_index('ix_tenant_plugins_plugin_enabled')
        batch_op.drop_index(batch_op.f('ix_tenant_plugins_tenant_id'))
    op.drop_table('tenant_plugins')
