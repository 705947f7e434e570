"""The principal's statement narrows the transaction's scope itself (PostgreSQL).

Resolving a request's principal reads the person's memberships in system scope; on PostgreSQL
the same statement then sets `samspill.scope`/`samspill.tenant_ids` to the person's active
tenants, so the request's next statement needs no settings of its own. These tests hold what
that must keep: the database's scope is exactly the person's active tenants, read afresh on
every request (a removed member no longer sees the tenant, even with raw SQL), and nothing of
the principal's statement is read under the narrowed scope (its facts are those of a
resolution in system scope).
"""

from __future__ import annotations

import pytest
from flask import g
from sqlalchemy import text

from core import auth, isolation
from core.db import db
from core.identity.models import User
from tests.bench.helpers import led_procurements
from tests.conftest import PG_URL, bearer

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="settings exist only on PostgreSQL")]

CURRENT = text("select current_setting('samspill.scope', true), current_setting('samspill.tenant_ids', true)")
LED = text("select lead_tenant_id from procurements")  # raw SQL: only row-level security filters it


def _resolve(app, token):
    """Resolve the principal as a request to the API would, and stay in that request."""
    context = app.test_request_context("/api/v1/me", headers=bearer(token))
    context.push()
    auth.resolve_principal()
    return context


def _deactivate(app, tenant):
    from core.identity.memberships import Tenant

    with app.app_context():
        db.session.get(Tenant, tenant.id).is_active = False
        db.session.commit()


def test_the_principal_statement_leaves_the_person_s_active_tenants_in_force(app, make):
    a, b, gone = make.tenant("narrow-a"), make.tenant("narrow-b"), make.tenant("narrow-gone")
    person = make.user(tenant=a, role="officer")
    make.user(person.email, tenant=b, role="member")
    make.user(person.email, tenant=gone, role="member")
    _deactivate(app, gone)
    token = make.token(person)
    context = _resolve(app, token)
    try:
        assert g.principal.tenant_ids == {a.id, b.id}
        assert g.samspill_settings_sent == 1  # the BEGIN's, before the principal; none after
        mode, ids = db.session.execute(CURRENT).one()
        assert (mode, set(ids.split(","))) == ("tenant", {str(a.id), str(b.id)})
        assert g.samspill_settings_sent == 1
    finally:
        db.session.rollback()
        context.pop()


def test_a_removed_member_s_next_request_does_not_see_the_tenant(app, make):
    from tenants.models import Membership

    a, b = make.tenant("narrow-a"), make.tenant("narrow-b")
    person = make.user(tenant=a, role="officer")
    make.user(person.email, tenant=b, role="officer")
    led_procurements(app, a, [led_moment(0)])
    led_procurements(app, b, [led_moment(1)])
    token = make.token(person)
    context = _resolve(app, token)
    try:
        assert {row.lead_tenant_id for row in db.session.execute(LED)} == {a.id, b.id}
    finally:
        db.session.rollback()
        context.pop()
    with app.app_context():
        db.session.query(Membership).filter_by(user_id=person.id, tenant_id=b.id).delete()
        db.session.commit()
    context = _resolve(app, token)
    try:
        assert g.principal.tenant_ids == {a.id}
        assert tuple(db.session.execute(CURRENT).one()) == ("tenant", str(a.id))
        assert {row.lead_tenant_id for row in db.session.execute(LED)} == {a.id}
    finally:
        db.session.rollback()
        context.pop()


def test_the_principal_s_facts_are_read_before_the_scope_narrows(app, make):
    """Each membership's plugin choices come from a subquery of the principal's statement: every
    one of them runs in system scope, also for a tenant the narrowed scope leaves out (an
    inactive one), as `principal_for` (no narrowing) reads them."""
    from core.plugin_platform.models import TenantPlugin

    tenants = [make.tenant(f"narrow-{n}") for n in range(6)]
    person = make.user(tenant=tenants[0], role="officer")
    for tenant in tenants[1:]:
        make.user(person.email, tenant=tenant, role="member")
    with app.app_context(), isolation.system_scope():
        for tenant in tenants:
            db.session.add(TenantPlugin(tenant_id=tenant.id, plugin=f"plugin-{tenant.slug}", enabled=True))
        db.session.commit()
    for tenant in tenants[::2]:
        _deactivate(app, tenant)
    token = make.token(person)
    context = _resolve(app, token)
    try:
        resolved = g.principal.extra["plugin_choices"]
        db.session.rollback()
        with isolation.system_scope():
            expected = auth.principal_for(db.session.get(User, person.id)).extra["plugin_choices"]
        assert resolved == expected
        assert resolved == {t.id: frozenset({f"plugin-{t.slug}"}) for t in tenants}
    finally:
        db.session.rollback()
        context.pop()


def led_moment(days: int):
    from datetime import timedelta

    from core.db import utcnow

    return utcnow() - timedelta(days=days)
