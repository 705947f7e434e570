"""The eForms validator against the SDK's own examples: the valid ones pass XSD and schematron,
the `INVALID_` ones fail; the compiled schematron comes from the cache, not a new compilation."""

from __future__ import annotations

import os

import pytest

from tests.publication.conftest import STANDARDS

EXAMPLES = STANDARDS / "eforms-sdk-1.14.2" / "examples"
ALL_VALID = sorted(p.name for p in EXAMPLES.glob("*.xml") if not p.name.startswith("INVALID_"))
# The subtypes Samspill makes (4, E2 now; 16, 29 through the competition and award domains): each
# subtype's phase costs a compilation once per machine and a load of seconds per test process.
# SAMSPILL_TEST_ALL_EFORMS=1 checks all 14 valid examples (10 phases).
REPRESENTATIVE = ["pin-only_24.xml", "pin-only_24_lots.xml", "pin-only_24_maximal.xml", "E2_minimal.xml",
                  "cn_24_minimal.xml", "cn_24_maximal.xml", "cn_24_open.xml", "can_24_minimal.xml",
                  "can_24_maximal.xml", "can_24_no_tenders.xml"]
VALID = ALL_VALID if os.environ.get("SAMSPILL_TEST_ALL_EFORMS") else REPRESENTATIVE


@pytest.mark.parametrize("name", VALID)
def test_valid_sdk_examples_pass_xsd_and_schematron(eforms, name):
    result = eforms.validate((EXAMPLES / name).read_bytes())
    assert result.xsd == [], result.xsd[:3]
    assert result.schematron == [], [f.rule for f in result.schematron][:10]


@pytest.mark.parametrize("name", ["INVALID_pin-only_24_minimal.xml", "INVALID_cn_24_empty.xml"])
def test_invalid_sdk_examples_fail_with_their_rules(eforms, name):
    result = eforms.validate((EXAMPLES / name).read_bytes())
    assert not result.valid
    assert result.xsd == []  # well-formed UBL: the business rules are what fails
    assert all(f.rule for f in result.schematron)
    expected = {"P-0002", "BR-BT-00005-0059" if "pin" in name else "BR-BT-00005-0022"}
    assert expected <= {f.rule for f in result.schematron}


def test_broken_xml_and_schema_errors_are_failures_not_exceptions(eforms):
    assert eforms.validate(b"<not-closed>").failures[0].rule == "XML"
    text = (EXAMPLES / "pin-only_24.xml").read_text(encoding="utf-8")
    result = eforms.validate(text.replace("<cbc:UBLVersionID>2.3</cbc:UBLVersionID>",
                                          "<cbc:Nonsense>2.3</cbc:Nonsense>").encode())
    assert result.xsd and result.xsd[0].rule == "XSD"


def test_the_compiled_schematron_is_cached_by_sdk_content_and_phase(eforms):
    path = eforms.compiled_path("eforms-4")
    assert path.exists() and eforms.sdk_dir.name in path.name and path.name.endswith("-eforms-4.xsl")
    mtime = path.stat().st_mtime
    again = type(eforms)(eforms.sdk_dir, eforms.schxslt_dir, eforms.cache_dir)
    assert again.compiled_path("eforms-4") == path
    assert path.stat().st_mtime == mtime  # read from the cache, not compiled again
