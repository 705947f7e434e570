"""The ORM half of tenant isolation (core.isolation), on SQLite and PostgreSQL.

`with_loader_criteria` has known gaps; each is tested here: relationship loads (lazy,
selectin, joined), `any()`/`has()`, Core statements and raw SQL through the session, ORM bulk
UPDATE/DELETE/INSERT, and the identity of a row's tenant at flush. On PostgreSQL RLS would
hide most leaks too, so the bulk tests also check the SQL the ORM sent carries the filter.
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager

import pytest
from sqlalchemy import bindparam, delete, event, func, insert, select, text, update
from sqlalchemy.orm import DeclarativeBase, Session, joinedload, relationship, selectinload

from core import isolation
from core.db import db, utcnow
from core.identity.models import User
from core.isolation import IsolationViolation
from tenants.models import Membership, TenantRole
from tests.conftest import cursor_listener


class ProbeBase(DeclarativeBase):
    """A separate registry: test-only views of existing tables (no new tables)."""


class PersonProbe(ProbeBase):
    """People with a relationship *to* a tenant-owned model, which core has none of yet."""

    __table__ = User.__table__
    memberships = relationship(Membership, primaryjoin=User.__table__.c.id == Membership.user_id,
                               foreign_keys=[Membership.user_id], viewonly=True)
    first_membership = relationship(Membership, primaryjoin=User.__table__.c.id == Membership.user_id,
                                    foreign_keys=[Membership.user_id], viewonly=True, uselist=False)


@pytest.fixture
def world(app, make):
    """Tenant A and B; P is member of A and admin of B; Q is only in B."""
    a, b = make.tenant("tenant-a"), make.tenant("tenant-b")
    p = make.user("p@example.no", tenant=a, role="member")
    make.user("p@example.no", tenant=b, role="admin")
    q = make.user("q@example.no", tenant=b, role="admin")
    return {"A": a.id, "B": b.id, "P": p.id, "Q": q.id}


@contextmanager
def in_tenant(app, tenant_id):
    """A request acting inside one tenant, as a page under /t/<slug>/ does."""
    with app.test_request_context():
        isolation.set_scope({tenant_id}, stamp_tenant_id=tenant_id)
        yield
        db.session.rollback()


@contextmanager
def sql_log(app):
    statements: list[str] = []

    def listener(conn, cursor, statement, params, context, executemany):
        statements.append(statement.lower())

    with cursor_listener(app, listener):
        yield statements


def tenants_of(rows) -> set:
    return {row.tenant_id for row in rows}


def test_select_and_get_see_only_the_scope(app, world):
    with in_tenant(app, world["A"]):
        assert tenants_of(db.session.execute(select(Membership)).scalars()) == {world["A"]}
        assert db.session.execute(select(func.count()).select_from(Membership)).scalar() == 1
        b_row = db.session.execute(select(Membership.id).execution_options(include_all_tenants=True)
                                   .where(Membership.user_id == world["Q"])).scalar()
    with in_tenant(app, world["A"]):
        if b_row is not None:  # SQLite (PostgreSQL's RLS already hid it above)
            assert db.session.get(Membership, b_row) is None
    with app.test_request_context():
        isolation.begin_request_scope()  # anonymous: sees no tenant-owned row
        assert db.session.execute(select(Membership)).scalars().all() == []


def test_relationship_loads_are_filtered(app, world):
    with in_tenant(app, world["A"]):
        person = db.session.get(PersonProbe, world["P"])
        assert tenants_of(person.memberships) == {world["A"]}  # lazy load
        assert person.first_membership.tenant_id == world["A"]
        db.session.expunge_all()
        for option in (selectinload, joinedload):
            people = db.session.execute(
                select(PersonProbe).options(option(PersonProbe.memberships))).unique().scalars().all()
            by_id = {x.id: x for x in people}
            assert tenants_of(by_id[world["P"]].memberships) == {world["A"]}
            assert by_id[world["Q"]].memberships == []
            db.session.expunge_all()


def test_any_and_has_are_filtered(app, world):
    with in_tenant(app, world["A"]):
        with_members = db.session.execute(
            select(PersonProbe.email).where(PersonProbe.memberships.any())).scalars().all()
        assert with_members == ["p@example.no"]
        admins_anywhere = db.session.execute(select(PersonProbe.email).where(
            PersonProbe.memberships.any(Membership.role == TenantRole.admin))).scalars().all()
        assert admins_anywhere == []  # P and Q are admins only in B
        in_b = db.session.execute(select(PersonProbe.email).where(
            PersonProbe.first_membership.has(Membership.tenant_id == world["B"]))).scalars().all()
        assert in_b == []


def test_orm_bulk_update_and_delete_touch_only_the_scope(app, world):
    with sql_log(app) as log, in_tenant(app, world["A"]):
        changed = db.session.execute(update(Membership).values(role=TenantRole.viewer))
        assert changed.rowcount == 1
        removed = db.session.execute(delete(Membership).where(Membership.role == TenantRole.admin))
        assert removed.rowcount == 0
        db.session.commit()
    bulk = [s for s in log if s.startswith(("update memberships", "delete from memberships"))]
    assert len(bulk) == 2 and all("tenant_id in" in s for s in bulk), bulk
    with app.app_context():
        roles = dict(db.session.execute(select(Membership.tenant_id, Membership.role)
                                        .where(Membership.user_id == world["P"])).all())
        assert roles == {world["A"]: TenantRole.viewer, world["B"]: TenantRole.admin}


@pytest.mark.parametrize("statement", [
    lambda: select(Membership.__table__),
    lambda: select(func.count()).select_from(Membership.__table__),
    lambda: update(Membership.__table__).values(role="viewer"),
    lambda: delete(Membership.__table__),
    lambda: text("SELECT * FROM memberships"),
    lambda: text("update invitations set role = 'admin'"),
], ids=["core-select", "core-count", "core-update", "core-delete", "raw-select", "raw-update"])
def test_core_statements_on_tenant_tables_are_refused_in_a_tenant_scope(app, world, statement):
    with in_tenant(app, world["A"]), pytest.raises(IsolationViolation):
        db.session.execute(statement())
    with app.app_context():  # system scope (command line): allowed, and sees everything
        if isinstance(statement(), type(select(1))):
            assert db.session.execute(statement()).all()


def test_a_kept_core_statement_is_refused_every_time_and_a_harmless_one_runs_every_time(app, world):
    """What a statement touches is remembered per statement object (hot paths keep theirs):
    the same object is refused again, and one on other tables runs again."""
    refused = update(Membership.__table__).values(role="viewer")
    harmless = select(User.__table__.c.email).where(User.__table__.c.id == bindparam("id"))
    for _ in range(3):
        with in_tenant(app, world["A"]):
            with pytest.raises(IsolationViolation):
                db.session.execute(refused)
            db.session.rollback()
            assert db.session.execute(harmless, {"id": world["P"]}).all()


def test_raw_sql_on_other_tables_still_runs(app, world):
    with in_tenant(app, world["A"]):
        assert db.session.execute(text("select 1")).scalar() == 1
        assert db.session.execute(select(User.__table__.c.email)).all()


def test_bulk_insert_needs_a_tenant_inside_the_scope(app, world):
    def row(tenant_id, user):
        return {"id": uuid.uuid4(), "tenant_id": tenant_id, "user_id": world[user],
                "role": TenantRole.viewer, "created_at": utcnow(), "updated_at": utcnow()}

    with in_tenant(app, world["A"]):
        with pytest.raises(IsolationViolation):
            db.session.execute(insert(Membership), [row(world["B"], "P")])
        with pytest.raises(IsolationViolation):
            db.session.execute(insert(Membership).values(**row(world["B"], "P")))
        with pytest.raises(IsolationViolation):
            db.session.execute(insert(Membership).values(**{**row(world["A"], "Q"), "tenant_id": None}))
        db.session.execute(insert(Membership), [row(world["A"], "Q")])
        db.session.commit()
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(Membership)
                                  .where(Membership.tenant_id == world["A"])).scalar() == 2


def test_new_rows_are_stamped_with_the_current_tenant(app, world):
    with in_tenant(app, world["A"]):
        membership = Membership(user_id=world["Q"], role=TenantRole.viewer)
        db.session.add(membership)
        db.session.flush()
        assert membership.tenant_id == world["A"]


def test_a_row_cannot_be_written_into_another_tenant(app, world):
    with in_tenant(app, world["A"]), pytest.raises(IsolationViolation):
        db.session.add(Membership(tenant_id=world["B"], user_id=world["Q"], role=TenantRole.viewer))
        db.session.flush()
    with app.test_request_context(), pytest.raises(IsolationViolation):
        isolation.set_scope({world["A"]})  # a scope without a tenant to stamp
        db.session.add(Membership(user_id=world["Q"], role=TenantRole.viewer))
        db.session.flush()


def test_a_row_cannot_move_to_another_tenant(app, world):
    with in_tenant(app, world["A"]), pytest.raises(IsolationViolation):
        membership = db.session.execute(select(Membership)).scalar_one()
        membership.tenant_id = world["B"]
        db.session.flush()


def test_rows_loaded_across_tenants_cannot_be_changed_inside_a_tenant(app, world):
    with in_tenant(app, world["A"]):
        with isolation.system_scope():  # a deliberate cross-tenant read
            foreign = db.session.execute(select(Membership).where(Membership.user_id == world["Q"])).scalar_one()
        foreign.role = TenantRole.viewer
        with pytest.raises(IsolationViolation):
            db.session.flush()
        db.session.rollback()
        with isolation.system_scope():
            foreign = db.session.execute(select(Membership).where(Membership.user_id == world["Q"])).scalar_one()
        db.session.delete(foreign)
        with pytest.raises(IsolationViolation):
            db.session.flush()


@contextmanager
def bound_values(app):
    """The parameter values of each statement sent on memberships, as hex strings (UUIDs are
    sent as UUID objects on PostgreSQL, as hex text on SQLite)."""
    sent: list[set[str]] = []

    def listener(conn, cursor, statement, params, context, executemany):
        if "memberships" in statement.lower():
            values = params.values() if isinstance(params, dict) else params or ()
            sent.append({str(v).replace("-", "") for v in values})

    with cursor_listener(app, listener):
        yield sent


def test_a_kept_statement_filtered_for_one_tenant_never_serves_another(app, world):
    """The filtered statement is kept per (statement object, scope): two tenants in one
    process, alternating on the same statement objects, each see only their own rows, and
    every statement sent carries the filter of its own scope's tenant, not the other's (the
    bound values are checked too, as PostgreSQL's RLS would hide a leak of rows)."""
    kept = select(Membership)
    kept_count = select(func.count()).select_from(Membership)
    for tenant, other in (("A", "B"), ("B", "A"), ("A", "B"), ("B", "A")):
        with bound_values(app) as sent, in_tenant(app, world[tenant]):
            assert tenants_of(db.session.execute(kept).scalars()) == {world[tenant]}
            assert db.session.execute(kept_count).scalar() == {"A": 1, "B": 2}[tenant]
            person = db.session.get(PersonProbe, world["P"])
            assert tenants_of(person.memberships) == {world[tenant]}  # lazy load
        assert len(sent) == 3, sent
        for values in sent:
            assert world[tenant].hex in values and world[other].hex not in values, (tenant, values)


def test_the_filtered_statement_is_kept_per_statement_and_scope(app, world):
    """Executing a kept statement again in the same scope sends the same filtered statement
    object (its SQLAlchemy cache key is computed once); another scope gets its own."""
    executed: list = []

    def listener(state):
        executed.append(state.statement)

    event.listen(Session, "do_orm_execute", listener)  # after the isolation filter's listener
    kept = select(Membership.id)
    try:
        for tenant in ("A", "B", "A", "B"):
            with in_tenant(app, world[tenant]):
                db.session.execute(kept).all()
    finally:
        event.remove(Session, "do_orm_execute", listener)
    in_a, in_b, in_a_again, in_b_again = executed
    assert in_a is in_a_again and in_b is in_b_again
    assert in_a is not in_b and in_a is not kept
    with in_tenant(app, world["A"]):
        assert db.session.execute(select(Membership.id)).all()  # a new statement: filtered too


def test_the_scope_settings_kept_per_scope_are_each_scope_s_own(app, world):
    """PostgreSQL's scope settings are kept per scope: alternating scopes get their own ids."""
    both = sorted([str(world["A"]), str(world["B"])])
    for scope, ids in (({world["A"]}, str(world["A"])), ({world["B"]}, str(world["B"])),
                       ({world["A"], world["B"]}, ",".join(both)), ({world["A"]}, str(world["A"]))):
        with app.test_request_context():
            isolation.set_scope(scope)
            assert isolation._scope_settings() == ("tenant", ids)  # noqa: SLF001
    with app.test_request_context():
        assert isolation._scope_settings() == ("system", "")  # noqa: SLF001 - no scope set: system
