"""Prior information notices of the joint procurement: built from its data, validated by XSD and
schematron before they are stored, every buyer named; failures answer 422 with the rules."""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from sqlalchemy import func, select

from core.db import db
from core.publication.eforms.ubl import NS
from core.publication.models import Notice
from tests.publication.conftest import ASKER, BAERUM


def notices_url(w) -> str:
    return f"/api/v1/procurements/{w.pid}/notices"


def stored(w) -> int:
    with w.app.app_context():
        return db.session.execute(select(func.count()).select_from(Notice)).scalar_one()


def test_joint_prior_information_notice_passes_and_names_every_buyer(joint, eforms):
    r = joint.api("post", notices_url(joint), joint.officer_token, json={"kind": "prior-information"})
    assert r.status_code == 201, r.get_data(as_text=True)
    body = r.get_json()
    assert body["subtype"] == "4"  # 48 MNOK: above the EEA threshold, "for information only"
    assert body["validation"]["valid"] and body["validation"]["failed_assertions"] == 0
    assert body["validation"]["xsd_errors"] == 0
    assert body["doffin"]["status"] == "manual"  # no Doffin settings: downloaded for manual upload

    xml = joint.api("get", f"/api/v1/notices/{body['id']}", joint.officer_token,
                    headers={"Accept": "application/xml"})
    assert xml.status_code == 200 and xml.mimetype == "application/xml"
    document = etree.fromstring(xml.data)
    names = document.xpath("//efac:Organization/efac:Company/cac:PartyName/cbc:Name/text()", namespaces=NS)
    numbers = document.xpath("//efac:Organization/efac:Company/cac:PartyLegalEntity/cbc:CompanyID/text()",
                             namespaces=NS)
    assert {"BÆRUM KOMMUNE", "ASKER KOMMUNE"} <= set(names)  # names from the register
    assert {BAERUM, ASKER} <= set(numbers)
    parties = document.xpath("/*/cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID/text()",
                             namespaces=NS)
    assert len(parties) == 2  # both buyers are contracting parties (FOA § 26-1 (3))
    assert document.xpath("//cac:MainCommodityClassification/cbc:ItemClassificationCode/text()",
                          namespaces=NS)[0] == "48000000"
    assert eforms.validate(xml.data).valid

    listed = joint.api("get", notices_url(joint), joint.asker_member_token).get_json()["items"]
    assert [n["id"] for n in listed] == [body["id"]]


def test_below_the_eea_threshold_the_national_variant_e2_is_made(joint, eforms):
    def lower():
        from core.procurement.models import Procurement
        db.session.get(Procurement, joint.pid).estimated_value_ore = 90_000_000

    joint.in_system(lower)
    r = joint.api("post", notices_url(joint), joint.officer_token, json={"kind": "prior-information"})
    assert r.status_code == 201, r.get_data(as_text=True)
    assert r.get_json()["subtype"] == "E2"
    assert r.get_json()["validation"]["failed_assertions"] == 0


def test_a_notice_failing_the_rules_is_refused_with_rule_ids_and_not_stored(joint, eforms):
    def no_phone():
        from core.procurement.models import Procurement
        db.session.get(Procurement, joint.pid).extension = {}

    joint.in_system(no_phone)
    r = joint.api("post", notices_url(joint), joint.officer_token, json={"kind": "prior-information"})
    assert r.status_code == 422 and r.mimetype == "application/problem+json"
    rules = {f["rule"] for f in r.get_json()["failures"]}
    assert "BR-BT-00503-0007" in rules  # a buyer's telephone is mandatory in subtype 4
    assert all(f["message"] for f in r.get_json()["failures"])
    assert stored(joint) == 0


def test_missing_data_is_named_before_any_xml_is_made(joint, eforms):
    def strip():
        from core.procurement.models import Procurement
        db.session.get(Procurement, joint.pid).cpv_codes = []

    joint.in_system(strip)
    r = joint.api("post", notices_url(joint), joint.officer_token, json={"kind": "prior-information"})
    assert r.status_code == 422 and "cpv_codes" in r.get_json()["errors"]
    r = joint.api("post", notices_url(joint), joint.officer_token, json={"kind": "nonsense"})
    assert r.status_code == 422
    r = joint.api("post", notices_url(joint), joint.officer_token, json={"kind": "award"})
    assert r.status_code == 422 and "cpv_codes" in r.get_json()["errors"]  # the common data is checked first
    assert stored(joint) == 0


def test_without_the_review_body_setting_the_notice_names_it(joint, configured):
    """KOFA's organisation number is an operator setting (the standards copies give none): without
    it a notice at or above the EEA threshold answers 422 naming the setting, before any
    schematron runs; the national variants (no review body) are not affected."""
    configured.config.pop("SAMSPILL_REVIEW_BODY_ORG_NUMBER")
    r = joint.api("post", notices_url(joint), joint.officer_token, json={"kind": "prior-information"})
    assert r.status_code == 422 and r.mimetype == "application/problem+json", r.get_data(as_text=True)
    assert "SAMSPILL_REVIEW_BODY_ORG_NUMBER" in r.get_json()["errors"]["review_body"][0]
    assert stored(joint) == 0


def test_other_tenants_and_suppliers_see_no_notices(joint, eforms):
    made = joint.api("post", notices_url(joint), joint.officer_token, json={"kind": "prior-information"})
    notice_id = made.get_json()["id"]
    for token in (joint.outsider_token, joint.a):
        assert joint.api("get", notices_url(joint), token).status_code == 404
        assert joint.api("get", f"/api/v1/notices/{notice_id}", token).status_code == 404
        assert joint.api("post", notices_url(joint), token, json={"kind": "prior-information"}).status_code == 404


def test_compile_eforms_prepares_the_phases_of_the_subtypes_samspill_makes(configured, runner, eforms):
    """`samspill publication compile-eforms` leaves a compiled validator in the cache for each
    subtype the builders make (those the tests have used are already there: no work twice)."""
    result = runner.invoke(args=["publication", "compile-eforms"])
    assert result.exit_code == 0, result.output
    lines = [line.split(": ", 1) for line in result.output.strip().splitlines()]
    assert [phase for phase, _path in lines] == [f"eforms-{s}" for s in ("4", "E2", "16", "E3", "29", "E4")]
    assert all(Path(path).is_file() for _phase, path in lines)
