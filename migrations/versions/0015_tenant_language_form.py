"""The municipality's official language form (målform): Bokmål or Nynorsk

Its members see pages in it unless they chose a language themselves; empty means not chosen
(the browser's preference decides, as before).

Revision ID: 0015_tenant_language_form
Revises: 0013_audit_rls
Create Date: 2026-12-04 19:10:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0015_tenant_language_form"
down_revision = "0013_audit_rls"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("language_form", sa.String(2), nullable=True))


def downgrade():
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("language_form")
