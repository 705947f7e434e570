"""Row-level security on the audit log, like every other tenant's data

Until now only the services' filters kept one municipality's audit entries from another. On
PostgreSQL the app role now reads an entry only in system scope (command line: `samspill audit
verify`), when the entry's tenant is in the transaction's tenant scope, or when it belongs to a
procurement the scope may see (`samspill_visible_procurement`: the lead and every active
participant read the whole chain of a joint procurement, which the protocol is built from). It
may append any entry (a supplier's action is recorded on the procurement's chain); changing or
deleting entries stays revoked (migrations.rls.APPEND_ONLY_TABLES).

Revision ID: 0013_audit_rls
Revises: 0012_participation_list_order
Create Date: 2026-12-04 19:00:00

"""

from alembic import op

from migrations.rls import TENANT_IDS, disable_rls, enable_append_only_rls

revision = "0013_audit_rls"
down_revision = "0012_participation_list_order"
branch_labels = None
depends_on = None

READ = (
    "current_setting('samspill.scope', true) = 'system'"
    f" OR tenant_id = ANY ({TENANT_IDS})"
    " OR (procurement_id IS NOT NULL AND samspill_visible_procurement(procurement_id))"
)


def upgrade():
    enable_append_only_rls(op, "audit_entries", READ)


def downgrade():
    disable_rls(op, "audit_entries")
