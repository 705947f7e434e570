"""Lessons learned (readable by every municipality) and the learning arena pages."""

from __future__ import annotations

from plugins.welfare_tech.content import TEMPLATE


def test_lessons_on_procurements_and_templates_are_readable_by_all(world):
    pid = world.procurement()["id"]
    baerum = world.api("baerum")
    lesson = baerum.post(f"/api/v1/procurements/{pid}/lessons", json={"title": "Talk to users", "body": "Early."})
    assert lesson.status_code == 201 and lesson.json["context_title"] == "Tryggere hverdag"
    template = baerum.post("/api/v1/tenants/baerum/templates", json={"content": TEMPLATE, "visibility": "all"}).json
    on_template = world.api("drammen").post(f"/api/v1/templates/{template['template_id']}/lessons",
                                            json={"title": "Reused it", "body": "Saved us months."})
    assert on_template.status_code == 201 and on_template.json["tenant"] == "Drammen kommune"
    # Drammen cannot see the procurement, but reads its lesson
    drammen = world.api("drammen", "viewer")
    assert drammen.get(f"/api/v1/procurements/{pid}").status_code == 404
    titles = {item["title"] for item in drammen.get("/api/v1/lessons").json["items"]}
    assert titles == {"Talk to users", "Reused it"}
    assert drammen.get(f"/api/v1/lessons/{lesson.json['id']}").json["body"] == "Early."
    found = drammen.get("/api/v1/lessons", query_string={"q": "months"}).json["items"]
    assert [i["title"] for i in found] == ["Reused it"]


def test_lesson_rules(world):
    pid = world.procurement()["id"]
    assert world.api("baerum", "viewer").post(f"/api/v1/procurements/{pid}/lessons",
                                              json={"title": "x", "body": "y"}).status_code == 403
    assert world.api("drammen").post(f"/api/v1/procurements/{pid}/lessons",
                                     json={"title": "x", "body": "y"}).status_code == 404
    assert world.api("baerum").post(f"/api/v1/procurements/{pid}/lessons",
                                    json={"title": "", "body": "y"}).status_code == 422
    lesson = world.api("baerum").post(f"/api/v1/procurements/{pid}/lessons", json={"title": "x", "body": "y"}).json
    assert world.api("baerum", "admin").delete(f"/api/v1/lessons/{lesson['id']}").status_code == 204
    assert world.api("drammen").get(f"/api/v1/lessons/{lesson['id']}").status_code == 404


def test_arena_shows_publisher_versions_reuse_and_lessons(world):
    baerum = world.api("baerum")
    template = baerum.post("/api/v1/tenants/baerum/templates", json={"content": TEMPLATE, "visibility": "all"}).json
    tid = template["template_id"]
    world.procurement("drammen", template=tid, title="Drammen")
    world.procurement("asker", template=tid, title="Asker")
    world.api("drammen").post(f"/api/v1/templates/{tid}/lessons", json={"title": "Worth it", "body": "Yes."})
    browser = world.browser("drammen")
    index = browser.get("/arena/")
    assert index.status_code == 200
    html = index.get_data(as_text=True)
    assert f'data-template-id="{tid}"' in html and 'data-count="2"' in html
    assert "Asker kommune, Drammen kommune" in html and "Bærum kommune" in html
    detail = browser.get(f"/arena/templates/{tid}").get_data(as_text=True)
    assert 'id="start-drammen"' in detail and f"version_id={template['id']}" in detail
    assert 'data-version="1"' in detail and "Worth it" in detail
    assert browser.get(f"/arena/templates/{tid}/versions/{template['id']}").status_code == 200
    found = browser.get("/arena/", query_string={"q": "responssenter"}).get_data(as_text=True)
    assert f'data-template-id="{tid}"' in found
    nothing = browser.get("/arena/", query_string={"q": "no such words"}).get_data(as_text=True)
    assert f'data-template-id="{tid}"' not in nothing
    assert browser.get("/arena/lessons/").status_code == 200


def test_arena_lesson_form_and_private_templates(world):
    baerum = world.api("baerum")
    private = baerum.post("/api/v1/tenants/baerum/templates", json={"content": TEMPLATE}).json
    browser = world.browser("drammen")
    assert browser.get(f"/arena/templates/{private['template_id']}").status_code == 404
    assert browser.post(f"/arena/templates/{private['template_id']}/lessons",
                        data={"title": "x", "body": "y"}).status_code == 404
    baerum.put(f"/api/v1/templates/{private['template_id']}/visibility", json={"visibility": "all"})
    bad = browser.post(f"/arena/templates/{private['template_id']}/lessons", data={"title": "", "body": ""})
    assert bad.status_code == 422 and b'id="f-title-error"' in bad.data
    ok = browser.post(f"/arena/templates/{private['template_id']}/lessons", data={"title": "t", "body": "b"})
    assert ok.status_code == 303


def test_arena_needs_sign_in(client):
    response = client.get("/arena/")
    assert response.status_code == 302 and "/signin" in response.headers["Location"]


def test_only_the_author_or_their_admin_deletes_a_lesson(world):
    pid = world.joint(role="buyer")["id"]
    lesson = world.api("asker").post(f"/api/v1/procurements/{pid}/lessons", json={"title": "t", "body": "b"}).json
    assert world.api("baerum", "admin").delete(f"/api/v1/lessons/{lesson['id']}").status_code == 403
    assert world.api("asker", "admin").delete(f"/api/v1/lessons/{lesson['id']}").status_code == 204


def test_procurement_lesson_form_shows_errors_next_to_the_fields(world):
    pid = world.procurement()["id"]
    browser = world.browser("baerum")
    url = f"/t/baerum/procurements/{pid}/lessons"
    bad = browser.post(url, data={"title": "Kept", "body": ""})
    assert bad.status_code == 422
    html = bad.get_data(as_text=True)
    assert 'class="error-summary"' in html and 'href="#f-body"' in html
    assert 'id="f-body-error"' in html and 'aria-describedby="f-body-error"' in html
    assert 'id="f-title-error"' not in html and 'value="Kept"' in html  # what was written stays
    assert "<details open>" in html  # the form is open where the error is
    assert 'class="flash' not in html and 'id="procurement-facts"' in html  # the page itself, no flash
    assert browser.get(f"/t/baerum/procurements/{pid}").get_data(as_text=True).count('id="f-body-error"') == 0
    assert world.api("baerum").get("/api/v1/lessons").json["items"] == []
    # The message is in the page language: Bokmål by default, English after the switch.
    assert "Skriv erfaringen (1–20 000 tegn)." in html
    browser.post("/lang", data={"lang": "en"})
    english = browser.post(url, data={"title": "", "body": "x"}).get_data(as_text=True)
    assert 'id="f-title-error">A title of 1-200 characters.' in english
    ok = browser.post(url, data={"title": "Talk to users", "body": "Early."})
    assert ok.status_code == 303 and ok.headers["Location"].endswith("#lessons")
    assert [i["title"] for i in world.api("baerum").get("/api/v1/lessons").json["items"]] == ["Talk to users"]
