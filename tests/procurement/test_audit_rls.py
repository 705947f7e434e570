"""The audit log under PostgreSQL row-level security (migration 0013_audit_rls): raw SQL as the
app role reads only its own tenants' entries and the chains of procurements it takes part in,
while `samspill audit verify` and a joint procurement's protocol still see every entry."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PG_URL

pytestmark = [pytest.mark.postgres, pytest.mark.skipif(not PG_URL, reason="row-level security is PostgreSQL's")]

SET_TENANTS = "select set_config('samspill.tenant_ids', :ids, true)"


@pytest.fixture
def app_engine(migrated):
    engine = create_engine(migrated[1])
    yield engine
    engine.dispose()


def visible(engine, tenant_ids: list[str] | None) -> list[tuple[str, str]]:
    """(tenant_id, procurement_id) of every audit entry the app role reads with that scope."""
    with engine.begin() as conn:
        if tenant_ids is not None:
            conn.execute(text(SET_TENANTS), {"ids": ",".join(tenant_ids)})
        return [(str(t), str(p)) for t, p in conn.execute(text("select tenant_id, procurement_id from audit_entries"))]


def test_the_app_role_reads_only_its_own_and_its_procurements_audit_entries(world, app_engine, migrated):
    baerum, asker, drammen = (str(world.tenant(s).id) for s in ("baerum", "asker", "drammen"))
    joint = world.joint()["id"]  # Bærum leads, Asker takes part
    own = world.procurement("drammen", title="Drammens egen")["id"]
    with create_engine(migrated[0]).connect() as owner:
        owner.execute(text("select set_config('samspill.scope', 'system', true)"))
        everything = owner.execute(text("select tenant_id, procurement_id from audit_entries")).all()
    assert {str(p) for _t, p in everything} >= {joint, own}

    seen_by_drammen = visible(app_engine, [drammen])
    assert seen_by_drammen and {t for t, _p in seen_by_drammen} == {drammen}
    assert joint not in {p for _t, p in seen_by_drammen}
    seen_by_asker = visible(app_engine, [asker])
    assert own not in {p for _t, p in seen_by_asker}
    # A participant reads the whole chain of the joint procurement, entries by Bærum included.
    joint_entries = [(t, p) for t, p in seen_by_asker if p == joint]
    assert len(joint_entries) == sum(1 for _t, p in everything if str(p) == joint)
    assert baerum in {t for t, _p in joint_entries}
    assert visible(app_engine, None) == []  # no scope set: nothing


def test_verify_and_the_joint_protocol_still_see_every_entry(world, runner):
    joint = world.joint()["id"]
    lead = world.api("baerum").get(f"/api/v1/procurements/{joint}/protocol")
    participant = world.api("asker", "admin").get(f"/api/v1/procurements/{joint}/protocol")
    assert lead.status_code == participant.status_code == 200, participant.get_data(as_text=True)
    as_lead, as_participant = lead.json, participant.json
    as_lead.pop("generated_at"), as_participant.pop("generated_at")
    assert as_participant == as_lead and as_participant["chain_intact"] is True
    assert len(as_participant["entries"]) >= 3  # created, invited, accepted
    assert world.api("drammen").get(f"/api/v1/procurements/{joint}/protocol").status_code == 404
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "intact" in result.output, result.output
