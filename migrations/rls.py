"""PostgreSQL row-level security and grants, used by migration revisions.

Policy: a tenant-owned row is visible and writable only when its `tenant_id` is in the
transaction's `samspill.tenant_ids` setting, or the transaction runs in system scope
(`samspill.scope = 'system'`, used by the command line and sign-in resolution). The app role
is neither owner nor superuser, and tables use FORCE ROW LEVEL SECURITY, so the policy holds
for every query the app sends, raw SQL included. Audit tables are INSERT-only for the app.
"""

import re

from sqlalchemy import text

TENANT_IDS = "string_to_array(nullif(current_setting('samspill.tenant_ids', true), ''), ',')::uuid[]"
TENANT_POLICY = (
    "current_setting('samspill.scope', true) = 'system' OR {column} = ANY (" + TENANT_IDS + ")"
)

APPEND_ONLY_TABLES = ("audit_entries",)

SYSTEM = "current_setting('samspill.scope', true) = 'system'"
# The scope's expressions as PostgreSQL prints a policy back (`pg_policies`, PostgreSQL 15):
# evaluated per row as migrations up to 0029 wrote them, and once per statement (an InitPlan)
# as `evaluate_scope_once` writes them, each with the text that creates it.
_TENANT_IDS_PRINTED = (
    "(string_to_array(NULLIF(current_setting('samspill.tenant_ids'::text, true), ''::text), ','::text))::uuid[]")
_SYSTEM_PRINTED = "(current_setting('samspill.scope'::text, true) = 'system'::text)"
PER_ROW_TO_ONCE = (
    (f"ANY ({_TENANT_IDS_PRINTED})", f"ANY ((SELECT {TENANT_IDS})::uuid[])"),
    (_SYSTEM_PRINTED, f"(SELECT {SYSTEM})"),
    ("samspill_current_supplier()", "(SELECT samspill_current_supplier())"),
)
ONCE_TO_PER_ROW = (
    ("( SELECT samspill_current_supplier() AS samspill_current_supplier)", "samspill_current_supplier()"),
    (f"( SELECT {_SYSTEM_PRINTED})", f"({SYSTEM})"),
    (f"ANY (( SELECT {_TENANT_IDS_PRINTED} AS string_to_array)::uuid[])", f"ANY ({TENANT_IDS})"),
)


def enable_tenant_rls(op, table: str, column: str = "tenant_id") -> None:
    """Turn on forced RLS for a tenant-owned table (no-op on SQLite)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    condition = TENANT_POLICY.format(column=column)
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({condition}) WITH CHECK ({condition})")


def enable_custom_rls(op, table: str, condition: str) -> None:
    """Forced RLS with a policy of the caller's own (e.g. procurements visible to participants)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"DROP POLICY IF EXISTS tenant_isolation ON {table}")
    op.execute(f"CREATE POLICY tenant_isolation ON {table} USING ({condition}) WITH CHECK ({condition})")


