"""PostgreSQL row-level security: the database itself keeps tenants apart.

Raw SQL as the app role `samspill_app` (not owner, not superuser, no BYPASSRLS): with
`samspill.tenant_ids` set for one transaction it sees that tenant's rows only, with nothing set
it sees none, it cannot write into another tenant, it cannot change or delete audit entries,
and the transaction-local setting never leaks to the next transaction on a pooled connection.
"""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from core import isolation
from core.db import TenantOwned, db
from tenants.models import Membership
from tests.conftest import APP_ROLE, ONLY_POSTGRES_RLS

pytestmark = ONLY_POSTGRES_RLS

SET_TENANTS = "select set_config('samspill.tenant_ids', :ids, true)"
SET_SYSTEM = "select set_config('samspill.scope', 'system', true)"


@pytest.fixture
def app_engine(migrated):
    """The app role on one pooled connection (so reuse of that connection is observable)."""
    engine = create_engine(migrated[1], pool_size=1, max_overflow=0)
    with engine.connect() as conn:
        assert conn.execute(text("select current_user")).scalar() == APP_ROLE
    yield engine
    engine.dispose()


@pytest.fixture
def owner_engine(migrated):
    engine = create_engine(migrated[0])
    yield engine
    engine.dispose()


@pytest.fixture
def world(app, make):
    a, b = make.tenant("tenant-a"), make.tenant("tenant-b")
    make.user("a1@example.no", tenant=a, role="admin")
    make.user("a2@example.no", tenant=a, role="member")
    make.user("b1@example.no", tenant=b, role="admin")
    return {"A": str(a.id), "B": str(b.id)}


def membership_tenants(conn) -> list[str]:
    return [str(row["tenant_id"]) for row in conn.execute(text("SELECT * FROM memberships")).mappings()]


def test_the_app_role_is_neither_owner_nor_superuser(app_engine, owner_engine):
    with app_engine.connect() as conn:
        role = conn.execute(text("select rolsuper, rolbypassrls from pg_roles where rolname = current_user")).one()
        assert role == (False, False)
    with owner_engine.connect() as conn:
        owners = set(conn.execute(text("select tableowner from pg_tables where schemaname = 'public'")).scalars())
    assert APP_ROLE not in owners


def test_every_tenant_owned_table_has_forced_rls(owner_engine):
    tables = sorted({m.local_table.name for m in db.Model.registry.mappers if issubclass(m.class_, TenantOwned)})
    assert "memberships" in tables
    with owner_engine.connect() as conn:
        rows = {r.relname: r for r in conn.execute(text(
            "select c.relname, c.relrowsecurity, c.relforcerowsecurity,"
            " (select count(*) from pg_policy p where p.polrelid = c.oid) as policies"
            " from pg_class c where c.relname = any(:names)"), {"names": tables})}
    missing = [t for t in tables if t not in rows or not (rows[t].relrowsecurity and rows[t].relforcerowsecurity
                                                          and rows[t].policies)]
    assert not missing, f"tenant-owned tables without forced RLS (use migrations.rls.enable_tenant_rls): {missing}"


def test_a_transaction_sees_only_its_tenants_rows(app_engine, world):
    with app_engine.begin() as conn:
        conn.execute(text(SET_TENANTS), {"ids": world["A"]})
        assert sorted(membership_tenants(conn)) == [world["A"], world["A"]]
        assert conn.execute(text("select count(*) from tenant_sign_in where tenant_id = :b"),
                            {"b": world["B"]}).scalar() == 0
    with app_engine.begin() as conn:
        conn.execute(text(SET_TENANTS), {"ids": f"{world['A']},{world['B']}"})
        assert len(membership_tenants(conn)) == 3


def test_without_a_setting_nothing_is_visible(app_engine, world):
    with app_engine.begin() as conn:
        assert membership_tenants(conn) == []
        assert conn.execute(text("select count(*) from invitations")).scalar() == 0


