"""What every app of a process shares or defers, and that it changes nothing an app serves.

`core.routing.Rule` keeps Werkzeug's compiled URL builders per process: every rule's shared
builder must have the code Werkzeug compiles for that rule itself, and a second app must reuse
the first app's builders. `core.extensions.Api` writes the OpenAPI document on first read: the
document must be the one flask-smorest writes while registering.
"""

from __future__ import annotations

import copy
import threading

import flask_smorest
from werkzeug.routing import Rule as WerkzeugRule

from core import create_app
from core.extensions import Api, api


def _config(app, tmp_path, name):
    return {**{k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "SERVER_NAME")},
            "TESTING": True, "INSTANCE_PATH": str(tmp_path / name)}


def test_every_rule_builds_with_werkzeugs_own_code(app):
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 250
    for rule in rules:
        for append_unknown in (False, True):
            shared = rule._compile_builder(append_unknown)
            own = WerkzeugRule._compile_builder(rule, append_unknown)
            assert shared.__code__ == own.__code__, rule.rule
            assert shared.__defaults__ == own.__defaults__, rule.rule


def test_a_second_app_reuses_the_first_apps_builders(app, tmp_path):
    second = create_app(_config(app, tmp_path, "second"))
    first_rules = {(r.endpoint, r.rule): r for r in app.url_map.iter_rules()}
    shared = 0
    for rule in second.url_map.iter_rules():
        twin = first_rules.get((rule.endpoint, rule.rule))
        if twin is not None and rule.endpoint != "static":
            assert rule._build.__func__ is twin._build.__func__, rule.rule
            shared += 1
    assert shared > 250
    with second.test_request_context():
        from flask import url_for

        assert url_for("static", filename="x.css").endswith("/static/x.css")


def test_urls_with_values_and_query_arguments_build_as_before(app):
    for rule in app.url_map.iter_rules():
        if rule.arguments and rule.endpoint != "static":
            values = {name: "a-b" for name in rule.arguments}
            with app.test_request_context():
                adapter = app.url_map.bind("samspill.test")
                try:
                    built = adapter.build(rule.endpoint, {**values, "q": "x y"}, force_external=False)
                except Exception:  # converters that refuse "a-b" (uuid, int) are not the point here
                    continue
            assert "q=x+y" in built


def test_the_openapi_document_is_the_one_flask_smorest_writes(app, tmp_path, monkeypatch):
    assert isinstance(api, Api)
    lazy_app = create_app(_config(app, tmp_path, "lazy"))
    assert len(api._queued) > 10, "the document was written while the app was built"
    lazy = api.spec.to_dict()
    assert not api._queued
    with lazy_app.test_client() as client:
        served = client.get("/api/v1/openapi.json").get_json()
    assert served["paths"] == lazy["paths"]

    # flask-smorest's own Api, writing while registering (the shell's part written at once too)
    for name in ("register_blueprint", "_register_responses", "_register_etag_headers",
                 "_register_pagination_header"):
        monkeypatch.setattr(Api, name, getattr(flask_smorest.Api, name))
    monkeypatch.setattr(Api, "document", lambda self, step, on_error=None: step())
    create_app(_config(app, tmp_path, "eager"))
    assert not api._queued
    eager = api.spec.to_dict()
    assert len(eager["paths"]) > 100
    assert lazy == eager


def test_a_second_thread_waits_for_the_whole_document(app, tmp_path):
    """Under a threaded server two first reads can meet: the second waits for the first's write."""
    create_app(_config(app, tmp_path, "threads"))
    entered, release = threading.Event(), threading.Event()

    def pause() -> None:  # a slow documenting step, in the first reader's thread
        entered.set()
        release.wait(10)

    api.document(pause)
    api.document(lambda: api._spec.tag({"name": "after-the-pause"}))
    first = threading.Thread(target=lambda: api.spec)
    first.start()
    assert entered.wait(10)
    served: list[dict] = []  # a copy of the document as it is at that moment
    second = threading.Thread(target=lambda: served.append(copy.deepcopy(api.spec.to_dict())))
    second.start()
    second.join(0.5)
    release.set()
    first.join(10)
    second.join(10)
    assert "after-the-pause" in [tag["name"] for tag in served[0]["tags"]]
