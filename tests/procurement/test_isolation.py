"""A municipality outside a procurement gets 404 on the procurement, every sub-resource and
every attachment — through the API and through its own tenant pages — and so does one that
left. Every route of the procurement domain with a `procurement_id` is visited."""

from __future__ import annotations

import io

import pytest

from tests.procurement.test_attachments import PDF

OWN_BLUEPRINTS = ("procurements_api", "procurement_group_api", "procurement.", "procurement_gates.",
                  "procurement_group.", "procurement_needs.", "library_api")


@pytest.fixture
def joint(world):
    procurement = world.joint(role="buyer")
    pid = procurement["id"]
    api = world.api("baerum")
    need = api.post(f"/api/v1/procurements/{pid}/needs", json={"statement": "Safer nights", "source": "interview"}).json
    attachment = api.post(f"/api/v1/procurements/{pid}/attachments",
                          data={"file": (io.BytesIO(PDF), "evidence.pdf"), "need_id": need["id"]},
                          content_type="multipart/form-data").json
    return {"procurement_id": pid, "need_id": need["id"], "attachment_id": attachment["id"]}


def _routes(app):
    for rule in app.url_map.iter_rules():
        if "procurement_id" not in rule.arguments or not rule.endpoint.startswith(OWN_BLUEPRINTS):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


# Bodies that pass the API's shape checks, so the answer comes from the access rules.
ZERO = "00000000-0000-0000-0000-000000000000"
BODIES = {
    "/participants": {"tenant": "asker", "role": "buyer"}, "/lead": {"tenant": "asker"},
    "/project-group": {"email": "x@example.no", "role": "member"}, "/project-group/remove": {"user_id": ZERO},
    "/needs/order": {"order": []}, "/needs/import": {"template_version": ZERO},
    "/gates": {"item": "core-mandate", "action": "done"}, "/lessons": {"title": "x", "body": "y"},
    "/publish-template": {}, "/transition": {}, "": {"version": 1},
}


def _visit(client, rule, method, values, headers=None):
    path = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
    kwargs = {"headers": headers or {}}
    if method in ("POST", "PUT", "PATCH"):
        if path.startswith("/api/"):
            suffix = path.split(values["procurement_id"], 1)[1]
            kwargs["json"] = BODIES.get(suffix, {})
        else:
            kwargs["data"] = {}
    return getattr(client, method.lower())(path, **kwargs), path


def _assert_all_404(app, client, values, headers=None, slug="drammen"):
    checked = 0
    for rule, method in _routes(app):
        if not rule.rule.startswith("/api/") and headers:
            continue
        if rule.rule.startswith("/api/") and not headers:
            continue
        response, path = _visit(client, rule, method, {**values, "slug": slug}, headers)
        assert response.status_code == 404, (method, path, response.status_code, response.get_data(as_text=True)[:200])
        checked += 1
    return checked


def test_non_participant_gets_404_everywhere(app, world, joint):
    api = world.api("drammen", "admin")
    assert _assert_all_404(app, api.client, joint, api.headers) >= 25
    browser = world.browser("drammen", "admin")
    assert _assert_all_404(app, browser, joint) >= 20
    assert api.get("/api/v1/tenants/drammen/procurements").json["items"] == []


def test_tenant_that_left_gets_404_everywhere(app, world, joint):
    pid = joint["procurement_id"]
    assert world.api("asker").get(f"/api/v1/procurements/{pid}/attachments/{joint['attachment_id']}").status_code == 200
    assert world.api("asker").post(f"/api/v1/procurements/{pid}/participants/asker/leave").status_code == 200
    api = world.api("asker", "admin")
    _assert_all_404(app, api.client, joint, api.headers, slug="asker")
    _assert_all_404(app, world.browser("asker", "admin"), joint, slug="asker")


def test_tenant_page_scope_counts_only_that_tenant(world, joint, make):
    """A person in both Asker and Drammen sees the procurement under /t/asker/, not /t/drammen/."""
    both = world.user("asker", "officer")
    make.user(both.email, tenant=world.tenant("drammen"), role="officer")
    browser = world.browser("asker", "officer")
    pid = joint["procurement_id"]
    assert browser.get(f"/t/asker/procurements/{pid}/").status_code == 200
    assert browser.get(f"/t/drammen/procurements/{pid}/").status_code == 404
    assert browser.get(f"/t/drammen/procurements/{pid}/attachments/{joint['attachment_id']}").status_code == 404


def test_ids_of_one_procurement_do_not_open_another(world, joint):
    other = world.procurement("drammen")["id"]
    api = world.api("drammen")
    assert api.get(f"/api/v1/procurements/{other}/needs/{joint['need_id']}").status_code == 404
    assert api.get(f"/api/v1/procurements/{other}/attachments/{joint['attachment_id']}").status_code == 404
    browser = world.browser("drammen")
    assert browser.get(f"/t/drammen/procurements/{other}/attachments/{joint['attachment_id']}").status_code == 404