def test_writing_into_another_tenant_is_refused(app_engine, world):
    with app_engine.connect() as conn, conn.begin():
        conn.execute(text(SET_TENANTS), {"ids": world["A"]})
        user_id = conn.execute(text("select user_id from memberships limit 1")).scalar()
        with pytest.raises(DBAPIError, match="row-level security"):
            conn.execute(text(
                "insert into memberships (id, tenant_id, user_id, role, created_at, updated_at)"
                " values (gen_random_uuid(), :b, :u, 'viewer', now(), now())"), {"b": world["B"], "u": user_id})
    with app_engine.connect() as conn, conn.begin():
        conn.execute(text(SET_TENANTS), {"ids": world["A"]})
        with pytest.raises(DBAPIError, match="row-level security"):
            conn.execute(text("update memberships set tenant_id = :b"), {"b": world["B"]})
    with app_engine.begin() as conn:
        conn.execute(text(SET_TENANTS), {"ids": world["A"]})
        assert conn.execute(text("update memberships set role = 'viewer'")).rowcount == 2
        assert conn.execute(text("delete from memberships where tenant_id = :b"), {"b": world["B"]}).rowcount == 0
    with app_engine.begin() as conn:
        conn.execute(text(SET_TENANTS), {"ids": world["B"]})
        assert [r.role for r in conn.execute(text("select role from memberships"))] == ["admin"]


def test_the_app_role_cannot_change_or_delete_audit_entries(app_engine, world):
    for statement in ("update audit_entries set action = 'forged'", "delete from audit_entries",
                      "truncate audit_entries"):
        with app_engine.connect() as conn, conn.begin():
            conn.execute(text(SET_SYSTEM))
            assert conn.execute(text("select count(*) from audit_entries")).scalar() > 0
            with pytest.raises(ProgrammingError, match="permission denied"):
                conn.execute(text(statement))


def test_the_setting_does_not_leak_to_the_next_transaction_on_a_pooled_connection(app_engine, world):
    with app_engine.connect() as conn:
        with conn.begin():
            first_pid = conn.execute(text("select pg_backend_pid()")).scalar()
            conn.execute(text(SET_TENANTS), {"ids": world["A"]})
            conn.execute(text(SET_SYSTEM))
            assert len(membership_tenants(conn)) == 3
        with conn.begin():
            assert conn.execute(text("select pg_backend_pid()")).scalar() == first_pid
            setting = "select coalesce(current_setting('samspill.tenant_ids', true), '')"
            assert conn.execute(text(setting)).scalar() == ""
            assert membership_tenants(conn) == []
    with app_engine.connect() as conn, conn.begin():  # the pool hands out the same connection
        assert conn.execute(text("select pg_backend_pid()")).scalar() == first_pid
        assert membership_tenants(conn) == []


def test_rls_holds_when_the_orm_filter_is_bypassed(app, world):
    """The app's own session inside tenant A, with the ORM criteria switched off."""
    import uuid

    with app.test_request_context():
        isolation.set_scope({uuid.UUID(world["A"])})
        rows = db.session.execute(select(Membership).execution_options(include_all_tenants=True)).scalars().all()
        assert {str(m.tenant_id) for m in rows} == {world["A"]}
        db.session.rollback()


def test_procurements_are_visible_to_participant_tenants_only(app, app_engine, world):
    import uuid

    from flask import g

    from core.auth import principal_for
    from core.identity import service as identity
    from core.procurement import service as procurements
    from tenants.models import Tenant

    with app.test_request_context():
        g.principal = principal_for(identity.find_user_by_email("a1@example.no"))
        isolation.set_scope({uuid.UUID(world["A"])}, uuid.UUID(world["A"]))
        procurements.create_procurement(db.session.get(Tenant, uuid.UUID(world["A"])), title="A's own")
        db.session.commit()
    for tenant, expected in (("A", 1), ("B", 0)):
        with app_engine.begin() as conn:
            conn.execute(text(SET_TENANTS), {"ids": world[tenant]})
            for table in ("procurements", "procurement_participations", "procurement_project_members"):
                assert conn.execute(text(f"select count(*) from {table}")).scalar() == expected, (tenant, table)
