"""Template library: the samspill.template/1 format, visibility, immutable published versions,
drafts, import/export, starting from a template with lineage, and what changed upstream."""

from __future__ import annotations

import copy
import io
import json
import types

import pluggy
import pytest
from sqlalchemy import text

from plugins.smart_mat.content import TEMPLATE as SMART_MAT
from plugins.welfare_tech.content import TEMPLATE as WELFARE


def test_plugin_and_platform_templates_validate(app):
    from core.library.format import validate_template
    from core.library.platform import platform_documents

    with app.app_context():
        for document in [WELFARE, SMART_MAT, *platform_documents()]:
            content = validate_template(copy.deepcopy(document))
            assert content["format"] == "samspill.template/1" and content["needs"]


@pytest.mark.parametrize("change,field", [
    ({"format": "samspill.template/2"}, "format"),
    ({"unknown": 1}, "unknown"),
    ({"cpv_codes": ["85311100-2"]}, "cpv_codes"),
    ({"award_criteria": [{"name": "Price", "weight": 60}]}, "award_criteria"),
    ({"needs": [{"statement": "x", "source": "rumour"}]}, "needs"),
    ({"gate_items": [{"phase": "someday", "key": "k", "text": "t"}]}, "gate_items"),
])
def test_invalid_templates_are_refused(world, change, field):
    response = world.api("baerum").post("/api/v1/tenants/baerum/templates", json={"content": {**WELFARE, **change}})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert field in json.dumps(response.json["errors"])


def _publish(world, slug="baerum", visibility="all", shared_with=(), content=WELFARE):
    response = world.api(slug).post(f"/api/v1/tenants/{slug}/templates",
                                    json={"content": content, "visibility": visibility,
                                          "shared_with": list(shared_with)})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json


def test_visibility_private_shared_all(world):
    private = _publish(world, visibility="private", content={**WELFARE, "key": "p"})
    shared = _publish(world, visibility="shared", shared_with=["asker"], content={**WELFARE, "key": "s"})
    everyone = _publish(world, visibility="all", content={**WELFARE, "key": "a"})

    def seen(slug):
        return {t["id"] for t in world.api(slug).get("/api/v1/templates").json["items"]}

    ids = {n: v["template_id"] for n, v in (("private", private), ("shared", shared), ("all", everyone))}
    assert seen("baerum") >= set(ids.values())
    assert ids["shared"] in seen("asker") and ids["private"] not in seen("asker")
    assert seen("drammen") & set(ids.values()) == {ids["all"]}
    assert world.api("drammen").get(f"/api/v1/templates/{ids['private']}").status_code == 404
    assert world.api("drammen").get(f"/api/v1/templates/{ids['shared']}/versions/{shared['id']}").status_code == 404
    changed = world.api("baerum").put(f"/api/v1/templates/{ids['private']}/visibility", json={"visibility": "all"})
    assert changed.status_code == 200 and ids["private"] in seen("drammen")
    assert world.api("asker").put(f"/api/v1/templates/{ids['shared']}/visibility",
                                  json={"visibility": "all"}).status_code == 404


def test_published_version_is_immutable(app, world):
    version = _publish(world)
    api = world.api("baerum")
    path = f"/api/v1/templates/{version['template_id']}/versions/{version['id']}"
    changed = {**WELFARE, "title": "Changed"}
    assert api.put(path, json={"content": changed}).status_code == 409
    assert api.get(path).json["content"]["title"] == WELFARE["title"]
    # the ORM guard and the database refuse it too, whoever tries
    from core.db import db
    from core.library.models import ImmutableVersion, TemplateVersion

    with app.app_context():
        row = db.session.get(TemplateVersion, __import__("uuid").UUID(version["id"]))
        row.content = {**row.content, "title": "Sneaky"}
        with pytest.raises(ImmutableVersion):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(Exception, match="immutable"):
            db.session.execute(text("UPDATE template_versions SET changelog = 'x' WHERE id = :id"),
                               {"id": row.id.hex if db.engine.dialect.name == "sqlite" else row.id})
        db.session.rollback()
    assert api.get(path).json["changelog"] == ""


