"""Template library and learning arena: templates, immutable versions, shares, reuse, lessons

Revision ID: 0005_library
Revises: 0003_procurement_lifecycle
Create Date: 2026-11-25 19:20:00

On every database a trigger refuses UPDATE of a published template version. On PostgreSQL,
RLS: templates and versions are readable when visible to the transaction's tenants (open ones,
platform templates included; own ones; shared ones) and writable only by the owner tenant
(platform and plugin templates only in system scope); lessons and reuse records are readable
by all and written only for the writer's own tenant.
"""
import sqlalchemy as sa
from alembic import op

from migrations.rls import TENANT_IDS

revision = '0005_library'
down_revision = '0003_procurement_lifecycle'
branch_labels = None
depends_on = None

SYSTEM = "current_setting('samspill.scope', true) = 'system'"

VISIBLE_TEMPLATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION samspill_visible_template(tid uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT {SYSTEM} OR EXISTS (
    SELECT 1 FROM templates t WHERE t.id = tid AND (
      t.visibility = 'all' OR t.owner_tenant_id = ANY ({TENANT_IDS})
      OR EXISTS (SELECT 1 FROM template_shares s WHERE s.template_id = t.id AND s.tenant_id = ANY ({TENANT_IDS}))))
$$
"""

OWNS_TEMPLATE_FUNCTION = f"""
CREATE OR REPLACE FUNCTION samspill_owns_template(tid uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
  SELECT {SYSTEM} OR EXISTS (SELECT 1 FROM templates t WHERE t.id = tid AND t.owner_tenant_id = ANY ({TENANT_IDS}))
$$
"""

# Only the content-bearing columns are frozen, so ON DELETE SET NULL of an author still works.
SQLITE_TRIGGER = """
CREATE TRIGGER template_versions_immutable BEFORE UPDATE ON template_versions
WHEN OLD.status = 'published' AND (NEW.status IS NOT OLD.status OR NEW.content IS NOT OLD.content
  OR NEW.content_hash IS NOT OLD.content_hash OR NEW.number IS NOT OLD.number
  OR NEW.changelog IS NOT OLD.changelog OR NEW.template_id IS NOT OLD.template_id)
BEGIN SELECT RAISE(ABORT, 'published template versions are immutable'); END
"""

PG_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION samspill_template_version_immutable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'published' AND (NEW.status IS DISTINCT FROM OLD.status
      OR NEW.content::text IS DISTINCT FROM OLD.content::text OR NEW.content_hash IS DISTINCT FROM OLD.content_hash
      OR NEW.number IS DISTINCT FROM OLD.number OR NEW.changelog IS DISTINCT FROM OLD.changelog
      OR NEW.template_id IS DISTINCT FROM OLD.template_id) THEN
    RAISE EXCEPTION 'published template versions are immutable';
  END IF;
  RETURN NEW;
END $$
"""


def _policies(table: str, read: str, write: str) -> None:
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY library_read ON {table} FOR SELECT USING ({read})")
    op.execute(f"CREATE POLICY library_insert ON {table} FOR INSERT WITH CHECK ({write})")
    op.execute(f"CREATE POLICY library_update ON {table} FOR UPDATE USING ({write}) WITH CHECK ({write})")
    op.execute(f"CREATE POLICY library_delete ON {table} FOR DELETE USING ({write})")


def upgrade():
    op.create_table('templates',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('source', sa.Enum('platform', 'plugin', 'tenant', name='templatesource', native_enum=False, length=32), nullable=False),
    sa.Column('owner_tenant_id', sa.Uuid(), nullable=True),
    sa.Column('owner_key', sa.String(length=80), nullable=False),
    sa.Column('visibility', sa.Enum('private', 'shared', 'all', name='visibility', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('domain', sa.String(length=64), nullable=True),
    sa.Column('latest_version_id', sa.Uuid(), nullable=True),
    sa.Column('latest_version_number', sa.Integer(), nullable=False),
    sa.Column('latest_published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['owner_tenant_id'], ['tenants.id'], name='fk_templates_owner_tenant_id_tenants', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name='fk_templates_created_by_id_users', ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name='pk_templates'),
    sa.UniqueConstraint('source', 'owner_key', 'key', name='uq_templates_source_owner_key'),
    )
    op.create_index('ix_templates_published', 'templates', ['latest_published_at', 'id'])

    op.create_table('template_versions',
    sa.Column('template_id', sa.Uuid(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='versionstatus', native_enum=False, length=32), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('changelog', sa.Text(), nullable=False),
    sa.Column('from_procurement_id', sa.Uuid(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['templates.id'], name='fk_template_versions_template_id_templates', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name='fk_template_versions_created_by_id_users', ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name='pk_template_versions'),
    sa.UniqueConstraint('template_id', 'number', name='uq_template_versions_template_number'),
    )

    op.create_table('template_shares',
    sa.Column('template_id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('owner_tenant_id', sa.Uuid(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['templates.id'], name='fk_template_shares_template_id_templates', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name='fk_template_shares_tenant_id_tenants', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_tenant_id'], ['tenants.id'], name='fk_template_shares_owner_tenant_id_tenants', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name='pk_template_shares'),
    sa.UniqueConstraint('template_id', 'tenant_id', name='uq_template_shares_template_tenant'),
    )

    op.create_table('template_uses',
    sa.Column('template_id', sa.Uuid(), nullable=False),
    sa.Column('version_id', sa.Uuid(), nullable=False),
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('procurement_id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['template_id'], ['templates.id'], name='fk_template_uses_template_id_templates', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['template_versions.id'], name='fk_template_uses_version_id_template_versions', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name='fk_template_uses_tenant_id_tenants', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'], name='fk_template_uses_procurement_id_procurements', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name='pk_template_uses'),
    sa.UniqueConstraint('procurement_id', name='uq_template_uses_procurement'),
    )
    op.create_index('ix_template_uses_template', 'template_uses', ['template_id', 'tenant_id'])

    op.create_table('lessons',
    sa.Column('tenant_id', sa.Uuid(), nullable=False),
    sa.Column('author_id', sa.Uuid(), nullable=True),
    sa.Column('procurement_id', sa.Uuid(), nullable=True),
    sa.Column('template_id', sa.Uuid(), nullable=True),
    sa.Column('context_title', sa.String(length=300), nullable=False),
    sa.Column('phase', sa.String(length=32), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name='fk_lessons_tenant_id_tenants', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name='fk_lessons_author_id_users', ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['procurement_id'], ['procurements.id'], name='fk_lessons_procurement_id_procurements', ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['template_id'], ['templates.id'], name='fk_lessons_template_id_templates', ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name='pk_lessons'),
    )
    op.create_index('ix_lessons_created', 'lessons', ['created_at', 'id'])
    op.create_index('ix_lessons_template', 'lessons', ['template_id', 'created_at'])
    op.create_index('ix_lessons_procurement', 'lessons', ['procurement_id', 'created_at'])

    if op.get_bind().dialect.name != "postgresql":
        op.execute(SQLITE_TRIGGER)
        return
    op.execute(PG_TRIGGER_FUNCTION)
    op.execute("CREATE TRIGGER template_versions_immutable BEFORE UPDATE ON template_versions "
               "FOR EACH ROW EXECUTE FUNCTION samspill_template_version_immutable()")
    op.execute(VISIBLE_TEMPLATE_FUNCTION)
    op.execute(OWNS_TEMPLATE_FUNCTION)
    own_tenant = f"{SYSTEM} OR tenant_id = ANY ({TENANT_IDS})"
    _policies("templates", "samspill_visible_template(id)", f"{SYSTEM} OR owner_tenant_id = ANY ({TENANT_IDS})")
    _policies("template_versions", "samspill_visible_template(template_id)", "samspill_owns_template(template_id)")
    _policies("template_shares", f"{SYSTEM} OR tenant_id = ANY ({TENANT_IDS}) OR owner_tenant_id = ANY ({TENANT_IDS})",
              f"{SYSTEM} OR owner_tenant_id = ANY ({TENANT_IDS})")
    _policies("template_uses", "true", own_tenant)
    _policies("lessons", "true", own_tenant)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS template_versions_immutable ON template_versions")
        op.execute("DROP FUNCTION IF EXISTS samspill_template_version_immutable() CASCADE")
        op.execute("DROP FUNCTION IF EXISTS samspill_visible_template(uuid) CASCADE")
        op.execute("DROP FUNCTION IF EXISTS samspill_owns_template(uuid) CASCADE")
    else:
        op.execute("DROP TRIGGER IF EXISTS template_versions_immutable")
    op.drop_table('lessons')
    op.drop_table('template_uses')
    op.drop_table('template_shares')
    op.drop_table('template_versions')
    op.drop_table('templates')
