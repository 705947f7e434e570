"""The input safety net: text the database cannot store, and JSON too deep to parse, are refused
with a precise 4xx naming the field, on every face (API body, query, URL, HTML form), and nothing
is written."""

from __future__ import annotations

from sqlalchemy import func, select

from core import isolation
from core.db import db
from core.input_safety import MAX_JSON_DEPTH, json_depth
from core.procurement.models import Procurement

MESSAGE_KEY = "errors"


def procurement_count(app) -> int:
    with app.app_context(), isolation.system_scope():
        return db.session.execute(select(func.count()).select_from(Procurement)).scalar_one()


def test_nul_in_a_json_title_is_refused_naming_the_field(app, world):
    response = world.api("baerum").post("/api/v1/tenants/baerum/procurements", json={"title": "a\u0000b"})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert response.json["errors"] == {"json": {"title": [
        "Remove the NUL character or unpaired surrogate from this text."]}}
    assert "title" in response.json["detail"]
    assert procurement_count(app) == 0


def test_lone_surrogate_in_json_text_is_refused(app, world):
    pid = world.procurement()["id"]
    raw = b'{"title": "a\\ud800b", "body": "text"}'
    response = world.api("baerum").post(f"/api/v1/procurements/{pid}/lessons", data=raw,
                                        headers={"Content-Type": "application/json"})
    assert response.status_code == 422, response.get_data(as_text=True)
    assert list(response.json["errors"]["json"]) == ["title"]


def test_nested_field_is_named_by_its_path(world):
    body = {"title": "ok", "extension": {"welfare_tech": {"notes": ["fine", "bad\u0000"]}}}
    response = world.api("baerum").post("/api/v1/tenants/baerum/procurements", json=body)
    assert response.status_code == 422
    assert response.json["errors"]["json"] == {"extension": {"welfare_tech": {"notes": {"1": [
        "Remove the NUL character or unpaired surrogate from this text."]}}}}
    assert "extension.welfare_tech.notes.1" in response.json["detail"]


def test_nul_in_a_key_is_refused(world):
    response = world.api("baerum").post("/api/v1/tenants/baerum/procurements",
                                        json={"title": "ok", "extension": {"a\u0000": {}}})
    assert response.status_code == 422


def test_nul_in_a_query_string_and_in_a_url_variable_is_refused(world):
    api = world.api("baerum")
    response = api.get("/api/v1/lessons?q=%00")
    assert response.status_code == 422, response.get_data(as_text=True)
    assert list(response.json["errors"]["query"]) == ["q"]
    response = api.get("/api/v1/tenants/bae%00rum/procurements")
    assert response.status_code == 422
    assert list(response.json["errors"]["path"]) == ["slug"]


def test_json_nested_fifty_thousand_levels_is_refused_before_parsing(app, world):
    raw = b'{"title": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    response = world.api("baerum").post("/api/v1/tenants/baerum/procurements", data=raw,
                                        headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    assert str(MAX_JSON_DEPTH) in response.json["detail"]
    assert procurement_count(app) == 0


def test_depth_ignores_brackets_inside_strings():
    assert json_depth(b'{"a": "[[[[{{{{\\"[[["}') == 1
    assert json_depth(b'[[1], {"b": [2]}]') == 3


def test_nul_in_an_html_form_answers_422_naming_the_field(app, world):
    browser = world.browser("baerum")
    response = browser.post("/t/baerum/procurements/new", data={"title": "a\x00b", "description": ""})
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    assert "title" in response.get_data(as_text=True)
    assert procurement_count(app) == 0
