"""The dialogue tables' read policies with the visibility condition inline (migration
0028_dialogue) let every scope see exactly the rows the policies of migration 0004_dialogue
(with `samspill_visible_procurement`) let through.

PostgreSQL only: rows of every dialogue table, for procurements where the scope's tenants take
part actively, were invited, declined or left, or take no part, each row with one supplier,
another one or none (where the column allows it) and opened or not (where the table has
`opened_at`), are read as the app role `samspill_app` in every scope the app uses (system, no
settings, no tenants, one tenant, several, an unknown tenant, registered and unregistered
suppliers, a tenant with a supplier set) and compared, row by row, with the rows the 0004
condition itself lets through (evaluated by the owner, who is not under row-level security, in
the same settings). The rows are written with the owner's foreign keys switched off
(`session_replication_role = replica`): the policies read only the procurement, the supplier,
`opened_at` and the registrations and participations rows themselves.
"""

from __future__ import annotations

import importlib
import itertools
import uuid
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, text

from core.db import db
from core.procurement.models import Participation, Procurement
from tests.conftest import APP_ROLE, ONLY_POSTGRES_RLS, SCOPE_SETTINGS

pytestmark = ONLY_POSTGRES_RLS

OLD = importlib.import_module("migrations.versions.0004_dialogue").POLICIES
NEW = importlib.import_module("migrations.versions.0028_dialogue_read_policies")
TABLES = sorted(NEW.READ)

TENANTS = {name: uuid.uuid4() for name in "ABC"}
SUPPLIERS = {name: uuid.uuid4() for name in ("S1", "S2", "S3")}
PROCUREMENTS = {name: uuid.uuid4() for name in ("P1", "P2", "P3", "P4", "P5")}
# (procurement, tenant, status): A leads P1 and takes part in P2; B takes part in P2, was
# invited to P3, declined P4 and left P5; C takes part in nothing.
PARTICIPATIONS = [("P1", "A", "active"), ("P2", "A", "active"), ("P2", "B", "active"), ("P3", "B", "invited"),
                  ("P4", "B", "declined"), ("P5", "B", "left"), ("P3", "A", "declined")]
REGISTRATIONS = [("P1", "S1"), ("P3", "S1"), ("P5", "S1"), ("P2", "S2")]  # S3 is registered nowhere
DIALOGUE_OPEN = {"P1", "P4"}


@pytest.fixture
def owner(migrated):
    engine = create_engine(migrated[0])
    yield engine
    engine.dispose()


@pytest.fixture
def app_role(migrated):
    engine = create_engine(migrated[1])
    yield engine
    engine.dispose()


def _filler(column, n: int):
    """A value for a NOT NULL column the policies do not read (unique per row)."""
    if getattr(column.type, "enums", None):
        return column.type.enums[0]
    try:
        python = getattr(column.type, "impl_instance", column.type).python_type
    except NotImplementedError:
        python = str
    if python is uuid.UUID:
        return uuid.uuid4()
    if python is bool:
        return False
    if python is int:
        return n
    if python is datetime:
        return datetime.now(UTC)
    if python is date:
        return date.today()
    if python in (dict, list):
        return {} if python is dict else []
    return f"x{n}"[: getattr(column.type, "length", None) or 50]


def _rows(conn) -> dict[str, dict[uuid.UUID, tuple]]:
    """Every combination of procurement, supplier and opened for each table; returns the ids."""
    counter = itertools.count(1)
    made: dict[str, dict[uuid.UUID, tuple]] = {}
    for name in TABLES:
        table = db.metadata.tables[name]
        suppliers = [None]
        if "supplier_id" in table.c:
            suppliers = list(SUPPLIERS.values()) + ([None] if table.c.supplier_id.nullable else [])
        opened = [None, datetime.now(UTC)] if "opened_at" in table.c else [None]
        if name == "dialogue_registrations":  # its rows are what "registered" means: keep them apart
            combos = [(PROCUREMENTS[p], SUPPLIERS[s], None) for p, s in REGISTRATIONS]
        else:
            combos = list(itertools.product(PROCUREMENTS.values(), suppliers, opened))
        made[name] = {}
        for procurement_id, supplier_id, opened_at in combos:
            n = next(counter)
            values = {c.name: _filler(c, n) for c in table.c
                      if not c.nullable and c.server_default is None}
            values.update(id=uuid.uuid4(), procurement_id=procurement_id)
            if "supplier_id" in table.c:
                values["supplier_id"] = supplier_id
            if "opened_at" in table.c:
                values["opened_at"] = opened_at
            conn.execute(table.insert().values(**values))
            made[name][values["id"]] = (procurement_id, supplier_id, opened_at)
    return made


def _data(owner) -> dict[str, dict[uuid.UUID, tuple]]:
    with owner.begin() as conn:
        conn.execute(text("set local session_replication_role = replica"))  # no foreign keys
        for name, pid in PROCUREMENTS.items():
            values = {c.name: _filler(c, i) for i, c in enumerate(Procurement.__table__.c)
                      if not c.nullable and c.server_default is None}
            values.update(id=pid, dialogue_open=name in DIALOGUE_OPEN,
                          lead_tenant_id=TENANTS["A"] if name == "P1" else TENANTS["C"])
            conn.execute(Procurement.__table__.insert().values(**values))
        for i, (p, t, status) in enumerate(PARTICIPATIONS):
            values = {c.name: _filler(c, i) for c in Participation.__table__.c
                      if not c.nullable and c.server_default is None}
            values.update(id=uuid.uuid4(), procurement_id=PROCUREMENTS[p], tenant_id=TENANTS[t], status=status)
            conn.execute(Participation.__table__.insert().values(**values))
        return _rows(conn)


