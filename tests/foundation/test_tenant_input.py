"""Tenant details: Norwegian organisation numbers (mod-11), slugs, duplicates."""

from __future__ import annotations

import pytest

from core.db import db
from core.errors import Conflict, ValidationError
from core.orgnumber import is_valid, normalise
from tenants import service


@pytest.mark.parametrize("number", ["974760673", "964967636", "935478715", "921234554", "974 760 673"])
def test_valid_organisation_numbers(number):
    assert is_valid(number)


@pytest.mark.parametrize("number", [
    "974760674",   # wrong check digit
    "123456789",   # wrong check digit
    "000000060",   # 6*2 = 12, remainder 1: the check digit would be 10, so no number is valid
    "97476067",    # eight digits
    "9747606733",  # ten digits
    "97476067a",   # not digits
    "",
])
def test_invalid_organisation_numbers(number):
    assert not is_valid(number)


def test_normalise_removes_spaces_only():
    assert normalise(" 974 760 673 ") == "974760673"


def test_check_digit_eleven_is_written_as_zero():
    # 3*1 + 2*4 = 11: remainder 0, check digit 11 - 0 = 11, written as 0
    assert is_valid("140000000") and not is_valid("140000001")


@pytest.mark.parametrize("fields, bad", [
    ({"slug": "asker", "name": "Asker", "org_number": "974760674"}, "org_number"),
    ({"slug": "Asker Kommune", "name": "Asker"}, "slug"),
    ({"slug": "-asker", "name": "Asker"}, "slug"),
    ({"slug": "supplier", "name": "Reserved"}, "slug"),
    ({"slug": "asker", "name": ""}, "name"),
    ({"slug": "asker", "name": "x" * 201}, "name"),
    ({"slug": "asker", "name": "Asker", "municipality_number": "32a3"}, "municipality_number"),
])
def test_invalid_tenant_details_name_the_field(app, fields, bad):
    with app.app_context(), pytest.raises(ValidationError) as raised:
        service.create_tenant(**fields)
    assert bad in raised.value.errors


def test_duplicate_slug_and_organisation_number_conflict(app, make):
    make.tenant("asker", "Asker")
    with app.app_context():
        with pytest.raises(Conflict) as raised:
            service.create_tenant("asker", "Another Asker")
        assert "slug" in raised.value.errors
        db.session.rollback()
        service.create_tenant("first", "First", "974760673")
        db.session.commit()
        with pytest.raises(Conflict) as raised:
            service.create_tenant("second", "Second", "974 760 673")
        assert "org_number" in raised.value.errors
