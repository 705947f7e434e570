"""What the speed round cut from every request keeps correct: the hand-written list serialiser
answers what the documented schema dumps, the principal's statements are built once yet a
revoked token or ended session is refused on the very next request, and the hot endpoints stay
within their statements."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from core.db import db, utcnow
from tests.bench.helpers import led_procurements
from tests.conftest import PG_URL, bearer, sign_in


def test_hand_written_list_items_equal_the_schemas_dump(app, client, make):
    from core import isolation
    from core.procurement import schemas
    from core.procurement.models import Procurement

    tenant = make.tenant("nordvik", "Nordvik kommune")
    token = make.token(make.user(tenant=tenant, role="officer"))
    now = utcnow()
    led_procurements(app, tenant, [now - timedelta(days=n, microseconds=n * 7) for n in range(4)])
    first = client.get("/api/v1/tenants/nordvik/procurements?limit=3", headers=bearer(token)).get_json()
    second = client.get(f"/api/v1/tenants/nordvik/procurements?limit=3&cursor={first['next_cursor']}",
                        headers=bearer(token)).get_json()
    items = first["items"] + second["items"]
    assert len(items) == 4 and second["next_cursor"] is None
    with app.app_context(), isolation.system_scope():
        expected = [schemas.ProcurementListItemSchema().dump(
            schemas.summary(db.session.get(Procurement, uuid.UUID(item["id"])), part="lead")) for item in items]
    assert items == expected


def test_a_revoked_token_is_refused_on_the_next_request(app, client, make):
    from core.identity.models import ApiToken

    tenant = make.tenant("nordvik", "Nordvik kommune")
    token = make.token(make.user(tenant=tenant, role="officer"))
    for _ in range(3):  # the cached statement is in use
        assert client.get("/api/v1/tenants/nordvik/procurements", headers=bearer(token)).status_code == 200
    with app.app_context():
        db.session.query(ApiToken).update({"revoked_at": utcnow()})
        db.session.commit()
    assert client.get("/api/v1/tenants/nordvik/procurements", headers=bearer(token)).status_code == 401


def test_an_ended_session_and_a_removed_membership_count_on_the_next_request(app, client, make):
    from core.identity.models import User
    from tenants.models import Membership

    tenant = make.tenant("nordvik", "Nordvik kommune")
    person = make.user(tenant=tenant, role="officer")
    other = make.user("kari@example.no", tenant=tenant, role="officer")
    sign_in(client, person)
    for _ in range(3):
        assert client.get("/t/nordvik/").status_code == 200
    with app.app_context():
        db.session.query(Membership).filter_by(user_id=person.id).delete()
        db.session.commit()
    assert client.get("/t/nordvik/").status_code == 404
    second = app.test_client()
    sign_in(second, other)
    assert second.get("/t/nordvik/").status_code == 200
    with app.app_context():
        db.session.get(User, other.id).session_generation += 1  # "sign out everywhere"
        db.session.commit()
    assert second.get("/t/nordvik/").status_code in (302, 401, 404)


def test_the_principal_statements_are_built_once_per_app(app, client, make):
    from core.auth import AUTH_KEY

    tenant = make.tenant("nordvik", "Nordvik kommune")
    person = make.user(tenant=tenant, role="officer")
    token = make.token(person)
    client.get("/api/v1/me", headers=bearer(token))
    sign_in(client, person)
    client.get("/t/nordvik/")
    statements = dict(app.extensions[AUTH_KEY].statements)
    assert set(statements) == {"session", "token"}
    client.get("/api/v1/me", headers=bearer(token))
    client.get("/t/nordvik/")
    assert all(app.extensions[AUTH_KEY].statements[k] is v for k, v in statements.items())


def test_hot_endpoints_stay_within_their_statements(app, client, make, count_queries):
    tenant = make.tenant("nordvik", "Nordvik kommune")
    person = make.user(tenant=tenant, role="officer")
    token = make.token(person)
    led_procurements(app, tenant, [utcnow() - timedelta(days=n) for n in range(25)])
    client.get("/api/v1/tenants/nordvik/procurements", headers=bearer(token))  # token use written
    with count_queries() as queries:
        assert client.get("/api/v1/tenants/nordvik/procurements", headers=bearer(token)).status_code == 200
    assert queries.count == 2, queries.statements
    sign_in(client, person)
    client.get("/t/nordvik/")
    with count_queries() as queries:
        assert client.get("/t/nordvik/").status_code == 200
    assert queries.count <= 6, queries.statements  # 7 before the plugin choice came with the principal


@pytest.mark.skipif(not PG_URL, reason="round trips to PostgreSQL")
def test_an_api_read_takes_three_round_trips(app, client, make):
    """BEGIN, the principal's scope settings and the principal (which narrows the scope to the
    caller's tenants itself) in one pipeline, the list, COMMIT (it only read): no pool ping, no
    separate BEGIN, no settings of their own (libpq's trace counts what the client waits for)."""
    from bench.cpu import round_trips

    tenant = make.tenant("nordvik", "Nordvik kommune")
    token = make.token(make.user(tenant=tenant, role="officer"))
    led_procurements(app, tenant, [utcnow() - timedelta(days=n) for n in range(3)])

    def call():
        assert client.get("/api/v1/tenants/nordvik/procurements", headers=bearer(token)).status_code == 200

    call()  # the token's use is written once
    assert round_trips(app, call) == 3  # 4 before the settings rode with the principal
