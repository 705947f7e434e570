"""The invitations' statement (`participants.pending_invitations`, the dashboard's panel and the
invitations page): the first page counts every invitation waiting for the tenant in the same walk
of its participations that finds the page, and that walk is the index
`ix_participations_tenant_invited` (under a prepared statement's generic plan on PostgreSQL, in
order and index-only, no row sorted; in SQLite's plan too), so each invitation passes the
participations' row-level security policy once (speed round 6)."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import g

from core import isolation
from core.auth import principal_for
from core.db import db, utcnow
from core.identity.models import User
from core.procurement import participants
from core.procurement.models import Participation
from tests.bench.helpers import led_procurements
from tests.plans import statement_plan


def _invite(app, tenant, procurement_ids, status: str = "invited") -> None:
    with app.app_context(), isolation.system_scope():
        for n, pid in enumerate(procurement_ids):
            db.session.add(Participation(procurement_id=pid, tenant_id=tenant.id, role="buyer", status=status,
                                         created_at=utcnow() - timedelta(minutes=100 - n)))
        db.session.commit()


def test_the_first_page_and_a_later_one_count_every_invitation(app, make):
    tenant, lead, other = (make.tenant("nordvik", "Nordvik kommune"), make.tenant("sorvik", "Sørvik kommune"),
                           make.tenant("austvik", "Austvik kommune"))
    officer = make.user(tenant=tenant, role="officer")
    procurements = led_procurements(app, lead, [utcnow() - timedelta(days=n) for n in range(12)])
    _invite(app, tenant, procurements[:7])
    _invite(app, tenant, procurements[7:9], status="active")    # accepted: not waiting
    _invite(app, tenant, procurements[9:10], status="declined")  # declined: not waiting
    _invite(app, other, procurements[:4])                        # another tenant's
    with app.test_request_context():
        with isolation.system_scope():
            g.principal = principal_for(db.session.get(User, officer.id))
        isolation.set_scope({tenant.id})
        first = participants.pending_invitations(tenant.id, limit=3)
        assert [r.procurement_id for r in first.items] == procurements[:3]  # the oldest first
        assert first.extra["total"] == 7
        later = participants.pending_invitations(tenant.id, limit=3, cursor=first.next_cursor)
        assert [r.procurement_id for r in later.items] == procurements[3:6]
        assert later.extra["total"] == 7  # all of them, not only those after the cursor
        last = participants.pending_invitations(tenant.id, limit=3, cursor=later.next_cursor)
        assert [r.procurement_id for r in last.items] == procurements[6:7] and last.extra["total"] == 7
        assert participants.pending_invitations(tenant.id, limit=10).extra["total"] == 7


def test_the_first_page_walks_the_invitation_index_once_without_sorting(app, make):
    tenant, lead = make.tenant("nordvik", "Nordvik kommune"), make.tenant("sorvik", "Sørvik kommune")
    procurements = led_procurements(app, lead, [utcnow() - timedelta(days=n) for n in range(30)])
    _invite(app, tenant, procurements)
    values = {"tenant_id": tenant.id, "status_1": "invited", "limit": 6}
    with app.app_context(), isolation.system_scope():
        plan = statement_plan(participants._INVITATIONS, values)
        postgres = db.engine.dialect.name == "postgresql"
    assert "ix_participations_tenant_invited" in plan, plan
    if postgres:  # SQLite sorts the window's rows and the page's six in temporary b-trees
        assert "Sort" not in plan and "Index Only Scan" in plan, plan
    # one walk of the participations (the page and its count), not a second one for the count
    scans = re.findall(r"(?:Scan|SCAN|SEARCH)[^\n]*?\bprocurement_participations\b", plan)
    assert len(scans) == 1, plan
