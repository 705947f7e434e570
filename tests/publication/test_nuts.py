"""The county-to-NUTS table: every county of the 2024 county structure (15) maps to its own NUTS-3
code, and every code is one the eForms SDK's NUTS codelist accepts (the list its schematron checks
`cbc:CountrySubentityCode` against, rule BR-BT-00507-0208). The review body (KOFA, Bergen) is in
Vestland."""

from __future__ import annotations

import re

from core.publication.eforms.notice_data import REVIEW_BODY
from core.publication.notices import COUNTY_NUTS
from tests.publication.conftest import STANDARDS

# The 2024 counties by number (SSB): Viken, Vestfold og Telemark and Troms og Finnmark split again.
COUNTIES_2024 = {"03": "Oslo", "11": "Rogaland", "15": "Møre og Romsdal", "18": "Nordland", "31": "Østfold",
                 "32": "Akershus", "33": "Buskerud", "34": "Innlandet", "39": "Vestfold", "40": "Telemark",
                 "42": "Agder", "46": "Vestland", "50": "Trøndelag", "55": "Troms", "56": "Finnmark"}


def sdk_nuts_codes() -> set[str]:
    """The Norwegian codes of the SDK's NUTS codelist, read from the schematron rule that checks it."""
    text = (STANDARDS / "eforms-sdk-1.14.2" / "schematrons" / "static" / "validation-stage-3b.sch").read_text(
        encoding="utf-8")
    rule = next(line for line in text.splitlines() if 'id="BR-BT-00507-0208"' in line)
    return set(re.findall(r"'(NO[0-9A-Z]{3})'", rule))


def test_every_county_maps_to_a_code_of_the_sdk_codelist():
    codes = sdk_nuts_codes()
    assert "NO084" in codes and len(codes) >= 15  # the rule was found and read
    assert set(COUNTY_NUTS) == set(COUNTIES_2024)
    for county, code in COUNTY_NUTS.items():
        assert code in codes, (COUNTIES_2024[county], code)
    assert len(set(COUNTY_NUTS.values())) == 15  # one code per county
    # Jan Mayen, Svalbard and "extra-regio" are no county's code.
    assert not {"NO0B1", "NO0B2", "NOZZZ"} & set(COUNTY_NUTS.values())
    # Every code of the list but those three is some county's: no county is left out.
    assert codes - {"NO0B1", "NO0B2", "NOZZZ"} == set(COUNTY_NUTS.values())


def test_known_counties_have_their_codes():
    expected = {"03": "NO081", "32": "NO084", "39": "NO093", "40": "NO094", "42": "NO092", "46": "NO0A2",
                "55": "NO072", "56": "NO073"}
    assert {county: COUNTY_NUTS[county] for county in expected} == expected
    assert REVIEW_BODY.nuts == COUNTY_NUTS["46"]  # KOFA sits in Bergen
