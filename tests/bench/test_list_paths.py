"""The procurement list at scale (benchmark findings, migration 0009): keyset pages use a row
comparison that an index can bound, and the RLS policies test the cheap tenant condition first.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from core import isolation
from core.db import db, utcnow
from core.pagination import keyset_page
from core.procurement.models import Participation, Procurement
from tests.bench.helpers import led_procurements
from tests.conftest import PG_URL, bearer


def test_api_pages_with_equal_times_cover_every_procurement_once_in_order(app, client, make):
    tenant = make.tenant("nordvik", "Nordvik kommune")
    token = make.token(make.user(tenant=tenant, role="officer"))
    now = utcnow()
    times = [now - timedelta(days=n // 3) for n in range(11)]  # three at each moment
    led_procurements(app, tenant, times)
    with app.app_context():
        expected = [str(i) for i in db.session.execute(
            select(Procurement.id).order_by(Procurement.created_at.desc(), Procurement.id.desc())).scalars()]
    seen, cursor = [], None
    for _ in range(10):
        url = "/api/v1/tenants/nordvik/procurements?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(url, headers=bearer(token)).json
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == expected


def test_mixed_directions_page_correctly(app, make):
    tenant = make.tenant("nordvik", "Nordvik kommune")
    now = utcnow()
    led_procurements(app, tenant, [now - timedelta(days=n // 2) for n in range(7)])
    order = [(Procurement.created_at, True), (Procurement.id, False)]
    with app.app_context(), isolation.system_scope():
        expected = list(db.session.execute(
            select(Procurement.id).order_by(Procurement.created_at.desc(), Procurement.id.asc())).scalars())
        seen, cursor = [], None
        while True:
            page = keyset_page(select(Procurement), order, limit=3, cursor=cursor)
            seen += [p.id for p in page.items]
            cursor = page.next_cursor
            if not cursor:
                break
    assert seen == expected


@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="row-level security exists only on PostgreSQL")
def test_list_policies_check_the_tenant_before_the_visibility_function(app):
    with app.app_context():
        policies = dict(db.session.execute(text(
            "select polrelid::regclass::text, pg_get_expr(polqual, polrelid) from pg_policy"
            " where polname = 'tenant_isolation'"
            " and polrelid in ('procurements'::regclass, 'procurement_participations'::regclass)")).all())
    # system scope (an InitPlan, migration 0030_db) first, then the tenant, then the function
    system = "(( SELECT (current_setting('samspill.scope'::text, true) = 'system'::text)) OR "
    assert policies["procurements"].startswith(system + "((lead_tenant_id = ANY")
    assert policies["procurement_participations"].startswith(system + "((tenant_id = ANY")


def test_participations_carry_their_procurements_creation_time(app, make, client):
    """Every way a participation is made copies the creation time the list is ordered by."""
    tenant = make.tenant("nordvik", "Nordvik kommune")
    other = make.tenant("sorvik", "Sørvik kommune")
    token = make.token(make.user(tenant=tenant, role="officer"))
    make.user(tenant=other, role="officer")
    created = client.post("/api/v1/tenants/nordvik/procurements", headers=bearer(token), json={"title": "Felles"})
    pid = created.json["id"]
    invited = client.post(f"/api/v1/procurements/{pid}/participants", headers=bearer(token),
                          json={"tenant": "sorvik", "role": "buyer"})
    assert invited.status_code in (200, 201), invited.get_data(as_text=True)
    led_procurements(app, tenant, [utcnow() - timedelta(days=3)])  # direct ORM inserts (the mapper hook)
    with app.app_context(), isolation.system_scope():
        rows = db.session.execute(select(Participation.procurement_created_at, Procurement.created_at)
                                  .join(Procurement, Procurement.id == Participation.procurement_id)).all()
    assert len(rows) == 3 and all(copy == original for copy, original in rows)


def test_list_walks_the_participation_index_instead_of_sorting(app, make):
    """The list statement is planned as an ordered index walk on both databases (no sort step)."""
    from core.procurement.models import ParticipationStatus

    tenant = make.tenant("nordvik", "Nordvik kommune")
    led_procurements(app, tenant, [utcnow() - timedelta(days=n) for n in range(30)])
    with app.app_context(), isolation.system_scope():
        stmt = (select(Procurement.id).join(Participation, Participation.procurement_id == Procurement.id)
                .where(Participation.tenant_id == tenant.id, Participation.status == ParticipationStatus.active)
                .order_by(Participation.procurement_created_at.desc(), Participation.procurement_id.desc())
                .limit(21))
        compiled = stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True})
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table: ask for the index plan
            plan = "\n".join(db.session.execute(text(f"EXPLAIN {compiled}")).scalars())
        else:
            plan = "\n".join(str(row[-1]) for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "ix_participations_tenant_list" in plan, plan
    assert "Sort" not in plan and "TEMP B-TREE" not in plan.upper(), plan
