"""Health checks: /healthz says the process lives, /readyz that the database (and every other
configured dependency, see tests/ops) answers."""

from __future__ import annotations

import socket

from core import create_app


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens here once the socket is closed


def test_health_and_readiness(client):
    expected = {"/healthz": {"status": "ok"}, "/readyz": {"status": "ok", "checks": {"database": "ok"}}}
    for path, body in expected.items():
        response = client.get(path)
        assert response.status_code == 200 and response.json == body
        assert "Set-Cookie" not in response.headers


def test_readyz_is_503_when_the_database_is_unreachable(tmp_path):
    url = f"postgresql+psycopg://samspill@127.0.0.1:{closed_port()}/samspill?connect_timeout=2"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "k"})
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "checks": {"database": "unavailable"}}
    assert client.get("/healthz").status_code == 200  # the process itself is fine


def test_readyz_is_503_when_the_sqlite_file_cannot_be_opened(tmp_path):
    url = f"sqlite:///{tmp_path}/missing-dir/samspill.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path / "i"), "SECRET_KEY": "k"})
    assert app.test_client().get("/readyz").status_code == 503