def test_drafts_and_new_versions(world):
    first = _publish(world)
    tid = first["template_id"]
    api = world.api("baerum")
    draft = api.put(f"/api/v1/templates/{tid}/draft", json={"content": {**WELFARE, "title": "Tryggere hverdag 2"},
                                                            "changelog": "New title"})
    assert draft.status_code == 200 and draft.json["status"] == "draft" and draft.json["number"] == 2
    # nobody else sees the draft
    assert world.api("drammen").get(f"/api/v1/templates/{tid}/versions/{draft.json['id']}").status_code == 404
    assert api.put(f"/api/v1/templates/{tid}/draft", json={"content": {**WELFARE, "key": "other"}}).status_code == 422
    published = api.post(f"/api/v1/templates/{tid}/publish")
    assert published.status_code == 200 and published.json["status"] == "published"
    detail = world.api("drammen").get(f"/api/v1/templates/{tid}").json
    assert detail["latest_version"] == 2 and detail["title"] == "Tryggere hverdag 2"
    assert [v["number"] for v in detail["versions"]] == [2, 1]
    assert api.post(f"/api/v1/templates/{tid}/publish").status_code == 409
    assert world.api("asker").put(f"/api/v1/templates/{tid}/draft", json={"content": WELFARE}).status_code == 404


def test_start_from_template_keeps_lineage_and_shows_upstream_changes(world):
    first = _publish(world)
    tid = first["template_id"]
    started = world.procurement("drammen", template=tid, title="Drammen trygghet")
    assert started["template_version_id"] == first["id"] and started["procedure"] == WELFARE["procedure"]
    assert started["cpv_codes"] == WELFARE["cpv_codes"]
    drammen = world.api("drammen")
    assert len(drammen.get(f"/api/v1/procurements/{started['id']}/needs").json) == len(WELFARE["needs"])
    assert drammen.get(f"/api/v1/procurements/{started['id']}/upstream").json["changes"] is None
    newer = copy.deepcopy(WELFARE)
    newer["needs"] = newer["needs"][1:]
    newer["requirements"][0]["text"] = "Changed requirement text."
    newer["award_criteria"] = [{"name": "Quality", "weight": 70, "description": ""},
                               {"name": "Price", "weight": 30, "description": ""}]
    api = world.api("baerum")
    api.put(f"/api/v1/templates/{tid}/draft", json={"content": newer, "changelog": "After the dialogue"})
    api.post(f"/api/v1/templates/{tid}/publish")
    upstream = drammen.get(f"/api/v1/procurements/{started['id']}/upstream").json
    assert upstream["version"] == 1 and upstream["latest_version"] == 2
    sections = upstream["changes"]["sections"]
    assert sections["needs"]["removed"] == [WELFARE["needs"][0]["statement"]]
    assert sections["requirements"]["changed"] == [WELFARE["requirements"][0]["title"]]
    assert set(sections["award_criteria"]["added"]) == {"Quality", "Price"}
    reuse = drammen.get(f"/api/v1/templates/{tid}").json["reuse"]
    assert reuse == {"count": 1, "tenants": ["Drammen kommune"]}


def test_cannot_start_from_an_invisible_template(world):
    private = _publish(world, visibility="private")
    response = world.api("drammen").post("/api/v1/tenants/drammen/procurements",
                                         json={"title": "x", "template_version": private["id"]})
    assert response.status_code == 404
    assert world.api("drammen").get("/api/v1/tenants/drammen/procurements").json["items"] == []


