"""Encryption at rest for tenant secrets (OpenID client secrets), with Fernet.

The key is `SAMSPILL_ENCRYPTION_KEY` when set, otherwise derived from the secret key with
HKDF. Rotating the secret key without setting the encryption key makes stored client
secrets unreadable: the tenant admin then enters the secret again.
"""

from __future__ import annotations

import base64
import os

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


def _fernet() -> Fernet:
    configured = os.environ.get("SAMSPILL_ENCRYPTION_KEY")
    if configured:
        return Fernet(configured.encode())
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"samspill", info=b"tenant-secrets")
    key = hkdf.derive(current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(value: str) -> str | None:
    """The plain secret, or None when the key has changed since it was stored."""
    try:
        return _fernet().decrypt(value.encode()).decode()
    except InvalidToken:
        return None
