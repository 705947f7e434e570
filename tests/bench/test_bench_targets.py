"""Two benchmark runs on one database keep their own sign-ins (`bench.targets.give_password`)."""

from __future__ import annotations

from bench.cpu import prepare, sign_in
from bench.databases import prepare_sqlite
from bench.targets import prepare_targets


def test_a_second_run_does_not_sign_out_the_first(tmp_path):
    found = prepare_sqlite(0.01, tmp_path, regenerate=False, progress=lambda line: None)
    app, first = prepare(found.app_url, tmp_path / "instance")
    client = app.test_client()
    name, _, value = first.cookie.partition("=")
    client.set_cookie(name, value)
    dashboard = f"/t/{first.tenant_slug}/"
    assert client.get(dashboard).status_code == 200

    second = prepare_targets(app)  # another run preparing the same person on the same data

    assert second.email == first.email and second.password != first.password
    assert client.get(dashboard).status_code == 200  # the first run's session still works
    assert sign_in(app, second).startswith(f"{name}=")  # and the second run signs in with its own
