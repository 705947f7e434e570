"""The read policies evaluate the transaction's scope once per statement (migration 0030_db) and
mean what they meant.

PostgreSQL only. Every policy's stored conditions hold the scope's expressions (system scope, the
tenant ids, the supplier) only as uncorrelated scalar subqueries, InitPlans, never as expressions
evaluated per row. And every condition of every policy, evaluated by the owner over rows made up
of the policy's own table type (`jsonb_populate_record`), in every scope the app uses, gives the
same answer (true, false or null) as the per-row condition it replaced; for
`procurement_project_members`, whose read condition 0030 writes inline, as the
`samspill_visible_procurement(procurement_id)` of migration 0002_procurement, and for
`procurements` and `procurement_participations`, which now ask system scope first, as their
conditions before 0030.
"""

from __future__ import annotations

import importlib
import itertools
import json
import re
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from migrations.rls import ONCE_TO_PER_ROW
from tests.conftest import ONLY_POSTGRES_RLS, SCOPE_SETTINGS

pytestmark = ONLY_POSTGRES_RLS

MIGRATION = importlib.import_module("migrations.versions.0030_db")

TENANTS = {name: str(uuid.uuid4()) for name in "AB"}
SUPPLIER = str(uuid.uuid4())
PROCUREMENTS = {name: str(uuid.uuid4()) for name in ("P1", "P2", "P3", "P4")}
# A takes part in P1, B in P2, A was invited to P3; nobody takes part in P4.
PARTICIPATIONS = [("P1", "A", "active"), ("P2", "B", "active"), ("P3", "A", "invited")]
SCOPES = {
    "system": {"mode": "system", "ids": "", "supplier": ""},
    "no settings": None,
    "no tenants": {"mode": "tenant", "ids": "", "supplier": ""},
    "unknown tenant": {"mode": "tenant", "ids": str(uuid.uuid4()), "supplier": ""},
    "tenant A": {"mode": "tenant", "ids": TENANTS["A"], "supplier": ""},
    "tenants A and B": {"mode": "tenant", "ids": f"{TENANTS['A']},{TENANTS['B']}", "supplier": ""},
    "supplier": {"mode": "tenant", "ids": "", "supplier": SUPPLIER},
    "tenant B and supplier": {"mode": "tenant", "ids": TENANTS["B"], "supplier": SUPPLIER},
}
PER_ROW_SCOPE = re.compile(r"current_setting\(|samspill_current_supplier\(\)")
ONCE_SCOPE = re.compile(
    r"\( SELECT \(current_setting\('samspill\.scope'::text, true\) = 'system'::text\)\)"
    r"|\( SELECT \(string_to_array\(NULLIF\(current_setting\('samspill\.tenant_ids'::text, true\), ''::text\),"
    r" ','::text\)\)::uuid\[\] AS string_to_array\)"
    r"|\( SELECT samspill_current_supplier\(\) AS samspill_current_supplier\)")


@pytest.fixture
def owner(migrated):
    engine = create_engine(migrated[0])
    yield engine
    engine.dispose()


def _policies(conn) -> list[tuple[str, str, str | None, str | None]]:
    return conn.execute(text(
        "select tablename, policyname, qual, with_check from pg_policies where schemaname = 'public'"
        " order by tablename, policyname")).all()


def _per_row(condition: str) -> str:
    """The condition as it was before 0030: each scope expression evaluated per row."""
    for once, per_row in ONCE_TO_PER_ROW:
        condition = condition.replace(once, per_row)
    return condition


def test_no_policy_evaluates_the_scope_per_row(app, owner):
    with owner.connect() as conn:
        policies = _policies(conn)
    assert len(policies) > 60
    for table, policy, *conditions in policies:
        for condition in filter(None, conditions):
            assert not PER_ROW_SCOPE.search(ONCE_SCOPE.sub("", condition)), (table, policy, condition)


def _rows(columns: dict[str, str]) -> list[dict]:
    """Made-up rows of a table: every uuid column set to each value the scopes tell apart (and
    to null), then each uuid column alone set to a tenant, the supplier or a procurement; the
    booleans and `visibility` alternate."""
    pool = [*TENANTS.values(), SUPPLIER, *PROCUREMENTS.values(), str(uuid.uuid4()), None]
    uuids = [name for name, kind in columns.items() if kind == "uuid"]
    rows = [{name: value for name in uuids} for value in pool]
    for name, value in itertools.product(uuids, pool[:-1]):
        rows.append({other: str(uuid.uuid4()) for other in uuids} | {name: value})
    for i, row in enumerate(rows):
        row.update({name: i % 2 == 0 for name, kind in columns.items() if kind == "boolean"})
        if "visibility" in columns:
            row["visibility"] = ("all", "private")[i % 3 == 0]
        if "opened_at" in columns and i % 2:
            row["opened_at"] = datetime.now(UTC).isoformat()
    return rows


def _participations(conn) -> None:
    now = datetime.now(UTC)
    conn.execute(text("set local session_replication_role = replica"))  # no foreign keys
    for procurement, tenant, status in PARTICIPATIONS:
        conn.execute(text(
            "insert into procurement_participations (id, procurement_id, tenant_id, role, status,"
            " created_at, updated_at, procurement_created_at)"
            " values (:id, :p, :t, 'participant', :s, :now, :now, :now)"),
            {"id": uuid.uuid4(), "p": PROCUREMENTS[procurement], "t": TENANTS[tenant], "s": status, "now": now})


def test_every_policy_means_what_it_meant_in_every_scope(app, owner):
    checked = set()
    with owner.connect() as conn:
        with conn.begin():
            _participations(conn)
        pairs = []  # (table, what, condition now, condition before 0030)
        for table, policy, qual, check in _policies(conn):
            for what, condition in (("using", qual), ("check", check)):
                if condition is None:
                    continue
                before = _per_row(condition)
                if (table, policy, what) == ("procurement_project_members", "tenant_isolation", "using"):
                    before = MIGRATION.MEMBERS_READ_0002
                if table in MIGRATION.FALLS_BACK_0029:  # system scope asked first
                    before = MIGRATION.FALLS_BACK_0029[table][what == "check"]
                pairs.append((table, f"{policy} {what}", condition, before))
        assert sum(now != before for _, _, now, before in pairs) > 60  # 0030 rewrote them
        columns: dict[str, dict[str, str]] = {}
        for table, name, kind in conn.execute(text(
                "select table_name, column_name, data_type from information_schema.columns"
                " where table_schema = 'public'")).all():
            columns.setdefault(table, {})[name] = kind
        conn.rollback()
        for table, what, now, before in pairs:
            rows = [json.dumps(row) for row in _rows(columns[table])]
            answers = set()
            for scope, settings in SCOPES.items():
                with conn.begin():
                    if settings is not None:
                        conn.execute(text(SCOPE_SETTINGS), settings)
                    got = conn.execute(text(
                        f"select ({now}), ({before}) from unnest(cast(:rows as jsonb[])) as r(j),"
                        f" jsonb_populate_record(null::{table}, r.j) as {table}"), {"rows": rows}).all()
                differ = [(i, a, b) for i, (a, b) in enumerate(got) if a is not b]
                assert not differ, (table, what, scope, differ[:3])
                answers.update(b for _, b in got)
            if len(answers) > 1:
                checked.add((table, what))
    # not vacuous: the rows and scopes tell true from false for almost every condition (the
    # constant ones, `true` and the append-only inserts, cannot)
    assert len(checked) >= len(pairs) - 8, sorted({(t, w) for t, w, _, _ in pairs} - checked)
