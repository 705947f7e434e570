"""Behind a proxy (`SAMSPILL_PROXY_COUNT=1`) the client's address comes from X-Forwarded-For, so
the sign-in limit counts each client on its own and not every client as the proxy; without the
setting a forged X-Forwarded-For changes nothing."""

from __future__ import annotations

from core import create_app


def _app(migrated, tmp_path, **extra):
    _owner, app_url = migrated
    return create_app({"SQLALCHEMY_DATABASE_URI": app_url, "INSTANCE_PATH": str(tmp_path / "instance"),
                       "TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
                       "SESSION_COOKIE_SECURE": False, "RATELIMIT_STORAGE_URI": "memory://",
                       "SAMSPILL_SIGNIN_LIMIT": "2 per minute", **extra})


def _attempts(client, address: str, count: int) -> list[int]:
    return [client.post("/signin", data={"email": "nobody@example.test", "password": "wrong"},
                        headers={"X-Forwarded-For": address}).status_code for _ in range(count)]


def test_behind_a_proxy_each_client_has_its_own_limit(app, migrated, tmp_path):
    proxied = _app(migrated, tmp_path, SAMSPILL_PROXY_COUNT=1).test_client()
    assert _attempts(proxied, "203.0.113.1", 3) == [401, 401, 429]
    assert _attempts(proxied, "203.0.113.2", 1) == [401]  # another client, not yet limited


def test_without_the_setting_the_header_is_not_trusted(app, migrated, tmp_path):
    direct = _app(migrated, tmp_path).test_client()
    assert _attempts(direct, "203.0.113.1", 2) == [401, 401]
    assert _attempts(direct, "203.0.113.2", 1) == [429]  # the same peer, whatever it claims
