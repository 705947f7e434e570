"""Per-request lookups the benchmark profile showed, done once: the principal's tenants and
the API token's person come with the queries that find them, not in queries of their own.
"""

from __future__ import annotations

import re

from tests.conftest import bearer, sign_in

TENANT_LOOKUP = re.compile(r"FROM tenants\s+WHERE tenants\.(slug|id)", re.IGNORECASE)
USER_BY_ID = re.compile(r"FROM users\s+WHERE users\.id = ", re.IGNORECASE)


def test_tenant_page_reuses_the_tenant_loaded_with_the_memberships(client, make, count_queries):
    tenant = make.tenant("nordvik", "Nordvik kommune")
    sign_in(client, make.user(tenant=tenant, role="officer"))
    with count_queries() as queries:
        assert client.get("/t/nordvik/").status_code == 200
    assert not [s for s in queries.statements if TENANT_LOOKUP.search(s)]


def test_tenant_page_of_a_deactivated_tenant_answers_404(app, client, make):
    from core.db import db
    from tenants.models import Tenant

    tenant = make.tenant("nordvik", "Nordvik kommune")
    other = make.tenant("sorvik", "Sørvik kommune")
    person = make.user(tenant=tenant, role="officer")
    make.user(person.email, tenant=other, role="officer")
    sign_in(client, person)
    with app.app_context():
        db.session.get(Tenant, other.id).is_active = False
        db.session.commit()
    assert client.get("/t/sorvik/").status_code == 404
    assert client.get("/t/nordvik/").status_code == 200


def test_api_token_brings_its_person_in_the_same_query(client, make, count_queries):
    tenant = make.tenant("nordvik", "Nordvik kommune")
    token = make.token(make.user(tenant=tenant, role="officer"))
    with count_queries() as queries:
        assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    token_queries = [s for s in queries.statements if "FROM api_tokens" in s]
    assert len(token_queries) == 1 and "JOIN users" in token_queries[0]
    assert not [s for s in queries.statements if USER_BY_ID.search(s)]


def test_dashboard_lists_dialogues_even_behind_many_newer_procurements(app, client, make):
    from datetime import timedelta

    from core.db import utcnow
    from core.procurement.models import Phase
    from tests.bench.helpers import led_procurements

    tenant = make.tenant("nordvik", "Nordvik kommune")
    sign_in(client, make.user(tenant=tenant, role="officer"))
    now = utcnow()
    times = [now - timedelta(days=400)] + [now - timedelta(days=n) for n in range(60)]
    ids = led_procurements(app, tenant, times, [Phase.dialogue] + [Phase.needs] * 60)
    page = client.get("/t/nordvik/").get_data(as_text=True)
    assert f'id="dialogue-link-{ids[0]}"' in page


def test_api_reads_record_token_use_once_after_their_transaction(app, client, make, count_queries):
    from sqlalchemy import select

    from core.db import db
    from core.identity.models import ApiToken

    tenant = make.tenant("nordvik", "Nordvik kommune")
    token = make.token(make.user(tenant=tenant, role="officer"))
    with count_queries() as first:
        assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    with app.app_context():
        used = db.session.execute(select(ApiToken.last_used_at)).scalar_one()
    assert used is not None  # kept, although the read request itself commits nothing
    updates = [s for s in first.statements if s.lstrip().upper().startswith("UPDATE API_TOKENS")]
    assert len(updates) == 1
    with count_queries() as second:
        assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    assert not [s for s in second.statements if s.lstrip().upper().startswith("UPDATE")]


def test_api_write_and_token_use_both_land(app, client, make):
    """The use is written after the request's own transaction: a write request keeps its change."""
    from sqlalchemy import select

    from core.db import db
    from core.identity.models import ApiToken

    tenant = make.tenant("nordvik", "Nordvik kommune")
    token = make.token(make.user(tenant=tenant, role="officer"))
    created = client.post("/api/v1/tenants/nordvik/procurements", headers=bearer(token),
                          json={"title": "Trygghetsalarmer"})
    assert created.status_code == 201, created.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(ApiToken.last_used_at)).scalar_one() is not None
    listed = client.get("/api/v1/tenants/nordvik/procurements", headers=bearer(token)).get_json()
    assert [p["title"] for p in listed["items"]] == ["Trygghetsalarmer"]