def enable_append_only_rls(op, table: str, read_condition: str) -> None:
    """Forced RLS for an append-only table: rows are read under `read_condition`, and any row
    may be appended (UPDATE/DELETE are revoked from the app role in `grant_app_role`)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    for policy in ("tenant_isolation", "append_only_read", "append_only_insert"):
        op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
    op.execute(f"CREATE POLICY append_only_read ON {table} FOR SELECT USING ({read_condition})")
    op.execute(f"CREATE POLICY append_only_insert ON {table} FOR INSERT WITH CHECK (true)")


def disable_rls(op, table: str) -> None:
    """Undo forced RLS and every policy on `table` (downgrades)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for policy in ("tenant_isolation", "append_only_read", "append_only_insert"):
        op.execute(f"DROP POLICY IF EXISTS {policy} ON {table}")
    op.execute(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")


def _replaced(condition: str | None, replacements) -> str | None:
    if condition is None:
        return None
    for old, new in replacements:
        condition = condition.replace(old, new)
    return condition


def scope_once(condition: str) -> str:
    """`condition` (as PostgreSQL prints it) with the scope's expressions evaluated once."""
    return _replaced(condition, PER_ROW_TO_ONCE)


def evaluate_scope_once(connection, undo: bool = False) -> list[tuple[str, str]]:
    """Rewrite every policy of the public schema so that the scope's expressions (system scope,
    the tenant ids, the supplier) are uncorrelated scalar subqueries, InitPlans evaluated once
    per statement, instead of STABLE expressions evaluated per row (migration 0030_db); with
    `undo`, back. Every other part of each condition is kept as PostgreSQL stored it. Returns the
    (table, policy) pairs rewritten."""
    replacements = ONCE_TO_PER_ROW if undo else PER_ROW_TO_ONCE
    policies = connection.execute(text(
        "select tablename, policyname, qual, with_check from pg_policies where schemaname = 'public'"
        " order by tablename, policyname")).all()
    rewritten = []
    for table, policy, qual, check in policies:
        new_qual, new_check = _replaced(qual, replacements), _replaced(check, replacements)
        if (new_qual, new_check) == (qual, check):
            continue
        clauses = (f" USING ({new_qual})" if new_qual is not None else "") + (
            f" WITH CHECK ({new_check})" if new_check is not None else "")
        connection.exec_driver_sql(f'ALTER POLICY "{policy}" ON "{table}"{clauses}')
        rewritten.append((table, policy))
    return rewritten


def grant_app_role(connection, role: str) -> None:
    """Give the app role DML on every table (INSERT/SELECT only on append-only tables)."""
    exists = connection.execute(text("select 1 from pg_roles where rolname = :r"), {"r": role}).first()
    if not exists:
        return
    quoted = '"' + role.replace('"', '""') + '"'
    connection.execute(text(f"GRANT USAGE ON SCHEMA public TO {quoted}"))
    connection.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}"))
    connection.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}"))
    for table in APPEND_ONLY_TABLES:
        connection.execute(text(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {quoted}"))
    connection.execute(text(f"REVOKE UPDATE, DELETE, TRUNCATE ON alembic_version FROM {quoted}"))


# The policies' helper functions that are SECURITY DEFINER SQL functions of one `SELECT <expression>`
# (migrations 0002, 0004, 0009, 0017, 0019, 0024, 0028), rewritten as PL/pgSQL by 0031_functions.
CHECK_FUNCTIONS = ("samspill_visible_procurement", "samspill_visible_template", "samspill_owns_template",
                   "samspill_dialogue_open", "samspill_supplier_registered", "samspill_competition_announced")
_SQL_BODY = re.compile(r"\A(?P<head>.*?) LANGUAGE sql\n(?P<attributes>.*?)AS \$function\$\n\s*SELECT (?P<expression>.*?)\s*"
                       r"\$function\$\s*\Z", re.S)
_PLPGSQL_BODY = re.compile(r"\A(?P<head>.*?) LANGUAGE plpgsql\n(?P<attributes>.*?)AS \$function\$\nBEGIN\n  RETURN "
                           r"(?P<expression>.*?);\nEND\n\$function\$\s*\Z", re.S)


def as_plpgsql(definition: str) -> str:
    """A SQL function's definition (`pg_get_functiondef`) of one `SELECT <expression>` as the
    same function in PL/pgSQL, `RETURN <expression>`: PostgreSQL never inlines a SECURITY
    DEFINER SQL function, and sets its body up (parse and plan) again in every statement that
    calls it, while PL/pgSQL keeps the plan for the session."""
    match = _SQL_BODY.match(definition)
    if match is None:
        raise ValueError(f"not a SQL function of one SELECT: {definition}")
    return (f"{match['head']} LANGUAGE plpgsql\n{match['attributes']}AS $function$\nBEGIN\n"
            f"  RETURN {match['expression']};\nEND\n$function$\n")


def as_sql(definition: str) -> str:
    """The inverse of `as_plpgsql`."""
    match = _PLPGSQL_BODY.match(definition)
    if match is None:
        raise ValueError(f"not a PL/pgSQL function of one RETURN: {definition}")
    return (f"{match['head']} LANGUAGE sql\n{match['attributes']}AS $function$\n  SELECT {match['expression']}\n"
            f"$function$\n")


def function_definition(connection, name: str) -> str:
    return connection.execute(text("select pg_get_functiondef(to_regproc(:name))"), {"name": name}).scalar_one()
