"""The demo's joint procurement "Tryggere hverdag": its prior information notice passes XSD and
schematron with 0 failed assertions and names Asker and Bærum; its OCDS validates."""

from __future__ import annotations

from lxml import etree
from sqlalchemy import select

from core import isolation
from core.db import db
from core.publication.eforms.ubl import NS


def test_demo_joint_procurement_notice_names_asker_and_baerum(configured, runner, client, make, eforms, monkeypatch):
    monkeypatch.setenv("SAMSPILL_DEMO_PASSWORD", "demo-password-long")
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # idempotent
    from core.identity import service as identity
    from core.procurement.models import Procurement

    with configured.app_context(), isolation.system_scope():
        token = make.token(identity.find_user_by_email("officer@baerum.demo"))
        pid = db.session.execute(select(Procurement.id).where(Procurement.title == "Tryggere hverdag")).scalar_one()
    headers = {"Authorization": f"Bearer {token}"}
    procurement = {"id": pid}
    r = client.post(f"/api/v1/procurements/{procurement['id']}/notices", headers=headers,
                    json={"kind": "prior-information"})
    assert r.status_code == 201, r.get_data(as_text=True)
    notice = r.get_json()
    assert notice["subtype"] == "4"
    assert notice["validation"]["failed_assertions"] == 0 and notice["validation"]["xsd_errors"] == 0
    xml = client.get(f"/api/v1/notices/{notice['id']}", headers={**headers, "Accept": "application/xml"}).data
    names = etree.fromstring(xml).xpath("//efac:Company/cac:PartyName/cbc:Name/text()", namespaces=NS)
    assert "ASKER KOMMUNE" in names and "BÆRUM KOMMUNE" in names
    package = client.get(f"/api/v1/procurements/{procurement['id']}/ocds").get_json()
    assert {p["identifier"]["id"] for p in package["releases"][0]["parties"]} == {"935478715", "964967636"}
