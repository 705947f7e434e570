"""The read policies evaluate the transaction's scope once per statement, not once per row

Revision ID: 0030_db
Revises: 0029_shares
Create Date: 2026-12-06 23:40:00

Every policy that names the transaction's tenants asked
`string_to_array(nullif(current_setting('samspill.tenant_ids', true), ''), ',')::uuid[]` and most
asked `current_setting('samspill.scope', true) = 'system'`; both are STABLE expressions, which
PostgreSQL evaluates again for every row a policy checks (the setting looked up, the text split
and every element parsed as a uuid). Written as uncorrelated scalar subqueries,
`(SELECT <scope> = 'system')` and `ANY ((SELECT <tenant ids>)::uuid[])`, each is an InitPlan,
computed at most once per statement (and only when a row reaches it), and the rows compare
against its parameter. `samspill_current_supplier()` in a policy is wrapped the same way. The
conditions mean what they meant: the same expressions over the same settings, which do not change
within a statement. The cast after the subquery is needed: `ANY ((SELECT ...))` parses as
`ANY (subquery)`, which compares a uuid with a uuid[].

The rewrite works on the policies' stored text (`pg_policies`, as PostgreSQL prints it back):
each policy of the public schema whose condition holds one of the old expressions gets them
replaced, every other part of its text kept. The downgrade replaces them back.

`procurement_project_members`' read condition was `samspill_visible_procurement(procurement_id)`
alone: a SECURITY DEFINER SQL function, never inlined, whose body PostgreSQL sets up once per
statement that reads the table (about 0.15-0.2 ms on the procurement page, for one row). It is
now the function's condition inline, as migration 0028_dialogue wrote the dialogue tables': system
scope, or a row of `samspill_scope_procurements` (the scope's active participations) for the row's
procurement. The write check keeps the function.

`procurements` and `procurement_participations` fell back on `samspill_visible_procurement`,
which is true in system scope: in a system-scope read (the dashboard's invitations) the function
was set up and called for every row. Their conditions now ask system scope first, as every other
policy does; the meaning is the same.

`samspill_templates_shared_with_scope()` (migration 0029_shares) read `template_shares` with the
tenants' expression evaluated for every share row (a sequential scan of a small table): the same
query with the tenants as an InitPlan. Nothing on SQLite.
"""

from alembic import op

from migrations.rls import SYSTEM, TENANT_IDS, evaluate_scope_once, scope_once

revision = "0030_db"
down_revision = "0029_shares"
branch_labels = None
depends_on = None

SHARED_FUNCTION = """
CREATE OR REPLACE FUNCTION samspill_templates_shared_with_scope() RETURNS uuid[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
  RETURN (SELECT coalesce(array_agg(template_id), '{{}}') FROM template_shares
          WHERE tenant_id = ANY ({tenant_ids}));
END
$$
"""

# The project members' read condition: `samspill_visible_procurement(procurement_id)` (migration
# 0002_procurement) written inline as migration 0028_dialogue wrote the dialogue tables'. The
# write check keeps the function.
MEMBERS_READ = (
    f"(SELECT {SYSTEM}) OR EXISTS (SELECT 1 FROM samspill_scope_procurements v"
    " WHERE v.procurement_id = procurement_project_members.procurement_id)")
MEMBERS_READ_0002 = "samspill_visible_procurement(procurement_id)"

# The procurements' and participations' conditions before 0030 (as PostgreSQL printed them):
# table -> (USING, WITH CHECK). They fall back on `samspill_visible_procurement`, which is true in
# system scope; system scope asked first, as every other policy does, means the same and spares
# the function's set-up and its call per row in the app's system-scope reads (the dashboard's
# invitations).
_IDS = "(string_to_array(NULLIF(current_setting('samspill.tenant_ids'::text, true), ''::text), ','::text))::uuid[]"
FALLS_BACK_0029 = {
    "procurements": (
        f"((lead_tenant_id = ANY ({_IDS})) OR dialogue_open OR samspill_visible_procurement(id))",
        f"((lead_tenant_id = ANY ({_IDS})) OR samspill_visible_procurement(id))"),
    "procurement_participations": (
        f"((tenant_id = ANY ({_IDS})) OR samspill_visible_procurement(procurement_id))",
        f"((tenant_id = ANY ({_IDS})) OR samspill_visible_procurement(procurement_id))"),
}


def system_first(condition: str) -> str:
    """A 0029 condition of `FALLS_BACK_0029` with system scope asked first, the scope once."""
    return f"(SELECT {SYSTEM}) OR {scope_once(condition)}"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    evaluate_scope_once(op.get_bind())
    op.execute(f"ALTER POLICY tenant_isolation ON procurement_project_members USING ({MEMBERS_READ})")
    for table, (using, check) in FALLS_BACK_0029.items():
        op.execute(f"ALTER POLICY tenant_isolation ON {table}"
                   f" USING ({system_first(using)}) WITH CHECK ({system_first(check)})")
    op.execute(SHARED_FUNCTION.format(tenant_ids=f"(SELECT {TENANT_IDS})::uuid[]"))


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(SHARED_FUNCTION.format(tenant_ids=TENANT_IDS))
    op.execute(f"ALTER POLICY tenant_isolation ON procurement_project_members USING ({MEMBERS_READ_0002})")
    for table, (using, check) in FALLS_BACK_0029.items():
        op.execute(f"ALTER POLICY tenant_isolation ON {table} USING ({using}) WITH CHECK ({check})")
    evaluate_scope_once(op.get_bind(), undo=True)
