"""Smoke: the app starts on a migrated database, health checks answer, sign-in works."""

from tests.conftest import bearer, sign_in


def test_health(client):
    assert client.get("/healthz").json == {"status": "ok"}
    assert client.get("/readyz").status_code == 200


def test_sign_in_and_dashboard(client, make):
    tenant = make.tenant("asker", "Asker kommune")
    user = make.user("officer@asker.test", tenant=tenant, role="officer")
    sign_in(client, user)
    page = client.get("/t/asker/")
    assert page.status_code == 200
    assert "Asker kommune" in page.get_data(as_text=True)


def test_api_me(client, make):
    tenant = make.tenant("asker", "Asker kommune")
    user = make.user(tenant=tenant, role="admin")
    token = make.token(user)
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.json["memberships"][0]["tenant"] == "asker"
