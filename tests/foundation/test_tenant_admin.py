"""Tenant admin pages: who may use them, role changes, removal, and the last admin rule."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.audit import AuditEntry
from core.db import db
from tenants.models import Membership, TenantRole
from tests.conftest import sign_in

ADMIN_GETS = ["/t/asker/admin/members", "/t/asker/admin/sign-in", "/t/asker/admin/audit"]


@pytest.fixture
def tenant(make):
    return make.tenant("asker", "Asker kommune")


@pytest.fixture
def admin(make, tenant):
    return make.user("admin@asker.test", tenant=tenant, role="admin")


def membership_id(app, user) -> str:
    with app.app_context():
        return str(db.session.execute(select(Membership.id).where(Membership.user_id == user.id)).scalar_one())


def role(app, user) -> TenantRole | None:
    with app.app_context():
        return db.session.execute(select(Membership.role).where(Membership.user_id == user.id)).scalar_one_or_none()


@pytest.mark.parametrize("member_role", ["officer", "member", "viewer"])
def test_admin_pages_are_403_for_members_without_the_admin_role(app, client, make, tenant, admin, member_role):
    member = make.user(f"{member_role}@asker.test", tenant=tenant, role=member_role)
    sign_in(client, member)
    assert client.get("/t/asker/").status_code == 200
    for path in ADMIN_GETS:
        assert client.get(path).status_code == 403, path
    target = membership_id(app, admin)
    assert client.post(f"/t/asker/admin/members/{target}/role", data={"role": "viewer"}).status_code == 403
    assert client.post(f"/t/asker/admin/members/{target}/remove").status_code == 403
    assert client.post("/t/asker/admin/members/invite", data={"email": "x@y.no", "role": "admin"}).status_code == 403
    assert client.post("/t/asker/admin/sign-in", data={"issuer": "https://x.example"}).status_code == 403
    assert role(app, admin) == TenantRole.admin


def test_admin_pages_are_404_for_non_members(client, make, tenant, admin):
    other = make.tenant("baerum")
    sign_in(client, make.user("admin@baerum.test", tenant=other, role="admin"))
    for path in ["/t/asker/", *ADMIN_GETS]:
        assert client.get(path).status_code == 404, path


def test_admin_pages_work_for_the_admin(client, admin):
    sign_in(client, admin)
    for path in ADMIN_GETS:
        assert client.get(path).status_code == 200, path
    assert "membership.created" in client.get("/t/asker/admin/audit").get_data(as_text=True)


def test_admin_changes_a_role_and_it_is_audited(app, client, make, tenant, admin):
    member = make.user("kari@asker.test", tenant=tenant, role="member")
    sign_in(client, admin)
    response = client.post(f"/t/asker/admin/members/{membership_id(app, member)}/role", data={"role": "officer"})
    assert response.status_code == 302
    assert role(app, member) == TenantRole.officer
    with app.app_context():
        entry = db.session.execute(
            select(AuditEntry).where(AuditEntry.action == "membership.role_changed")).scalar_one()
        assert entry.actor_label == admin.email
        assert entry.changes == {"before": {"role": "member"}, "after": {"role": "officer"}}


def test_an_unknown_role_is_refused(app, client, make, tenant, admin):
    member = make.user("kari@asker.test", tenant=tenant, role="member")
    sign_in(client, admin)
    response = client.post(f"/t/asker/admin/members/{membership_id(app, member)}/role", data={"role": "king"})
    assert response.status_code == 422
    assert role(app, member) == TenantRole.member


def test_admin_removes_a_member(app, client, make, tenant, admin):
    member = make.user("kari@asker.test", tenant=tenant, role="member")
    sign_in(client, admin)
    assert client.post(f"/t/asker/admin/members/{membership_id(app, member)}/remove").status_code == 302
    assert role(app, member) is None
    removed = app.test_client()
    sign_in(removed, member)
    assert removed.get("/t/asker/").status_code == 404


def test_the_last_admin_can_be_neither_demoted_nor_removed(app, client, admin):
    sign_in(client, admin)
    own = membership_id(app, admin)
    response = client.post(f"/t/asker/admin/members/{own}/role", data={"role": "member"})
    assert response.status_code == 409
    assert 'class="error-summary"' in response.get_data(as_text=True)
    assert client.post(f"/t/asker/admin/members/{own}/remove").status_code == 409
    assert role(app, admin) == TenantRole.admin


def test_with_two_admins_one_may_step_down(app, client, make, tenant, admin):
    make.user("second@asker.test", tenant=tenant, role="admin")
    sign_in(client, admin)
    assert client.post(f"/t/asker/admin/members/{membership_id(app, admin)}/role",
                       data={"role": "officer"}).status_code == 302
    assert role(app, admin) == TenantRole.officer
    assert client.get("/t/asker/admin/members").status_code == 403  # the new role applies at once
