"""The app's Flask class (core/flask_app.py): a plain function's `ensure_sync` answer is kept,
so Flask asks whether it is a coroutine function once, not on every request; a coroutine
function still goes through Flask's own `async_to_sync`."""

from __future__ import annotations

import flask.app

from core.flask_app import App


def test_a_requests_functions_are_asked_about_once_and_run_as_they_are(app, client, monkeypatch):
    assert isinstance(app, App)
    asked = []
    original = flask.app.iscoroutinefunction  # what `Flask.ensure_sync` asks (fails if Flask renames it)
    monkeypatch.setattr(flask.app, "iscoroutinefunction", lambda func: asked.append(func) or original(func))
    assert client.get("/signin").status_code == 200
    first = len(asked)
    assert first > 0  # the first request's functions were asked about (through Flask)
    for _ in range(3):
        assert client.get("/signin").status_code == 200
    assert len(asked) == first  # and not again

    def plain():
        return "plain"
    assert app.ensure_sync(plain) is plain and app.ensure_sync(plain) is plain


def test_a_coroutine_function_still_goes_through_flask(app, monkeypatch):
    wrapped = []
    monkeypatch.setattr(app, "async_to_sync", lambda func: wrapped.append(func) or (lambda: "ran"))

    async def view():
        return "async"
    for _ in range(2):
        assert app.ensure_sync(view)() == "ran"
    assert wrapped == [view, view]