def test_export_and_import_round_trip(world):
    version = _publish(world)
    browser = world.browser("drammen")
    exported = browser.get(f"/arena/templates/{version['template_id']}/versions/{version['id']}/export")
    assert exported.status_code == 200 and exported.mimetype == "application/json"
    assert "attachment" in exported.headers["Content-Disposition"]
    assert json.loads(exported.data)["needs"] == json.loads(json.dumps(WELFARE["needs"]))
    imported = browser.post("/t/drammen/templates/import", data={
        "file": (io.BytesIO(exported.data), "tryggere-hverdag-v1.json"), "visibility": "private", "publish": "1"},
        content_type="multipart/form-data")
    assert imported.status_code == 303, imported.get_data(as_text=True)
    items = world.api("drammen").get("/api/v1/templates").json["items"]
    mine = [t for t in items if t["publisher"] == "Drammen kommune"]
    assert len(mine) == 1 and mine[0]["latest_version"] == 1
    broken = browser.post("/t/drammen/templates/import", data={"file": (io.BytesIO(b"{not json"), "x.json")},
                          content_type="multipart/form-data")
    assert broken.status_code == 422 and b'id="f-file-error"' in broken.data


def test_platform_templates_sync_is_idempotent_and_versions_changes(app, runner, world):
    result = runner.invoke(args=["templates", "sync"])
    assert result.exit_code == 0 and "1 platform" in result.output
    assert "0 platform" in runner.invoke(args=["templates", "sync"]).output
    items = world.api("drammen").get("/api/v1/templates").json["items"]
    platform = [t for t in items if t["source"] == "platform"]
    assert len(platform) == 1 and platform[0]["publisher"] == "Samspill" and platform[0]["visibility"] == "all"
    from core.library.platform import platform_documents, sync_templates

    with app.app_context():
        document = platform_documents()[0]
        document["summary"] += " Oppdatert."
        assert len(sync_templates([document])) == 1
        from core.db import db

        db.session.commit()
    assert world.api("drammen").get(f"/api/v1/templates/{platform[0]['id']}").json["latest_version"] == 2


def test_cannot_start_from_a_template_without_a_published_version(world):
    draft = world.api("baerum").post("/api/v1/tenants/baerum/templates", json={"content": WELFARE, "publish": False})
    assert draft.status_code == 201 and draft.json["status"] == "draft"
    started = world.api("baerum").post("/api/v1/tenants/baerum/procurements",
                                       json={"title": "x", "template": draft.json["template_id"]})
    assert started.status_code == 422 and "template" in started.json["errors"]
    by_version = world.api("baerum").post("/api/v1/tenants/baerum/procurements",
                                          json={"title": "x", "template_version": draft.json["id"]})
    assert by_version.status_code == 422
    assert world.api("baerum").get("/api/v1/tenants/baerum/procurements").json["items"] == []


def test_plugin_templates_are_shared_with_the_tenants_that_enabled_the_plugin(app, world):
    from core.db import db
    from core.library.platform import sync_plugin_templates

    asker_id = world.tenant("asker").id

    def samspill_templates(domain):
        return [copy.deepcopy(WELFARE)]

    # a plugin offering the template, enabled in Asker only
    from core.plugin_platform import state
    from tenants.models import Tenant

    marker = pluggy.HookimplMarker("samspill")
    templater = types.ModuleType("templater")
    templater.samspill_templates = marker(samspill_templates)
    app.extensions["samspill.plugins"].register("templater", templater)
    with app.app_context():
        state.set_enabled(db.session.get(Tenant, asker_id), "templater", True, check_access=False)
        db.session.commit()
    with app.app_context():
        assert len(sync_plugin_templates()) == 1
        assert sync_plugin_templates() == []
        db.session.commit()
    asker = world.api("asker").get("/api/v1/templates").json["items"]
    assert [(t["source"], t["publisher"], t["visibility"]) for t in asker] == [("plugin", "welfare_tech", "shared")]
    assert world.api("drammen").get("/api/v1/templates").json["items"] == []
    assert world.api("drammen").get(f"/api/v1/templates/{asker[0]['id']}").status_code == 404
