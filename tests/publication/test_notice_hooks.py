"""Later stages plug in their notices: a domain registers a builder for `contract` (or `award`)
through `samspill_notice_builders` and gets stage data through `samspill_notice_data`; the
notice goes through the same validation, storage and 422 as the prior information notice."""

from __future__ import annotations

from tests.conftest import add_internal_plugin
from tests.publication.conftest import STANDARDS

EXAMPLES = STANDARDS / "eforms-sdk-1.14.2" / "examples"


def test_a_contract_notice_from_a_domains_builder_is_validated_and_stored(joint, eforms):
    seen = {}

    def contract_builder(procurement, data):
        seen["buyers"] = [b.org_number for b in data.buyers]
        seen["extra"] = data.extra
        data.subtype = "16"
        # A competition domain would build this from its lots and deadlines; the SDK's valid
        # contract notice stands in for that output here.
        return (EXAMPLES / "cn_24_minimal.xml").read_bytes()

    add_internal_plugin(joint.app, "competition_stub",
                        samspill_notice_builders=lambda: {"contract": contract_builder},
                        samspill_notice_data=lambda procurement, kind: {"lots": 1} if kind == "contract" else None)
    r = joint.api("post", f"/api/v1/procurements/{joint.pid}/notices", joint.officer_token, json={"kind": "contract"})
    assert r.status_code == 201, r.get_data(as_text=True)
    assert r.get_json()["kind"] == "contract" and r.get_json()["subtype"] == "16"
    assert r.get_json()["validation"]["failed_assertions"] == 0
    assert seen == {"buyers": ["935478715", "964967636"], "extra": {"lots": 1}}


def test_an_invalid_award_notice_from_a_builder_is_refused_with_its_rules(joint, eforms):
    def award_builder(procurement, data):
        data.subtype = "16"
        return (EXAMPLES / "INVALID_cn_24_empty.xml").read_bytes()

    add_internal_plugin(joint.app, "award_stub", samspill_notice_builders=lambda: {"award": award_builder})
    r = joint.api("post", f"/api/v1/procurements/{joint.pid}/notices", joint.officer_token, json={"kind": "award"})
    assert r.status_code == 422
    rules = {f["rule"] for f in r.get_json()["failures"]}
    assert {"P-0002", "BR-BT-00005-0022"} <= rules
    assert joint.api("get", f"/api/v1/procurements/{joint.pid}/notices", joint.officer_token).get_json()["items"] == []