def test_principal_and_memberships_come_in_one_query(client, make, count_queries):
    """Token, person and every membership (with its tenant) in one statement; the API's tenant
    comes from them, not from a query of its own."""
    tenant = make.tenant("nordvik", "Nordvik kommune")
    person = make.user(tenant=tenant, role="officer")
    token = make.token(person)
    with count_queries() as queries:
        assert client.get("/api/v1/tenants/nordvik/procurements", headers=bearer(token)).status_code == 200
    assert not [s for s in queries.statements if TENANT_LOOKUP.search(s)]
    membership_queries = [s for s in queries.statements if "FROM memberships" in s or "JOIN memberships" in s]
    assert len(membership_queries) == 1 and "api_tokens" in membership_queries[0]
    sign_in(client, person)
    with count_queries() as queries:
        assert client.get("/t/nordvik/").status_code == 200
    membership_queries = [s for s in queries.statements if "JOIN memberships" in s]
    assert len(membership_queries) == 1 and "FROM users" in membership_queries[0]
    assert not [s for s in queries.statements if USER_BY_ID.search(s)]


def test_memberships_are_in_norwegian_alphabetical_order(client, make):
    names = [("aas", "Ås kommune"), ("orland", "Ørland kommune"), ("bo", "Bø kommune"), ("ardal", "Årdal kommune"),
             ("zz", "Zeta kommune")]
    person = None
    for slug, name in names:
        tenant = make.tenant(slug, name)
        person = make.user("ola@example.no", tenant=tenant, role="viewer")
    me = client.get("/api/v1/me", headers=bearer(make.token(person))).get_json()
    assert [m["tenant_name"] for m in me["memberships"]] == [
        "Bø kommune", "Zeta kommune", "Ørland kommune", "Årdal kommune", "Ås kommune"]


def test_list_rows_do_not_decode_the_procurements_json_columns(client, make, count_queries):
    tenant = make.tenant("nordvik", "Nordvik kommune")
    token = make.token(make.user(tenant=tenant, role="officer"))
    for n in range(3):
        assert client.post("/api/v1/tenants/nordvik/procurements", headers=bearer(token),
                           json={"title": f"Anskaffelse {n}"}).status_code == 201
    with count_queries() as queries:
        body = client.get("/api/v1/tenants/nordvik/procurements", headers=bearer(token)).get_json()
    assert len(body["items"]) == 3 and body["items"][0]["lead_tenant"]["slug"] == "nordvik"
    listing = [s for s in queries.statements if "FROM procurements" in s]
    assert len(listing) == 1
    for column in ("milestones", "key_dates", "custom_gate_items", "extension", "cpv_codes", "description"):
        assert f"procurements.{column}" not in listing[0]


def test_the_principal_is_plain_rows_and_entities_come_on_demand(app, make, count_queries):
    """No ORM entity per request: the person is a read-only `Person`; a member tenant's entity is
    built from the row read with the principal (every column as stored, nothing to flush, no
    statement); the `User` entity is loaded only when asked for."""
    import dataclasses
    from datetime import UTC, datetime

    import pytest
    from sqlalchemy import select

    from core import auth
    from core.db import db
    from core.identity.models import Person, User
    from tenants.models import Tenant

    tenant = make.tenant("nordvik", "Nordvik kommune")
    person = make.user(tenant=tenant, role="officer")
    with app.app_context():
        stored = db.session.get(Tenant, tenant.id)
        stored.org_number, stored.municipality_number, stored.language_form = "944496394", "1804", "nn"
        db.session.get(User, person.id).email_verified_at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        db.session.commit()
        columns = {c.key: getattr(stored, c.key) for c in Tenant.__table__.c}
    token = make.token(person)
    with app.test_request_context("/api/v1/me", headers=bearer(token)):
        auth.resolve_principal()
        principal = auth.current_principal()
        assert isinstance(principal.user, Person) and principal.user.id == person.id
        assert principal.user.email_verified_at == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        assert principal.token is not None and principal.token.user == principal.user
        with pytest.raises(dataclasses.FrozenInstanceError):
            principal.user.locale = "en"
        session = db.session()
        assert not [obj for obj in session.identity_map.values() if isinstance(obj, (User, Tenant))]
        with count_queries() as queries:
            built = auth.tenant_entity(principal.memberships[tenant.id])
            assert {key: getattr(built, key) for key in columns} == columns
            assert auth.tenant_entity(principal.memberships[tenant.id]) is built
        assert queries.count == 0
        assert built in session and not session.new and not session.dirty
        built.name = "Nordvik kommune & co"  # a change to it is written as to a loaded entity
        assert list(session.dirty) == [built]
        session.flush()
        assert db.session.execute(select(Tenant.name).where(Tenant.id == tenant.id)).scalar_one() == built.name
        user = auth.user_entity(principal)
        assert isinstance(user, User) and user.id == person.id
        db.session.rollback()
