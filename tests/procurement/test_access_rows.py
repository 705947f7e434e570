"""`access.access_for` reads plain columns and makes the session's entities from them, as the
ORM's loading would: the same values, persistent and unchanged, nothing lazy-loaded afterwards,
the session's own instances kept, pending writes counted."""

from __future__ import annotations

import uuid

import pytest
from flask import g
from sqlalchemy import event, inspect, select

from core import isolation
from core.auth import principal_for
from core.db import db
from core.errors import NotFound
from core.identity.models import User
from core.procurement.access import Action, access_for
from core.procurement.models import (
    Participation,
    ParticipationStatus,
    Procurement,
    ProjectMember,
    ProjectRole,
)
from tenants.models import Tenant


def _stored(model, key):
    """Every column of one stored row, read with the entity statement in a session of its own."""
    with isolation.system_scope():
        row = db.session.execute(select(model.__table__).where(model.__table__.c.id == key)).one()
    return {column.key: row._mapping[column] for column in model.__table__.columns}


def _attributes(entity):
    mapper = inspect(type(entity))
    return {prop.columns[0].key: getattr(entity, prop.key) for prop in mapper.column_attrs}


def _as(world, slug, role, scope_slug):
    g.principal = principal_for(db.session.get(User, world.user(slug, role).id))
    isolation.set_scope({world.tenant(scope_slug).id}, stamp_tenant_id=world.tenant(scope_slug).id)


def test_the_entities_are_the_stored_rows_persistent_and_unchanged(world):
    pid = uuid.UUID(world.joint()["id"])
    with world.app.test_request_context():
        _as(world, "asker", "admin", "asker")
        db.session.expunge_all()
        sent = []
        engine = db.session.connection().engine
        listener = lambda *args: sent.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            access = access_for(pid)
            statements = len(sent)
            procurement = access.procurement
            lead, parts = procurement.lead_tenant, access.all_participations
            shown = (_attributes(procurement), _attributes(lead),
                     [(_attributes(p), _attributes(p.tenant)) for p in parts])
            assert len(sent) == statements == 1  # the access statement; nothing lazy-loaded afterwards
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        assert shown[0] == _stored(Procurement, pid)
        assert shown[1] == _stored(Tenant, procurement.lead_tenant_id) and lead.slug == "baerum"
        assert [t["slug"] for _p, t in shown[2]] == ["baerum", "asker"]
        for part, tenant in shown[2]:
            assert part == _stored(Participation, part["id"]) and tenant == _stored(Tenant, tenant["id"])
        session = db.session()
        for entity in (procurement, lead, *parts, *(p.tenant for p in parts)):
            state = inspect(entity)
            assert state.persistent and not state.modified and entity in session
        assert not session.new and not session.dirty
        assert session.get(Procurement, pid) is procurement  # the identity map's instance
        assert parts[1].tenant is session.get(Tenant, world.tenant("asker").id)
        assert access.participations == {world.tenant("asker").id: parts[1].role}
        before = procurement.version
        procurement.title = "Endret"  # an ordinary change of a loaded entity flushes its version
        session.flush()
        assert procurement.version == before + 1


def test_the_sessions_own_instances_and_pending_writes_count(world):
    pid = uuid.UUID(world.joint()["id"])
    with world.app.test_request_context():
        _as(world, "asker", "member", "asker")
        loaded = db.session.get(Procurement, pid)
        loaded.title = "Ikke lagret"  # a change not flushed yet: the ORM keeps it, so do we
        member = world.user("asker", "member")
        with db.session.no_autoflush:
            first = access_for(pid)
        assert first.procurement is loaded and loaded.title == "Ikke lagret" and inspect(loaded).modified
        assert not first.can(Action.evaluate)
        g.pop("procurement_access_cache", None)
        db.session.add(ProjectMember(procurement_id=pid, tenant_id=world.tenant("asker").id,
                                     user_id=member.id, role=ProjectRole.evaluator))
        g.pop("procurement_access_cache", None)
        access = access_for(pid)  # the pending member is flushed first, as `Session.execute` did
        assert access.can(Action.evaluate) and access.project_role == ProjectRole.evaluator
        assert access.procurement is loaded and loaded.title == "Ikke lagret"
        db.session.expire(loaded)  # expired attributes are filled from the row, no refresh statement
        g.pop("procurement_access_cache", None)
        assert access_for(pid).procurement is loaded and loaded.title == "Ikke lagret"
        mine = next(p for p in access.all_participations if p.tenant_id == world.tenant("asker").id)
        mine.status = ParticipationStatus.left
        g.pop("procurement_access_cache", None)
        with pytest.raises(NotFound):
            access_for(pid)
