"""The benchmark-only pieces of the app: the ceiling endpoint and the SQL-count header.

Both are mounted only when their environment switch is set; the production app has neither.
"""

from __future__ import annotations

from core import create_app


def _bench_app(app, monkeypatch, tmp_path):
    monkeypatch.setenv("SAMSPILL_BENCH_CEILING", "1")
    monkeypatch.setenv("SAMSPILL_BENCH_QUERIES", "1")
    return create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                       "INSTANCE_PATH": str(tmp_path / "bench-instance"), "TESTING": True,
                       "SECRET_KEY": "bench-test"})


def test_production_app_has_no_ceiling_and_no_query_header(client):
    assert client.get("/_bench/ceiling").status_code == 404
    assert "X-Samspill-Queries" not in client.get("/healthz").headers


def test_ceiling_lists_twenty_rows_with_one_statement(app, make, monkeypatch, tmp_path):
    for n in range(22):
        make.tenant(f"kommune-{n:02d}")
    bench_client = _bench_app(app, monkeypatch, tmp_path).test_client()
    response = bench_client.get("/_bench/ceiling")
    assert response.status_code == 200
    slugs = [row["slug"] for row in response.json["items"]]
    assert slugs == [f"kommune-{n:02d}" for n in range(20)]
    assert response.headers["X-Samspill-Queries"] == "1"
    assert bench_client.get("/healthz").headers["X-Samspill-Queries"] == "0"
