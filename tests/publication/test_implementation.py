"""The OCDS implementation stage of the demo's finished "Digitalt tilsyn": each signed contract's
option deadline and follow-up meetings held, and the benefit results of the buyers that share them
(Bærum) but not of one that does not (Asker); the package and record validate against OCDS 1.1.5
with 0 errors and the query count is the same for one measurement as for many. Signing a contract
and recording a shared measurement reach the open-data feed by themselves (no command)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from core import isolation
from core.competition.demo import timeline
from core.db import db, utcnow
from tests.publication.test_later_stages import demo  # noqa: F401 - the seeded demo fixture
from tests.publication.test_ocds import _validator, errors_of

PRIVATE = ("Leverandøren la fram", "Kvartalsvis oppfølging", "Sensorer uten dekning", "Mobildekningen",
           "Driftsansvarlig", "Kommunalsjef helse og omsorg", "Uttrekk fra fagsystem")


@pytest.fixture
def followed_up(demo, configured, runner):  # noqa: F811
    """The demo's "Digitalt tilsyn" follows up the KPIs of the welfare template "Tryggere hverdag"
    was started from: both buyers have baselines, targets, twelve measurements from their contract
    start and consent (seeding again changes nothing)."""
    from core.procurement.models import Procurement

    with configured.app_context(), isolation.system_scope():
        version = db.session.execute(select(Procurement.template_version_id).where(
            Procurement.title == "Tryggere hverdag")).scalar_one()
        assert version is not None and db.session.get(Procurement, demo["pid"]).template_version_id == version
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return demo


def _tenant(slug):
    from tenants.models import Tenant

    return db.session.execute(select(Tenant).where(Tenant.slug == slug)).scalar_one()


def _stop_sharing(app, slug):
    with app.app_context(), isolation.system_scope():
        _tenant(slug).share_benefit_results = False
        db.session.commit()


def _by_buyer(package):
    """{buyer name: the contract's entry in the implementation release}."""
    by_tag = {r["tag"][0]: r for r in package["releases"]}
    names = {c["id"]: c["title"].split(" – ")[0] for c in by_tag["contract"]["contracts"]}
    return {names[c["id"]]: c for c in by_tag["implementation"]["contracts"]}


def _kinds(contract):
    return [m["type"] for m in contract["implementation"]["milestones"]]


def test_implementation_has_the_sharing_buyers_results_only(followed_up, client, configured, count_queries):
    world = followed_up
    _stop_sharing(configured, "asker")
    url = f"/api/v1/procurements/{world['pid']}/ocds"
    with count_queries() as many:
        package = client.get(url).get_json()
    assert errors_of(_validator("release-package-schema.json"), package) == []
    contracts = _by_buyer(package)
    assert set(contracts) == {"Asker kommune", "Bærum kommune"}
    baerum, asker = contracts["Bærum kommune"], contracts["Asker kommune"]
    results = [m for m in baerum["implementation"]["milestones"] if m["type"] == "reporting"]
    assert len(results) == 6 and all(m["title"].startswith("Gevinst: ") for m in results)
    response = next(m for m in results if m["code"] == "alarm_response_time")
    last = timeline().month(11)  # the twelfth month from the contract start month
    assert response["description"] == ("Utgangsverdi 27,5 minutter; mål 15 minutter; "
                                       f"siste måling 12,6 minutter ({last.month:02d}.{last.year}).")
    assert response["status"] == "met" and response["dateModified"].startswith(last.isoformat())
    assert "reporting" not in _kinds(asker)  # Asker does not share its results
    for contract in (baerum, asker):  # both: the option deadline and the meeting held (its date only)
        assert {"approval", "assessment"} <= set(_kinds(contract))
        meeting = next(m for m in contract["implementation"]["milestones"] if m["type"] == "assessment")
        held_on = timeline().month(10) + timedelta(days=14)  # ten months into the contract
        assert meeting["dateMet"].startswith(held_on.isoformat()) and meeting["status"] == "met"
    text = json.dumps(package, ensure_ascii=False)
    assert not any(private in text for private in PRIVATE)

    record = client.get(f"{url}/record").get_json()
    assert errors_of(_validator("record-package-schema.json"), record) == []
    compiled = {c["id"]: c for c in record["records"][0]["compiledRelease"]["contracts"]}
    assert all(c.get("dateSigned") and c["implementation"]["milestones"] for c in compiled.values())

    # One measurement per KPI instead of twelve: the same number of queries.
    from core.benefits.models import Measurement

    with configured.app_context(), isolation.system_scope():
        latest = select(func.max(Measurement.period)).scalar_subquery()
        db.session.execute(delete(Measurement).where(Measurement.period < latest))
        db.session.commit()
    with count_queries() as one:
        again = client.get(url).get_json()
    # 24 measured: the 20 of the other stages + meetings, results, KPI definitions, the lead's plugins
    assert one.count == many.count <= 24, (one.count, many.count)
    assert len([m for m in _by_buyer(again)["Bærum kommune"]["implementation"]["milestones"]
                if m["type"] == "reporting"]) == 6


def _feed_contracts(client, ocid, tag):
    page = client.get("/api/v1/ocds/releases?limit=100").get_json()
    return [c for r in page["releases"] if r["ocid"] == ocid and r["tag"] == [tag] for c in r["contracts"]]


def test_signing_a_contract_publishes_its_release_without_the_command(demo, client, configured, make):  # noqa: F811
    from core.award.models import Contract
    from core.identity import service as identity

    ocid = client.get(f"/api/v1/procurements/{demo['pid']}/ocds").get_json()["releases"][0]["ocid"]
    with configured.app_context(), isolation.system_scope():
        asker = _tenant("asker")
        contract = db.session.execute(select(Contract).where(
            Contract.procurement_id == demo["pid"], Contract.tenant_id == asker.id)).scalar_one()
        contract_id, asker_org = contract.id, asker.org_number
        token = make.token(identity.find_user_by_email("officer@asker.demo"))
    headers = {"Authorization": f"Bearer {token}"}
    day = (utcnow() - timedelta(days=1)).date().isoformat()

    def asker_signed_on():
        return {c["dateSigned"][:10] for c in _feed_contracts(client, ocid, "contract") if asker_org in c["id"]}

    r = client.patch(f"/api/v1/contracts/{contract_id}", headers=headers, json={"signed_on": None})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert day not in asker_signed_on()
    r = client.patch(f"/api/v1/contracts/{contract_id}", headers=headers, json={"signed_on": day})
    assert r.status_code == 200, r.get_data(as_text=True)
    assert day in asker_signed_on()  # stored by the signature itself
    # The same state again stores nothing new (the release id hashes its content).
    before = len(client.get("/api/v1/ocds/releases?limit=100").get_json()["releases"])
    assert client.patch(f"/api/v1/contracts/{contract_id}", headers=headers, json={"signed_on": day}).status_code == 200
    assert len(client.get("/api/v1/ocds/releases?limit=100").get_json()["releases"]) == before


def test_a_shared_measurement_reaches_the_feed_by_itself(followed_up, client, configured, make):
    world = followed_up
    from core.identity import service as identity

    ocid = client.get(f"/api/v1/procurements/{world['pid']}/ocds").get_json()["releases"][0]["ocid"]
    with configured.app_context(), isolation.system_scope():
        token = make.token(identity.find_user_by_email("officer@baerum.demo"))
    headers = {"Authorization": f"Bearer {token}"}
    period = utcnow().strftime("%Y-%m")
    r = client.post(f"/api/v1/procurements/{world['pid']}/benefits/measurements", headers=headers,
                    json={"kpi_key": "alarm_response_time", "period": period, "value": "9,5"})
    assert r.status_code in (200, 201), r.get_data(as_text=True)
    texts = [m.get("description", "") for c in _feed_contracts(client, ocid, "implementation")
             for m in c["implementation"]["milestones"] if m.get("code") == "alarm_response_time"]
    assert any("siste måling 9,5" in t for t in texts), texts
