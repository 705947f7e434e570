"""Configuration: defaults, `SAMSPILL_*` environment settings and the instance folder.

Every setting an operator can change is read from an environment variable prefixed
`SAMSPILL_`. The secret key is generated once and kept in the instance folder when none is
given, so sessions survive restarts of the embedded default.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ENV_PREFIX = "SAMSPILL_"


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(ENV_PREFIX + name, default)


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def instance_path_from_env() -> str | None:
    """The instance folder chosen by the operator, if any."""
    return _env("INSTANCE_PATH")


def load_secret_key(instance_path: str) -> str:
    """The configured secret key, or one generated once and kept in the instance folder."""
    configured = _env("SECRET_KEY")
    if configured:
        return configured
    key_file = Path(instance_path) / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(48)
    key_file.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: when two workers start at once, the first one's key wins.
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def load_encryption_key(instance_path: str) -> str:
    """The instance's key-encryption key (base64 of 32 bytes): `SAMSPILL_ENCRYPTION_KEY`, or one
    generated once and kept in the instance folder — never in the database, so a dump or a
    backup of the database alone cannot unwrap the sealed tenders' data keys."""
    configured = _env("ENCRYPTION_KEY")
    if configured:
        return configured.strip()
    key_file = Path(instance_path) / "encryption_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    key_file.parent.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: when two workers start at once, the first one's key wins
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def build_config(instance_path: str) -> dict[str, Any]:
    """The application configuration from defaults and the environment."""
    database_url = _env("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'samspill.db'}"
    redis_url = _env("REDIS_URL")
    secure_cookies = _env_bool("SECURE_COOKIES", True)
    return {
        "SECRET_KEY": load_secret_key(instance_path),
        "SAMSPILL_ENCRYPTION_KEY": load_encryption_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "SAMSPILL_DB_PING_AFTER_IDLE": float(_env("DB_PING_AFTER_IDLE", "10")),
        "SAMSPILL_REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "SAMSPILL_SIGNIN_LIMIT": _env("SIGNIN_LIMIT", "5 per 5 minutes"),
        "SESSION_COOKIE_NAME": "samspill_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure_cookies,
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 12,  # the idle timeout (core.session_cookie)
        "SAMSPILL_SESSION_REFRESH_AFTER": int(_env("SESSION_REFRESH_AFTER", "300")),
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_SSL_STRICT": secure_cookies,
        "BABEL_DEFAULT_LOCALE": "nb",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Oslo",
        "SAMSPILL_LOCALES": ("nb", "en"),
        "SAMSPILL_BASE_URL": _env("BASE_URL"),
        "SAMSPILL_MAX_UPLOAD_BYTES": int(_env("MAX_UPLOAD_BYTES", str(20 * 1024 * 1024))),
        "MAX_CONTENT_LENGTH": int(_env("MAX_REQUEST_BYTES", str(25 * 1024 * 1024))),
        "SAMSPILL_BLOCKED_PLUGINS": tuple(
            p.strip() for p in (_env("BLOCKED_PLUGINS", "") or "").split(",") if p.strip()
        ),
        "SAMSPILL_JOB_NAMESPACE": _env("JOB_NAMESPACE", "samspill"),
        "SAMSPILL_JOB_HEARTBEAT_MS": int(_env("JOB_HEARTBEAT_MS", "60000")),
        "SAMSPILL_JOB_MAINTENANCE_CHANCE": int(_env("JOB_MAINTENANCE_CHANCE", "1000")),
        "SAMSPILL_JOB_MAX_RETRIES": int(_env("JOB_MAX_RETRIES", "8")),
        **{f"SAMSPILL_S3_{name}": _env(f"S3_{name}") for name in (
            "BUCKET", "ENDPOINT_URL", "REGION", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "SSE", "SSE_KMS_KEY_ID")},
        "SAMSPILL_PROXY_COUNT": int(_env("PROXY_COUNT", "0")),
        "SAMSPILL_METRICS_TOKEN": _env("METRICS_TOKEN"),
        "SAMSPILL_LOG_FORMAT": _env("LOG_FORMAT", "text"),
        "SAMSPILL_TOKEN_DEFAULT_DAYS": int(_env("TOKEN_DEFAULT_DAYS", "90")),
        "API_TITLE": "Samspill API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }


def apply_base_url(config: dict[str, Any]) -> None:
    """Flask's `SERVER_NAME`, `APPLICATION_ROOT` and `PREFERRED_URL_SCHEME` from
    `SAMSPILL_BASE_URL` (the address people reach the instance at), unless `SERVER_NAME` is set.

    Links made outside a request need them: the supplier portal's address in a published
    invitation, the public page and OCDS addresses written when the command line, a job or the
    demo's seeding changes a phase. Since Flask 3.1 a `SERVER_NAME` does not refuse requests
    to other host names."""
    base = config.get("SAMSPILL_BASE_URL")
    if not base or config.get("SERVER_NAME"):
        return
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"SAMSPILL_BASE_URL must be an http(s) address such as "
                         f"https://samspill.example.no, not {base!r}")
    config["SERVER_NAME"] = parts.netloc
    config["APPLICATION_ROOT"] = parts.path.rstrip("/") or "/"
    config["PREFERRED_URL_SCHEME"] = parts.scheme


def engine_options(database_url: str) -> dict[str, Any]:
    """Engine options per database: WAL-friendly timeouts for SQLite; for servers a pool whose
    connections are retired after half an hour and pinged only after sitting idle
    (`core.database_errors.init_pool`), not on every checkout."""
    if database_url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_recycle": 1800, "pool_size": 5, "max_overflow": 5}
