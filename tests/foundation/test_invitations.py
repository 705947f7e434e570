"""Inviting a person by email: the link, accepting it (new or existing account), expiry, reuse."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db import db, utcnow
from core.identity.models import User
from tenants.models import Invitation, Membership, TenantRole
from tests.conftest import PASSWORD, sign_in

LINK = re.compile(r'id="invite-link">http://samspill\.test(/invite/[^<]+)<')


@pytest.fixture
def tenant(make):
    return make.tenant("asker", "Asker kommune")


@pytest.fixture
def admin_client(app, make, tenant):
    client = app.test_client()
    sign_in(client, make.user("admin@asker.test", tenant=tenant, role="admin"))
    return client


def invite(admin_client, email: str, role: str = "officer") -> str:
    response = admin_client.post("/t/asker/admin/members/invite", data={"email": email, "role": role})
    assert response.status_code == 200, response.get_data(as_text=True)
    return LINK.search(response.get_data(as_text=True)).group(1)


def role_of(app, email: str) -> TenantRole | None:
    with app.app_context():
        return db.session.execute(select(Membership.role).join(User, User.id == Membership.user_id)
                                  .where(User.email == email)).scalar_one_or_none()


def test_invitee_creates_an_account_from_the_link(app, admin_client):
    link = invite(admin_client, "New.Person@Asker.test", "officer")
    invitee = app.test_client()
    page = invitee.get(link)
    assert page.status_code == 200 and 'name="password"' in page.get_data(as_text=True)
    response = invitee.post(link, data={"name": "Nina Ny", "password": "a long new password",
                                        "confirm_password": "a long new password"})
    assert response.status_code == 302 and response.headers["Location"] == "/t/asker/"
    assert invitee.get("/t/asker/").status_code == 200
    assert role_of(app, "new.person@asker.test") == TenantRole.officer
    # The link is used up.
    assert app.test_client().get(link).status_code == 404
    assert app.test_client().post(link, data={"password": "x" * 20, "confirm_password": "x" * 20}).status_code == 404


def test_mistakes_on_the_invitation_page_are_shown_by_the_field(app, admin_client):
    link = invite(admin_client, "nina@asker.test")
    invitee = app.test_client()
    response = invitee.post(link, data={"password": "short", "confirm_password": "short"})
    assert response.status_code == 422 and 'id="f-password-error"' in response.get_data(as_text=True)
    response = invitee.post(link, data={"password": "a long new password", "confirm_password": "another one!!"})
    assert response.status_code == 422 and 'id="f-confirm_password-error"' in response.get_data(as_text=True)
    assert role_of(app, "nina@asker.test") is None
    with app.app_context():  # no half-made account
        assert db.session.execute(select(User).where(User.email == "nina@asker.test")).first() is None


def test_an_existing_person_signs_in_first_then_accepts(app, make, admin_client):
    person = make.user("ola@example.no")
    link = invite(admin_client, person.email, "viewer")
    browser = app.test_client()
    response = browser.post(link, data={})
    assert response.status_code == 302 and response.headers["Location"] == f"/signin?next={link}"
    response = browser.post("/signin", data={"email": person.email, "password": PASSWORD, "next": link})
    assert response.headers["Location"] == link
    assert browser.post(link, data={}).headers["Location"] == "/t/asker/"
    assert role_of(app, person.email) == TenantRole.viewer


def test_someone_else_cannot_accept_the_invitation(app, make, admin_client):
    link = invite(admin_client, "intended@asker.test")
    stranger = app.test_client()
    sign_in(stranger, make.user("stranger@example.no"))
    assert stranger.post(link, data={}).status_code == 404
    assert role_of(app, "stranger@example.no") is None
    assert app.test_client().get(link).status_code == 200  # still open for the right person


def test_expired_and_unknown_links_answer_404(app, admin_client):
    link = invite(admin_client, "late@asker.test")
    with app.app_context():
        invitation = db.session.execute(select(Invitation)).scalar_one()
        invitation.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    assert app.test_client().get(link).status_code == 404
    assert app.test_client().get("/invite/not-a-real-token").status_code == 404


def test_inviting_again_replaces_the_old_link(app, admin_client):
    first = invite(admin_client, "twice@asker.test", "viewer")
    second = invite(admin_client, "twice@asker.test", "member")
    assert app.test_client().get(first).status_code == 404
    assert app.test_client().get(second).status_code == 200


@pytest.mark.parametrize("form, field", [
    ({"email": "not-an-email", "role": "member"}, "email"),
    ({"email": "ok@asker.test", "role": "overlord"}, "role"),
    ({"email": "admin@asker.test", "role": "member"}, "email"),  # already a member
])
def test_invitation_mistakes_are_shown_by_the_field(app, admin_client, form, field):
    response = admin_client.post("/t/asker/admin/members/invite", data=form)
    assert response.status_code == 422
    assert f'id="f-{field}-error"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(select(Invitation)).first() is None
