"""Fixtures for the procurement and library tests: three municipalities with people on demand,
API callers with bearer tokens, and a helper that makes a procurement through the API."""

from __future__ import annotations

import pytest

from tests.conftest import bearer, sign_in

NAMES = {"baerum": "Bærum kommune", "asker": "Asker kommune", "drammen": "Drammen kommune"}


class Api:
    """The JSON API as one person (bearer token)."""

    def __init__(self, client, token):
        self.client, self.headers = client, bearer(token)

    def get(self, path, **kw):
        return self.client.get(path, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def post(self, path, json=None, **kw):
        return self.client.post(path, json=json, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def patch(self, path, json=None, **kw):
        return self.client.patch(path, json=json, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def put(self, path, json=None, **kw):
        return self.client.put(path, json=json, headers={**self.headers, **kw.pop("headers", {})}, **kw)

    def delete(self, path, **kw):
        return self.client.delete(path, headers={**self.headers, **kw.pop("headers", {})}, **kw)


# A buyer accepts its invitation with its municipality's mandate (the award package records it).
MANDATE = {"decision_ref": "PS 12/26", "decided_on": "2026-09-01", "signatory": "Kommunedirektøren",
           "volume_nok": 1_500_000}


class World:
    def __init__(self, app, make):
        self.app, self.make = app, make
        self.tenants = {slug: make.tenant(slug, name) for slug, name in NAMES.items()}
        self._users, self._tokens = {}, {}

    def tenant(self, slug):
        return self.tenants[slug]

    def user(self, slug, role="officer"):
        key = (slug, role)
        if key not in self._users:
            self._users[key] = self.make.user(f"{role}@{slug}.test", tenant=self.tenants[slug], role=role)
        return self._users[key]

    def api(self, slug, role="officer"):
        key = (slug, role)
        if key not in self._tokens:
            self._tokens[key] = self.make.token(self.user(slug, role))
        return Api(self.app.test_client(), self._tokens[key])

    def browser(self, slug, role="officer"):
        client = self.app.test_client()
        sign_in(client, self.user(slug, role))
        return client

    def procurement(self, slug="baerum", role="officer", **fields):
        body = {"title": "Tryggere hverdag", **fields}
        response = self.api(slug, role).post(f"/api/v1/tenants/{slug}/procurements", json=body)
        assert response.status_code == 201, response.get_data(as_text=True)
        return response.json

    def joint(self, role="buyer", **fields):
        """A Bærum-led procurement with Asker taking part as `role`."""
        procurement = self.procurement(**fields)
        pid = procurement["id"]
        lead = self.api("baerum")
        invited = lead.post(f"/api/v1/procurements/{pid}/participants", json={"tenant": "asker", "role": role})
        assert invited.status_code == 201
        accepted = self.api("asker", "admin").post(f"/api/v1/procurements/{pid}/participants/asker/accept",
                                                   json=MANDATE if role == "buyer" else None)
        assert accepted.status_code == 200, accepted.get_data(as_text=True)
        return procurement


@pytest.fixture
def world(app, make):
    return World(app, make)
