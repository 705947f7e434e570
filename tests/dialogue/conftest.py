"""Fixtures for the market-dialogue tests: a joint procurement (Bærum leads, Asker buys) in
the dialogue phase, two registered suppliers and one unregistered, with API tokens."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from core import isolation
from core.db import db, utcnow
from tests.conftest import _Ref, bearer

ORG_A, ORG_B, ORG_C = "915345727", "914778271", "974760673"


class World:
    """Plain references (ids, tokens) to what the fixture made."""

    def __init__(self, app, make, client):
        self.app, self.make, self.client = app, make, client

    def api(self, method: str, path: str, token: str, *, headers: dict | None = None, **kw):
        return getattr(self.client, method)(path, headers={**bearer(token), **(headers or {})}, **kw)

    def person(self, email: str, tenant=None, role: str | None = None):
        """A person without a password (tests sign in with `login`; hashing is slow)."""
        from core.identity import service as identity
        from tenants import service

        with self.app.app_context():
            user = identity.create_user(email)
            if tenant is not None:
                service.add_member(service.get_tenant(tenant.slug), user, role)
            db.session.commit()
            return _Ref(id=user.id, email=user.email)

    def supplier(self, org_number: str, name: str, email: str):
        """A supplier organisation with its first user (admin, email confirmed)."""
        from core.identity import service as identity
        from core.suppliers import service

        with self.app.app_context():
            service.create_supplier(org_number, name, email)
            db.session.commit()
            return _Ref(id=identity.find_user_by_email(email).id, email=email)

    def login(self, user, client=None):
        """Sign `user` in on `client` (default: the shared one), as `core.auth.login_user` would."""
        from core.identity.models import User

        client = client or self.client
        with self.app.app_context():
            generation = db.session.get(User, user.id).session_generation
        with client.session_transaction() as session:
            session.clear()
            session["uid"], session["gen"] = str(user.id), generation
        return client

    def in_system(self, fn):
        """Run `fn()` in an app context in system scope and commit (test set-up only)."""
        with self.app.app_context(), isolation.system_scope():
            result = fn()
            db.session.commit()
            return result

    def set_phase(self, phase: str) -> None:
        from core.procurement.models import Phase, Procurement

        def change():
            db.session.get(Procurement, self.pid).phase = Phase(phase)

        self.in_system(change)


def _procurement(app, lead, buyer, lead_user_id) -> uuid.UUID:
    from core.procurement.models import (
        ParticipantRole,
        Participation,
        ParticipationStatus,
        Phase,
        Procurement,
        ProjectMember,
        ProjectRole,
    )

    with app.app_context(), isolation.system_scope():
        procurement = Procurement(id=uuid.uuid4(), lead_tenant_id=lead.id, title="Tryggere hverdag",
                                  description="Trygghetsteknologi og responssenter", phase=Phase.dialogue)
        db.session.add(procurement)
        db.session.flush()
        db.session.add_all([
            Participation(procurement_id=procurement.id, tenant_id=lead.id, role=ParticipantRole.lead,
                          status=ParticipationStatus.active),
            Participation(procurement_id=procurement.id, tenant_id=buyer.id, role=ParticipantRole.buyer,
                          status=ParticipationStatus.active),
            ProjectMember(procurement_id=procurement.id, user_id=lead_user_id, tenant_id=lead.id,
                          role=ProjectRole.lead),
        ])
        db.session.commit()
        return procurement.id


@pytest.fixture
def world(app, make, client):
    w = World(app, make, client)
    w.baerum = make.tenant("baerum", "Bærum kommune")
    w.asker = make.tenant("asker", "Asker kommune")
    w.drammen = make.tenant("drammen", "Drammen kommune")
    w.officer = w.person("officer@baerum.test", w.baerum, "officer")
    w.asker_member = w.person("member@asker.test", w.asker, "member")
    w.asker_officer = w.person("officer@asker.test", w.asker, "officer")
    w.outsider = w.person("officer@drammen.test", w.drammen, "officer")
    w.pid = _procurement(app, w.baerum, w.asker, w.officer.id)
    w.officer_token = make.token(w.officer)
    w.asker_member_token = make.token(w.asker_member)
    w.asker_officer_token = make.token(w.asker_officer)
    w.outsider_token = make.token(w.outsider)
    w.a_user = w.supplier(ORG_A, "Trygg Teknologi AS", "post@trygg.test")
    w.b_user = w.supplier(ORG_B, "Omsorgsdata AS", "post@omsorg.test")
    w.c_user = w.supplier(ORG_C, "Uregistrert AS", "post@uregistrert.test")
    w.a, w.b, w.c = make.token(w.a_user), make.token(w.b_user), make.token(w.c_user)
    return w


@pytest.fixture
def open_world(world):
    """The dialogue opened by the lead and suppliers A and B registered."""
    r = world.api("post", f"/api/v1/procurements/{world.pid}/dialogue/open", world.officer_token)
    assert r.status_code == 200, r.get_data(as_text=True)
    for token in (world.a, world.b):
        r = world.api("post", f"/api/v1/procurements/{world.pid}/registrations", token)
        assert r.status_code == 201, r.get_data(as_text=True)
    return world


def future(**delta) -> str:
    return (utcnow() + timedelta(**delta)).isoformat()
