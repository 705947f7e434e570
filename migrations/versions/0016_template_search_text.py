"""The words of each template's latest published version, for the arena search

`templates.search_text` holds the lower-case text of the latest published version's needs,
requirements, questionnaire questions, award criteria, KPIs and texts (core.library.search), so
the arena finds "trygghetsalarm" in a package whose title does not say it, in one query on both
databases. Filled here for the templates that exist; the services keep it current on publish.

Revision ID: 0016_template_search_text
Revises: 0015_tenant_language_form
Create Date: 2026-12-04 19:20:00

"""

import json

import sqlalchemy as sa
from alembic import op

from core.library.search import search_text

revision = "0016_template_search_text"
down_revision = "0015_tenant_language_form"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("templates") as batch:
        batch.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":  # the tables force RLS, for their owner too
        bind.execute(sa.text("SELECT set_config('samspill.scope', 'system', true)"))
    rows = bind.execute(sa.text(
        "SELECT t.id, v.content FROM templates t JOIN template_versions v ON v.id = t.latest_version_id")).all()
    for template_id, content in rows:
        document = json.loads(content) if isinstance(content, str) else content
        bind.execute(sa.text("UPDATE templates SET search_text = :text WHERE id = :id"),
                     {"text": search_text(document or {}), "id": template_id})


def downgrade():
    with op.batch_alter_table("templates") as batch:
        batch.drop_column("search_text")
