"""Keyset cursors are opaque but not trusted: a well-formed token whose values have the wrong
types (a date string where a timestamp belongs, text where a UUID belongs) answers 422 on every
keyset-paginated list, API and pages alike, never a database error."""

from __future__ import annotations

import base64
import json

import pytest
from sqlalchemy import select

from core.db import db
from core.library.models import Lesson
from core.pagination import keyset_page


def token(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


WRONG_TYPES = [
    token(["2020-01-01", "not-a-uuid"]),
    token([{"t": "2020-01-01T00:00:00"}, {"u": "not-a-uuid"}]),  # a naive time, a broken uuid
    token([{"t": "yesterday"}, 1]),
    token([1, 2]),
    token([None, None]),
]


def api_lists(w) -> list[tuple[str, str]]:
    pid = w.pid
    return [
        (w.officer_token, "/api/v1/tenants/baerum/procurements"),
        (w.officer_token, f"/api/v1/procurements/{pid}/audit"),
        (w.officer_token, f"/api/v1/procurements/{pid}/registrations"),
        (w.officer_token, f"/api/v1/procurements/{pid}/questions"),
        (w.officer_token, f"/api/v1/procurements/{pid}/lessons"),
        (w.officer_token, "/api/v1/templates"),
        (w.officer_token, "/api/v1/lessons"),
        (w.a, "/api/v1/market/dialogues"),
        (w.a, f"/api/v1/procurements/{pid}/questions"),
    ]


@pytest.mark.parametrize("cursor", WRONG_TYPES)
def test_every_api_list_refuses_a_cursor_with_wrong_value_types(open_world, cursor):
    for caller, path in api_lists(open_world):
        response = open_world.api("get", f"{path}?cursor={cursor}", caller)
        assert response.status_code == 422, (path, response.get_data(as_text=True)[:300])
        assert response.mimetype == "application/problem+json"
        assert "cursor" in json.dumps(response.json["errors"]), path


def test_every_page_list_refuses_a_cursor_with_wrong_value_types(open_world):
    w, cursor = open_world, WRONG_TYPES[0]
    group = w.login(w.officer, w.app.test_client())
    for path in ("/t/baerum/procurements/", "/t/baerum/procurements/invitations", "/arena/", "/arena/lessons/",
                 f"/t/baerum/procurements/{w.pid}/dialogue/", f"/t/baerum/procurements/{w.pid}/dialogue/questions"):
        response = group.get(f"{path}?cursor={cursor}")
        assert response.status_code == 422, (path, response.status_code)
    supplier = w.login(w.a_user, w.app.test_client())
    response = supplier.get(f"/supplier/dialogues/{w.pid}/questions?cursor={cursor}")
    assert response.status_code == 422


def test_a_cursor_the_list_made_itself_still_pages(app, open_world):
    w = open_world
    first = w.api("get", f"/api/v1/procurements/{w.pid}/audit?limit=1", w.officer_token)
    assert first.status_code == 200 and first.json["next_cursor"]
    second = w.api("get", f"/api/v1/procurements/{w.pid}/audit?limit=1&cursor={first.json['next_cursor']}",
                   w.officer_token)
    assert second.status_code == 200
    assert second.json["items"] and second.json["items"] != first.json["items"]


def test_keyset_page_checks_each_value_against_its_column(app):
    from core.errors import ValidationError

    with app.app_context():
        order = [(Lesson.created_at, True), (Lesson.id, True)]
        for cursor in WRONG_TYPES:
            with pytest.raises(ValidationError):
                keyset_page(select(Lesson), order, limit=5, cursor=cursor)
        db.session.rollback()
