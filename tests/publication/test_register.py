"""Enhetsregisteret at tenant creation and supplier sign-up, against a stand-in over HTTP:
the register's name is used, bankruptcy is shown to the buyer, and an unreachable register
lets sign-up proceed as "not verified" until `samspill publication recheck-register`."""

from __future__ import annotations

from sqlalchemy import select

from core import isolation
from core.db import db
from core.publication.models import RegisterCheck
from core.suppliers.models import SupplierOrganisation
from tenants.models import Tenant

SUPPLIER = "920000002"


def check_of(app, number):
    with app.app_context(), isolation.system_scope():
        return db.session.execute(select(RegisterCheck).where(RegisterCheck.org_number == number)).scalar_one()


def test_tenant_creation_takes_the_registers_name(app, runner, brreg_server):
    app.config["SAMSPILL_BRREG_URL"] = brreg_server.url
    result = runner.invoke(args=["tenants", "create", "baerum", "--name", "Baerum", "--org-number", "935478715"])
    assert result.exit_code == 0, result.output
    with app.app_context(), isolation.system_scope():
        assert db.session.execute(select(Tenant.name).where(Tenant.slug == "baerum")).scalar_one() == "BÆRUM KOMMUNE"
    check = check_of(app, "935478715")
    assert check.status.value == "active" and check.postal_zone == "1304" and check.municipality_number == "3201"


def test_bankrupt_supplier_is_marked_and_shown_to_the_buyer(joint, brreg_server):
    w = joint
    brreg_server.add(SUPPLIER, "KONKURS AS", konkurs=True)
    bankrupt_user = w.supplier(SUPPLIER, "Konkurs-navn fra skjema", "post@konkurs.test")
    with w.app.app_context(), isolation.system_scope():
        org = db.session.execute(select(SupplierOrganisation).where(
            SupplierOrganisation.org_number == SUPPLIER)).scalar_one()
        assert org.name == "KONKURS AS"
    assert check_of(w.app, SUPPLIER).status.value == "bankrupt"
    w.api("post", f"/api/v1/procurements/{w.pid}/dialogue/open", w.officer_token)
    token = w.make.token(bankrupt_user)
    assert w.api("post", f"/api/v1/procurements/{w.pid}/registrations", token).status_code == 201
    # The buyer sees the standing of the buyers and of the suppliers in its dialogue.
    page = w.login(w.officer).get(f"/t/baerum/procurements/{w.pid}/publication")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'data-org="964967636"' in html
    assert f'data-org="{SUPPLIER}" data-register-status="bankrupt"' in html


def test_unreachable_register_marks_not_verified_and_the_job_checks_again(joint, brreg_server):
    w = joint
    brreg_server.down = True
    brreg_server.add(SUPPLIER, "TRYGG TEKNOLOGI AS")
    w.supplier(SUPPLIER, "Trygg Teknologi", "post@trygg2.test")  # sign-up proceeds
    assert check_of(w.app, SUPPLIER).status.value == "not_verified"
    brreg_server.down = False
    result = w.app.test_cli_runner().invoke(args=["publication", "recheck-register"])
    assert result.exit_code == 0 and "verified 1" in result.output, result.output
    assert check_of(w.app, SUPPLIER).status.value == "active"
    with w.app.app_context(), isolation.system_scope():
        assert db.session.execute(select(SupplierOrganisation.name).where(
            SupplierOrganisation.org_number == SUPPLIER)).scalar_one() == "TRYGG TEKNOLOGI AS"


def test_unknown_and_deleted_numbers_are_flagged(app, brreg_server):
    from core.publication import register

    app.config["SAMSPILL_BRREG_URL"] = brreg_server.url
    brreg_server.add("920000010", "BORTE AS", slettedato="2024-01-31")
    with app.app_context(), isolation.system_scope():
        assert register.check("920000010").status.value == "deleted"
        assert register.check("920000029").status.value == "unknown"
        db.session.commit()
