"""Requirements through the API: at least one need, library picks, ETag rules, isolation, the
refusal once the competition is announced, and a bounded number of queries per list."""

from __future__ import annotations

from core.procurement.models import Phase, Procurement
from core.specification.models import Requirement
from tests.conftest import add_internal_plugin
from tests.specification.conftest import requirement


def test_requirement_needs_at_least_one_need(world, spec):
    api = world.api("baerum")
    for needs in ([], None):
        body = {"text": "Løsningen skal varsle.", "kind": "absolute"}
        if needs is not None:
            body["needs"] = needs
        response = api.post(f"{spec.base}/requirements", json=body)
        assert response.status_code == 422
        assert response.headers["Content-Type"].startswith("application/problem+json")
        assert "needs" in response.json["errors"]
    with world.app.app_context():
        assert Requirement.query.count() == 0


def test_requirement_rejects_a_need_of_another_procurement(world, spec):
    other = world.procurement(title="Annen")
    api = world.api("baerum")
    need = api.post(f"/api/v1/procurements/{other['id']}/needs",
                    json={"statement": "Annet behov", "source": "survey"}).json
    response = requirement(api, spec, needs=[need])
    assert response.status_code == 422 and "needs" in response.json["errors"]


def test_create_list_patch_delete_with_etag(world, spec):
    api = world.api("baerum")
    created = requirement(api, spec, title="Fallvarsling")
    assert created.status_code == 201, created.get_data(as_text=True)
    body = created.json
    assert body["source"] == "own" and body["ref"] == "K-001" and body["needs"] == [spec.needs[0]["id"]]
    listed = api.get(f"{spec.base}/requirements").json
    assert [r["id"] for r in listed["items"]] == [body["id"]]
    url = f"/api/v1/requirements/{body['id']}"
    assert api.patch(url, json={"text": "Ny tekst"}).status_code == 428
    etag = api.get(url).headers["ETag"]
    changed = api.patch(url, json={"text": "Løsningen skal oppdage fall.", "needs": [n["id"] for n in spec.needs[:2]]},
                        headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.json["version"] == 2
    assert sorted(changed.json["needs"]) == sorted(n["id"] for n in spec.needs[:2])
    assert api.patch(url, json={"text": "x"}, headers={"If-Match": etag}).status_code == 412
    assert api.patch(url, json={"needs": []}, headers={"If-Match": changed.headers["ETag"]}).status_code == 422
    assert api.delete(url, headers={"If-Match": etag}).status_code == 412
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404


def test_pick_from_the_domain_library(world, spec):
    api = world.api("baerum")
    library = api.get(f"{spec.base}/requirement-library")
    assert library.status_code == 200
    items = {item["key"]: item for item in library.json}
    assert len(items) >= 30 and "welfare_tech:WT-ALP-01" in items  # SCAIP, Normen, … (the plugin's 40)
    picked = api.post(f"{spec.base}/requirements", json={"library_ref": "welfare_tech:WT-ALP-01",
                                                         "needs": [spec.needs[0]["id"]]})
    assert picked.status_code == 201, picked.get_data(as_text=True)
    assert picked.json["source"] == "library" and picked.json["source_ref"] == "welfare_tech:WT-ALP-01"
    assert picked.json["ref"] == "WT-ALP-01" and "SCAIP" in picked.json["text"]
    assert picked.json["kind"] == "absolute"
    unknown = api.post(f"{spec.base}/requirements", json={"library_ref": "welfare_tech:NOPE",
                                                          "needs": [spec.needs[0]["id"]]})
    assert unknown.status_code == 422 and "library_ref" in unknown.json["errors"]


def test_other_tenant_and_supplier_get_404(world, spec, make):
    api = world.api("baerum")
    rid = requirement(api, spec).json["id"]
    outsider = world.api("drammen")
    supplier = make.user("post@leverandor.test")
    supplier_api = world.api("drammen").__class__(world.app.test_client(), make.token(supplier))
    for caller in (outsider, supplier_api):
        assert caller.get(f"{spec.base}/requirements").status_code == 404
        assert caller.get(f"/api/v1/requirements/{rid}").status_code == 404
        assert caller.get(f"{spec.base}/traceability").status_code == 404
        assert caller.get(f"{spec.base}/award-criteria").status_code == 404
        assert caller.get(f"{spec.base}/requirements.xlsx").status_code == 404
        assert caller.patch(f"/api/v1/requirements/{rid}", json={"text": "x"},
                            headers={"If-Match": "*"}).status_code == 404
        assert caller.delete(f"/api/v1/requirements/{rid}").status_code == 404
        assert requirement(caller, spec).status_code == 404


def test_writes_refused_once_the_competition_is_announced(world, spec, app):
    api = world.api("baerum")
    rid = requirement(api, spec).json["id"]
    announced = set()
    add_internal_plugin(app, "announcer", samspill_competition_announced=lambda procurement: (
        True if str(procurement.id) in announced else None))
    with app.app_context():
        from core.db import db
        procurement = db.session.get(Procurement, spec.pid if not isinstance(spec.pid, str) else
                                     __import__("uuid").UUID(spec.pid))
        procurement.phase = Phase.competition
        db.session.commit()
    assert requirement(api, spec).status_code == 201  # competition phase, not announced yet
    announced.add(spec.pid)
    assert requirement(api, spec).status_code == 409
    assert api.patch(f"/api/v1/requirements/{rid}", json={"text": "x"}, headers={"If-Match": "*"}).status_code == 409
    assert api.delete(f"/api/v1/requirements/{rid}").status_code == 409
    assert api.put(f"{spec.base}/award-criteria", json={"criteria": []}).status_code == 409
    assert api.get(f"{spec.base}/requirements").status_code == 200  # still readable
    with app.app_context():
        assert Requirement.query.count() == 2


def test_list_queries_are_bounded(world, spec, count_queries):
    api = world.api("baerum")
    requirement(api, spec)
    api.get(f"{spec.base}/requirements")
    with count_queries() as few:
        assert api.get(f"{spec.base}/requirements").status_code == 200
    for _ in range(12):
        assert requirement(api, spec, needs=spec.needs).status_code == 201
    with count_queries() as many:
        page = api.get(f"{spec.base}/requirements?limit=10")
    assert page.status_code == 200 and len(page.json["items"]) == 10 and page.json["next_cursor"]
    assert many.count <= few.count + 1, (few.count, many.count)
    rest = api.get(f"{spec.base}/requirements?limit=10&cursor={page.json['next_cursor']}").json
    assert len(rest["items"]) == 3 and rest["next_cursor"] is None
    with count_queries() as trace:
        assert api.get(f"{spec.base}/traceability").status_code == 200
    assert trace.count <= few.count + 2, (few.count, trace.count)


def test_changing_only_the_needs_is_a_new_version(world, spec):
    api = world.api("baerum")
    created = requirement(api, spec).json
    url = f"/api/v1/requirements/{created['id']}"
    changed = api.patch(url, json={"needs": [spec.needs[1]["id"]], "version": created["version"]})
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert changed.json["version"] == created["version"] + 1 and changed.json["needs"] == [spec.needs[1]["id"]]
    stale = api.patch(url, json={"text": "Løsningen skal varsle.", "version": created["version"]})
    assert stale.status_code == 409