def _scopes() -> dict[str, dict | None]:
    ids = lambda *names: ",".join(str(TENANTS[n]) for n in names)  # noqa: E731
    return {
        "system": {"mode": "system", "ids": "", "supplier": ""},
        "no settings": None,
        "no tenants": {"mode": "tenant", "ids": "", "supplier": ""},
        "unknown tenant": {"mode": "tenant", "ids": str(uuid.uuid4()), "supplier": ""},
        **{f"tenants {names}": {"mode": "tenant", "ids": ids(*names), "supplier": ""}
           for names in ("A", "B", "C", "AB", "ABC")},
        **{f"supplier {s}": {"mode": "tenant", "ids": "", "supplier": str(SUPPLIERS[s])} for s in SUPPLIERS},
        "supplier unknown": {"mode": "tenant", "ids": "", "supplier": str(uuid.uuid4())},
        "tenant B and supplier S1": {"mode": "tenant", "ids": ids("B"), "supplier": str(SUPPLIERS["S1"])},
    }


def test_every_scope_sees_the_dialogue_rows_the_old_policies_allowed(app, owner, app_role):
    made = _data(owner)
    with owner.connect() as conn:
        policies = {t: (q, c) for t, q, c in conn.execute(text(
            "select tablename, qual, with_check from pg_policies where policyname = 'tenant_isolation'"
            " and tablename = any(:t)"), {"t": TABLES}).all()}
    assert set(policies) == set(TABLES)
    for table, (qual, check) in policies.items():
        assert "samspill_visible_procurement" not in qual, table  # the new read condition is in force
        assert "samspill_visible_procurement" in check, table      # the write check is the old one

    differs = set()
    with owner.connect() as reference, app_role.connect() as conn:
        assert conn.execute(text("select current_user")).scalar() == APP_ROLE
        conn.rollback()
        for scope, settings in _scopes().items():
            for table in TABLES:
                using = OLD[table][0]
                with reference.begin(), conn.begin():
                    if settings is not None:
                        reference.execute(text(SCOPE_SETTINGS), settings)
                        conn.execute(text(SCOPE_SETTINGS), settings)
                    allowed = set(reference.execute(text(f"select id from {table} where {using}")).scalars())
                    seen = set(conn.execute(text(f"select id from {table}")).scalars())
                    joined = set(conn.execute(text(  # the same rows when the policy runs inside a join
                        f"select t.id from {table} t join unnest(cast(:p as uuid[])) as p(id)"
                        " on p.id = t.procurement_id"), {"p": list(PROCUREMENTS.values())}).scalars())
                assert seen == allowed == joined, (scope, table, {made[table][i] for i in seen ^ allowed})
                differs.add((table, frozenset(seen)))
    for table in TABLES:  # each table's rows are seen differently by the scopes: not vacuous
        assert len({seen for t, seen in differs if t == table}) >= 3, table


def test_every_supplier_and_tenant_condition_separates_rows(app, owner):
    """The data tell each part of the 0004 conditions apart: dropping the supplier's own-rows
    rule, the registration rule, `opened_at` or the visibility from a condition changes what
    some scope sees (so the comparison above fails when the new policy drops it)."""
    _data(owner)
    weaker = {"OR supplier_id = samspill_current_supplier()": "",
              "OR samspill_supplier_registered(procurement_id)": "",
              "AND opened_at IS NOT NULL": "",
              "OR samspill_dialogue_open(procurement_id)": "",
              "OR (supplier_id IS NULL AND samspill_supplier_registered(procurement_id))": "",
              "samspill_visible_procurement(procurement_id) OR": ""}
    checked = set()
    with owner.connect() as reference:
        for table in TABLES:
            using = OLD[table][0]
            for part, replacement in weaker.items():
                if part not in using:
                    continue
                changed = using.replace(part, replacement)
                for settings in filter(None, _scopes().values()):
                    with reference.begin():
                        reference.execute(text(SCOPE_SETTINGS), settings)
                        before = reference.execute(text(f"select count(*) from {table} where {using}")).scalar()
                        after = reference.execute(text(f"select count(*) from {table} where {changed}")).scalar()
                    if before != after:
                        checked.add((table, part))
                        break
                else:
                    pytest.fail(f"{table}: no scope tells '{part}' apart")
    assert len(checked) >= len(TABLES)


def test_the_scope_view_cannot_be_written_through(app, app_role):
    """The app role reads the view the policies use but cannot write participations through it
    (the view runs as its owner, without the participations' policy)."""
    with app_role.connect() as conn:
        for statement in (f"delete from {NEW.VIEW}", f"update {NEW.VIEW} set procurement_id = procurement_id",
                          f"insert into {NEW.VIEW} (procurement_id) values (gen_random_uuid())"):
            with pytest.raises(Exception, match="cannot (delete from|update|insert into) view"), conn.begin():
                conn.execute(text(statement))
