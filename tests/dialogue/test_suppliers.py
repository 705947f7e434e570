"""Supplier organisations: org numbers, sign-up with email confirmation, members, the CLI."""

from __future__ import annotations

import re

from sqlalchemy import select

from core.db import db
from tests.conftest import PASSWORD


def test_cli_creates_supplier_and_rejects_bad_org_number(runner, app):
    result = runner.invoke(args=["suppliers", "create", "915345727", "--name", "Trygg Teknologi AS",
                                 "--user", "post@trygg.test"])
    assert result.exit_code == 0, result.output
    bad = runner.invoke(args=["suppliers", "create", "915345728", "--name", "X", "--user", "x@x.test"])
    assert bad.exit_code != 0 and "organisation number" in bad.output
    again = runner.invoke(args=["suppliers", "create", "915345727", "--name", "Again", "--user", "y@y.test"])
    assert again.exit_code != 0 and "already registered" in again.output
    from core.suppliers.models import SupplierMember, SupplierOrganisation

    with app.app_context():
        org = db.session.execute(select(SupplierOrganisation)).scalar_one()
        member = db.session.execute(select(SupplierMember)).scalar_one()
        facts = (org.org_number, member.role.value, member.user.email)
        assert facts == ("915345727", "supplier_admin", "post@trygg.test")


def test_api_me_shows_supplier(world):
    r = world.api("get", "/api/v1/me", world.a)
    assert r.json["supplier"]["org_number"] == "915345727"
    assert r.json["supplier"]["role"] == "supplier_admin"
    assert world.api("get", "/api/v1/me", world.officer_token).json["supplier"] is None


def _mail_link(app, pattern: str) -> str:
    from core.notifications.models import OutboxMessage

    with app.app_context():
        bodies = [m.body for m in db.session.execute(select(OutboxMessage)).scalars()]
    for body in bodies:
        match = re.search(pattern, body)
        if match:
            return match.group(0)
    raise AssertionError(f"no mail matches {pattern}: {bodies}")


def test_sign_up_needs_email_confirmation(client, app, make, world):
    page = client.post("/supplier/signup", data={"org_number": "974 760 673", "org_name": "Ny Leverandør AS"})
    assert page.status_code == 422  # the number is taken by the world's third supplier
    response = client.post("/supplier/signup", data={
        "org_number": "921234554", "org_name": "Ny Leverandør AS", "name": "Kari", "email": "kari@ny.test",
        "password": PASSWORD, "confirm_password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    # Signed in but unconfirmed: supplier actions are refused.
    world.api("post", f"/api/v1/procurements/{world.pid}/dialogue/open", world.officer_token)
    assert client.post(f"/supplier/dialogues/{world.pid}/register").status_code == 403
    link = _mail_link(app, r"http://[^\s]+/supplier/verify/[^\s]+")
    assert client.get(link.split("samspill.test", 1)[1]).status_code == 302
    assert client.post(f"/supplier/dialogues/{world.pid}/register").status_code == 302
    # The mail really left through the development transport (an .eml file in the instance folder).
    from pathlib import Path

    assert any(Path(app.instance_path, "mail").glob("*.eml"))


def test_sign_up_rejects_invalid_org_number(client):
    response = client.post("/supplier/signup", data={
        "org_number": "123456789", "org_name": "X AS", "email": "x@x.test",
        "password": PASSWORD, "confirm_password": PASSWORD})
    assert response.status_code == 422
    assert 'id="f-org_number-error"' in response.get_data(as_text=True)


def test_sign_up_reports_every_error_at_once(client, world):
    """One submit shows every problem: each next to its field and, in page order, in the summary."""
    response = client.post("/supplier/signup", data={
        "org_number": "123456789", "org_name": "", "email": "ikke-en-adresse", "password": "kort",
        "confirm_password": "annet"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    fields = ["org_number", "org_name", "email", "password", "confirm_password"]
    for name in fields:
        assert f'id="f-{name}-error"' in html, name
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert re.findall(r'href="#f-([a-z_]+)"', summary) == fields
    # Taken number and taken address together: both reported, nothing written.
    response = client.post("/supplier/signup", data={
        "org_number": "974 760 673", "org_name": "Ny AS", "email": world.a_user.email, "password": PASSWORD,
        "confirm_password": PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="f-org_number-error"' in html and 'id="f-email-error"' in html
    assert 'id="f-password-error"' not in html


def test_admin_adds_member_who_sets_password(client, app, world):
    world.login(world.a_user, client)
    added = client.post("/supplier/members", data={"email": "ola@trygg.test", "role": "supplier_user"})
    assert added.status_code == 302
    link = _mail_link(app, r"http://[^\s]+/supplier/welcome/[^\s]+")
    client.post("/signout")
    path = link.split("samspill.test", 1)[1]
    assert client.post(path, data={"password": PASSWORD + "x", "confirm_password": PASSWORD + "x"}).status_code == 302
    me = client.get("/supplier/").get_data(as_text=True)
    assert "Trygg Teknologi AS" in me
    # A plain supplier_user cannot manage members; another supplier's person cannot be added.
    assert client.post("/supplier/members", data={"email": "z@trygg.test", "role": "supplier_user"}).status_code == 403
    client.post("/signout")
    world.login(world.a_user, client)
    taken = client.post("/supplier/members", data={"email": "post@omsorg.test", "role": "supplier_user"})
    assert taken.status_code == 422


def test_last_admin_cannot_leave(client, app, world):
    from core.suppliers.models import SupplierMember

    world.login(world.a_user, client)
    with app.app_context():
        member = db.session.execute(
            select(SupplierMember).where(SupplierMember.user_id == world.a_user.id)).scalar_one()
    assert client.post(f"/supplier/members/{member.id}/remove").status_code == 409
