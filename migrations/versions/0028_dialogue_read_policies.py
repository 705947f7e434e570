"""The dialogue tables' read policies ask a view of the scope's participations instead of calling
`samspill_visible_procurement(procurement_id)` (a SECURITY DEFINER function, never inlined: its
body set up once per scanned table, about 80 µs, and called for every row, about 4 µs)

Revision ID: 0028_dialogue
Revises: 0027_overview
Create Date: 2026-12-06 17:00:00

The function's condition, written inline: system scope, or an active participation of one of the
transaction's tenants in the row's procurement. The participations are read through the view
`samspill_scope_procurements`, owned by the migrations' owner like the function, so it reads
`procurement_participations` without that table's own policy (the inline subquery under the
participations' policy was tried in speed round 6 and was slower: the function once per
participation). PostgreSQL plans the `EXISTS` as a hashed subplan (the scope's participations
read once per statement and table, index-only) or an index probe per row, whichever is cheaper.

The view shows the app role nothing it cannot read already (the participations' policy lets
every row of the transaction's tenants through) and cannot be written through: its two FROM
entries make it not automatically updatable, so the grants `grant_app_role` gives on every
relation do not reach `procurement_participations` past its policy.

Only the read condition (USING) changes; every supplier condition is kept as it was, and the
write checks (WITH CHECK) still call the function. tests/dialogue/test_read_policy.py compares
what every scope sees with the old policies. Nothing on SQLite.
"""

from alembic import op

from migrations.rls import TENANT_IDS

revision = "0028_dialogue"
down_revision = "0027_overview"
branch_labels = None
depends_on = None

VIEW = "samspill_scope_procurements"
VIEW_SQL = (
    f"CREATE VIEW {VIEW} AS SELECT p.procurement_id FROM procurement_participations p,"
    f" (SELECT {TENANT_IDS} AS tenant_ids) scope"
    " WHERE p.status = 'active' AND p.tenant_id = ANY (scope.tenant_ids)")

OLD_VISIBLE = "samspill_visible_procurement(procurement_id)"
OWN = "supplier_id = samspill_current_supplier()"
REGISTERED = "samspill_supplier_registered(procurement_id)"

# table: the read condition with {visible} where the function was (migration 0004_dialogue)
READ = {
    "dialogue_invitations": "{visible} OR samspill_dialogue_open(procurement_id)",
    "dialogue_registrations": f"{{visible}} OR {OWN}",
    "dialogue_conferences": f"{{visible}} OR {REGISTERED}",
    "dialogue_answers": f"{{visible}} OR {REGISTERED}",
    "dialogue_questions": f"{{visible}} OR {OWN}",
    "dialogue_questionnaires": f"{{visible}} OR ({REGISTERED} AND opened_at IS NOT NULL)",
    "dialogue_questionnaire_questions": f"{{visible}} OR {REGISTERED}",
    "dialogue_responses": f"{{visible}} OR {OWN}",
    "dialogue_response_answers": f"{{visible}} OR {OWN}",
    "dialogue_attachments": f"{{visible}} OR {OWN} OR (supplier_id IS NULL AND {REGISTERED})",
    "dialogue_meeting_rounds": f"{{visible}} OR ({REGISTERED} AND opened_at IS NOT NULL)",
    "dialogue_meeting_slots": f"{{visible}} OR {REGISTERED}",
    "dialogue_meeting_bookings": f"{{visible}} OR {OWN}",
}


def visible(table: str) -> str:
    """The function's condition for a row of `table`, inline."""
    return (f"(current_setting('samspill.scope', true) = 'system'"
            f" OR EXISTS (SELECT 1 FROM {VIEW} v WHERE v.procurement_id = {table}.procurement_id))")


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(VIEW_SQL)
    for table, condition in READ.items():
        op.execute(f"ALTER POLICY tenant_isolation ON {table} USING ({condition.format(visible=visible(table))})")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, condition in READ.items():
        op.execute(f"ALTER POLICY tenant_isolation ON {table} USING ({condition.format(visible=OLD_VISIBLE)})")
    op.execute(f"DROP VIEW IF EXISTS {VIEW}")
