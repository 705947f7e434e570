"""The signed session cookie, re-signed only when the session changed or its signature is older
than `SAMSPILL_SESSION_REFRESH_AFTER` seconds (five minutes).

Flask re-signs and sends a permanent session's cookie on every response
(`SESSION_REFRESH_EACH_REQUEST`): an HMAC, the cookie's JSON and a `Set-Cookie` header per page,
about a twelfth of a light page's CPU. The idle timeout (`PERMANENT_SESSION_LIFETIME`, twelve
hours) is the age of the cookie's signature, which itsdangerous stamps when it signs: a cookie
whose signature is older is refused (signed out). Re-signing at most once per refresh interval
keeps that meaning within the interval: a person is signed out between `lifetime - refresh` and
`lifetime` after their last request (11 h 55 min to 12 h), never later. A changed session (sign
in, sign out, the language, a revoked session's `uid` dropped) is sent at once, as before.

The serializer is built once per secret key (and fallbacks) instead of twice per request, and
a cookie whose signature was verified is remembered (its exact text, for the same keys): the
next request with the same cookie skips the HMAC, base64 and JSON, and only its age is checked
again. Only sessions of plain values are remembered (a flashed message's list is changed in
place), at most `_VERIFIED_MAX` of them.
"""

from __future__ import annotations

import time

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, URLSafeTimedSerializer

REFRESH_AFTER_SECONDS = 300
_VERIFIED_MAX = 4096
_PLAIN = (str, int, float, bool, type(None))


class SignedSession(SecureCookieSession):
    """A cookie session that knows when its cookie was signed (None: a new cookie)."""

    signed_at: int | None = None


class RefreshingSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, re-signed only when changed or older than the interval."""

    session_class = SignedSession

    def __init__(self) -> None:
        self._serializer: tuple[tuple, URLSafeTimedSerializer | None] | None = None
        self._verified: dict[str, tuple[dict, int]] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        cached = self._serializer
        if cached is None or cached[0] != key:
            self._verified = {}  # verified with the keys of before
            cached = self._serializer = (key, super().get_signing_serializer(app))
        return cached[1]

    def open_session(self, app: Flask, request: Request) -> SignedSession | None:
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        verified = self._verified.get(value)
        if verified is not None:
            data, signed_at = verified
            if time.time() - signed_at > max_age:  # idle longer than the timeout: signed out
                return self.session_class()
        else:
            try:
                data, stamp = serializer.loads(value, max_age=max_age, return_timestamp=True)
            except BadSignature:  # tampered, or older than the idle timeout: a fresh, empty session
                return self.session_class()
            signed_at = int(stamp.timestamp())
            if isinstance(data, dict) and all(isinstance(v, _PLAIN) for v in data.values()):
                if len(self._verified) >= _VERIFIED_MAX:
                    self._verified.clear()
                self._verified[value] = (data, signed_at)
        session = self.session_class(data)  # a copy: the remembered dict is never changed
        session.signed_at = signed_at
        return session

    def should_set_cookie(self, app: Flask, session: SignedSession) -> bool:
        if session.modified:
            return True
        if not session.permanent:
            return False
        signed_at = getattr(session, "signed_at", None)
        refresh_after = app.config.get("SAMSPILL_SESSION_REFRESH_AFTER", REFRESH_AFTER_SECONDS)
        return signed_at is None or time.time() - signed_at >= refresh_after


def init_app(app: Flask) -> None:
    app.config.setdefault("SAMSPILL_SESSION_REFRESH_AFTER", REFRESH_AFTER_SECONDS)
    app.session_interface = RefreshingSessionInterface()
