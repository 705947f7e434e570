"""Real OpenID Connect provider on loopback, for tests of the OIDC sign-in.

The provider is panva's certified ``oidc-provider`` npm package (pinned in
``tests/oidc_provider_js/package.json`` / ``package-lock.json``), run by the
small Node server ``tests/oidc_provider_js/server.mjs`` as a separate process on
a free port of 127.0.0.1. ``node_modules`` is installed with ``npm ci`` on
first use if it is missing.

Typical use in a test::

    provider = start_provider(["http://127.0.0.1:5000/auth/callback"])
    try:
        # configure the app with provider.issuer (discovery at
        # provider.discovery_url), provider.client_id, provider.client_secret
        location = app_client.get("/login").headers["Location"]
        callback = authorize_as(location, sub="u1", email="u1@example.org")
        # callback is http://127.0.0.1:5000/auth/callback?code=...&state=...&iss=...
    finally:
        provider.stop()

What the provider does (details in the report of the harness and in
``server.mjs``):

* issuer is ``http://127.0.0.1:PORT`` with NO trailing slash; discovery at
  ``{issuer}/.well-known/openid-configuration``;
* one confidential client, ``client_secret_basic`` by default
  (``client_secret_post`` selectable), response_type ``code`` only; PKCE
  supports only ``S256`` and is optional unless ``require_pkce=True``;
* scopes ``openid email profile`` (and ``offline_access``); claims ``email``,
  ``email_verified`` and ``name`` appear in the ID token *and* at userinfo;
* ``nonce`` is optional for the code flow but echoed in the ID token if sent;
* the authorization response carries ``code``, ``state`` and ``iss``
  (RFC 9207);
* authorization codes live 60 s unless ``code_ttl_seconds`` is given. Expiry is
  checked in whole seconds (``exp <= now``), so with ``code_ttl_seconds=1`` a
  code is certainly expired after sleeping 1.1 s (and may already be expired a
  few milliseconds after it was issued: use a short TTL only for the expiry
  test). Expired, reused, unknown codes and a wrong ``redirect_uri`` or PKCE
  verifier are all answered ``400 {"error": "invalid_grant"}``.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Literal
from urllib.parse import urljoin, urlsplit

import requests

__all__ = [
    "JS_DIR",
    "ProviderError",
    "RunningProvider",
    "authorize_as",
    "deny_authorization",
    "start_provider",
]

JS_DIR = Path(__file__).resolve().parent / "oidc_provider_js"
_SERVER_SCRIPT = JS_DIR / "server.mjs"
_HOST = "127.0.0.1"
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_MAX_HOPS = 20


class ProviderError(RuntimeError):
    """The provider could not be started, or an interaction did not go as a user's would."""


@dataclass
class RunningProvider:
    """A provider process started by :func:`start_provider`."""

    issuer: str
    client_id: str
    client_secret: str
    process: subprocess.Popen[bytes]
    redirect_uris: list[str]
    token_endpoint_auth_method: str
    log_path: Path
    _workdir: Path = field(repr=False)

    @property
    def discovery_url(self) -> str:
        """URL of the provider's OpenID configuration document."""
        return f"{self.issuer}/.well-known/openid-configuration"

    def metadata(self) -> dict[str, object]:
        """Fetch and return the provider's discovery document."""
        response = requests.get(self.discovery_url, timeout=5)
        response.raise_for_status()
        return response.json()

    def log(self) -> str:
        """Return what the provider process has logged so far (stdout and stderr)."""
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def stop(self) -> None:
        """Terminate the provider process (idempotent) and remove its temporary files."""
        atexit.unregister(self.stop)
        _terminate(self.process)
        shutil.rmtree(self._workdir, ignore_errors=True)

    def __enter__(self) -> RunningProvider:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def _terminate(process: subprocess.Popen[bytes]) -> None:
    if process.stdin is not None:
        with contextlib.suppress(OSError):
            process.stdin.close()
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _ensure_node_modules() -> None:
    """Run ``npm ci`` in :data:`JS_DIR` if ``oidc-provider`` is not installed there."""
    marker = JS_DIR / "node_modules" / "oidc-provider" / "package.json"
    if marker.is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise ProviderError("npm is not on PATH; it is needed to install tests/oidc_provider_js")
    lock_path = Path(tempfile.gettempdir()) / "samspill-oidc-provider-npm-ci.lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one installer at a time (pytest-xdist)
        if marker.is_file():
            return
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            cwd=JS_DIR,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0 or not marker.is_file():
            raise ProviderError(
                f"npm ci in {JS_DIR} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )


def start_provider(
    redirect_uris: list[str],
    *,
    code_ttl_seconds: int | None = None,
    client_id: str = "samspill-test-client",
    client_secret: str | None = None,
    token_endpoint_auth_method: Literal[
        "client_secret_basic", "client_secret_post"
    ] = "client_secret_basic",
    require_pkce: bool = False,
    conform_id_token_claims: bool | None = False,
    email_verified_claim: bool = True,
    post_logout_redirect_uris: list[str] | None = None,
    startup_timeout: float = 30.0,
) -> RunningProvider:
    """Start an OpenID provider process on a free loopback port and wait until it answers.

    ``redirect_uris`` are the exact redirect URIs registered for the client.
    ``code_ttl_seconds`` sets the authorization code lifetime (default 60 s).
    ``client_secret`` defaults to a fresh random value. ``conform_id_token_claims`` is
    oidc-provider's setting: False (the default here) puts email and name in the ID token too,
    None keeps the provider's own default, where they come only from the userinfo endpoint.
    ``email_verified_claim=False`` makes a provider that never asserts ``email_verified`` (it is
    left out of ``claims_supported`` too), as Entra ID does. The process is stopped
    by :meth:`RunningProvider.stop`, at interpreter exit, and by itself when
    this Python process dies (it watches its stdin).
    """
    if not redirect_uris:
        raise ValueError("at least one redirect URI is required")
    if code_ttl_seconds is not None and code_ttl_seconds < 1:
        raise ValueError("code_ttl_seconds must be a positive integer")
    node = shutil.which("node")
    if node is None:
        raise ProviderError("node is not on PATH; the OIDC test provider needs Node.js >= 20.19")
    _ensure_node_modules()

    secret = client_secret if client_secret is not None else secrets.token_urlsafe(24)
    workdir = Path(tempfile.mkdtemp(prefix="samspill-oidc-"))
    port_file = workdir / "port"
    log_path = workdir / "provider.log"
    config = {
        "host": _HOST,
        "portFile": str(port_file),
        "clientId": client_id,
        "clientSecret": secret,
        "redirectUris": list(redirect_uris),
        "postLogoutRedirectUris": list(post_logout_redirect_uris or []),
        "tokenEndpointAuthMethod": token_endpoint_auth_method,
        "codeTtlSeconds": int(code_ttl_seconds) if code_ttl_seconds is not None else 60,
        "requirePkce": require_pkce,
        "conformIdTokenClaims": conform_id_token_claims,
        "emailVerifiedClaim": email_verified_claim,
    }
    env = {k: v for k, v in os.environ.items() if k != "NODE_OPTIONS"}
    env.setdefault("NODE_ENV", "test")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [node, str(_SERVER_SCRIPT), json.dumps(config)],
            cwd=JS_DIR,
            stdin=subprocess.PIPE,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
        )
    provider = RunningProvider(
        issuer="",
        client_id=client_id,
        client_secret=secret,
        process=process,
        redirect_uris=list(redirect_uris),
        token_endpoint_auth_method=token_endpoint_auth_method,
        log_path=log_path,
        _workdir=workdir,
    )
    atexit.register(provider.stop)
    try:
        provider.issuer = _wait_until_ready(provider, port_file, startup_timeout)
    except BaseException:
        provider.stop()
        raise
    return provider


def _wait_until_ready(provider: RunningProvider, port_file: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    issuer = None
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if provider.process.poll() is not None:
            raise ProviderError(
                f"OIDC provider exited with {provider.process.returncode}:\n{provider.log()}"
            )
        if issuer is None and port_file.is_file():
            issuer = f"http://{_HOST}:{int(port_file.read_text().strip())}"
        if issuer is not None:
            try:
                response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2)
                if response.status_code == 200 and response.json().get("issuer") == issuer:
                    return issuer
                last_error = ProviderError(f"discovery answered {response.status_code}")
            except requests.RequestException as exc:
                last_error = exc
        time.sleep(0.05)
    raise ProviderError(
        f"OIDC provider not ready after {timeout} s (last error: {last_error!r}):\n{provider.log()}"
    )


class _FormParser(HTMLParser):
    """Collect the forms of a page: action, method and their input fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self._current: dict[str, object] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self._current = {
                "id": attributes.get("id", ""),
                "action": attributes.get("action", ""),
                "method": attributes.get("method", "get").lower(),
                "inputs": [],
            }
            self.forms.append(self._current)
        elif tag in {"input", "button"} and self._current is not None:
            inputs = self._current["inputs"]
            assert isinstance(inputs, list)
            inputs.append(attributes)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc


def _drive(
    authorization_url: str,
    fill: dict[str, str] | None,
    *,
    deny: bool = False,
    timeout: float = 10.0,
) -> str:
    """Act as a browser at the provider until it redirects away from its own origin."""
    provider_origin = _origin(authorization_url)
    with requests.Session() as browser:
        response = browser.get(authorization_url, allow_redirects=False, timeout=timeout)
        for _ in range(_MAX_HOPS):
            if response.status_code in _REDIRECT_STATUSES:
                location = urljoin(response.url, response.headers["Location"])
                if _origin(location) != provider_origin:
                    return location
                response = browser.get(location, allow_redirects=False, timeout=timeout)
                continue
            if response.status_code != 200:
                raise ProviderError(
                    f"provider answered {response.status_code} at {response.url}:\n"
                    f"{response.text[:2000]}"
                )
            parser = _FormParser()
            parser.feed(response.text)
            if deny:
                cancel = _abort_link(response.text)
                if cancel is None:
                    raise ProviderError(f"no cancel link on page {response.url}")
                response = browser.get(
                    urljoin(response.url, cancel), allow_redirects=False, timeout=timeout
                )
                continue
            form = _pick_form(parser.forms, response.url)
            data: dict[str, str] = {}
            inputs = form["inputs"]
            assert isinstance(inputs, list)
            for field_attrs in inputs:
                name = field_attrs.get("name")
                if not name or field_attrs.get("type") in {"submit", "button"}:
                    continue
                if form["id"] == "login":
                    assert fill is not None
                    if name in fill:
                        data[name] = fill[name]
                elif field_attrs.get("type") != "checkbox" or "checked" in field_attrs:
                    data[name] = field_attrs.get("value", "")
            action = urljoin(response.url, str(form["action"]) or response.url)
            if form["method"] == "post":
                response = browser.post(action, data=data, allow_redirects=False, timeout=timeout)
            else:
                response = browser.get(action, params=data, allow_redirects=False, timeout=timeout)
        raise ProviderError(f"more than {_MAX_HOPS} steps at the provider; last at {response.url}")


def _pick_form(forms: list[dict[str, object]], url: str) -> dict[str, object]:
    for form_id in ("login", "consent"):
        for form in forms:
            if form["id"] == form_id:
                return form
    raise ProviderError(f"no login or consent form on page {url}")


def _abort_link(html: str) -> str | None:
    marker = '/abort"'
    end = html.find(marker)
    if end == -1:
        return None
    start = html.rfind('href="', 0, end) + len('href="')
    return html[start : end + len(marker) - 1]


def authorize_as(
    authorization_url: str,
    *,
    sub: str,
    email: str,
    email_verified: bool = True,
    name: str = "",
) -> str:
    """Sign in at the provider as the given identity and consent, as a user's browser would.

    ``authorization_url`` is the full URL the app redirected the browser to (the
    provider's authorization endpoint with client_id, redirect_uri, scope,
    state, nonce, code_challenge, ...). Returns the URL the provider finally
    redirects to (the client's redirect_uri with ``code``, ``state`` and
    ``iss``, or with ``error`` if the provider refused the request), without
    following it. The claims ``sub``, ``email``, ``email_verified`` and
    ``name`` (omitted when empty) are given to the ID token and userinfo for the
    scopes ``openid``, ``email`` and ``profile``. Raises :class:`ProviderError`
    if the provider shows an error page instead (e.g. unknown redirect_uri).
    """
    fill = {"sub": sub, "email": email}
    if email_verified:
        fill["email_verified"] = "true"
    if name:
        fill["name"] = name
    return _drive(authorization_url, fill)


def deny_authorization(authorization_url: str) -> str:
    """Cancel at the provider's login page, as a user would.

    Returns the URL the provider redirects to: the client's redirect_uri with
    ``error=access_denied``, ``state`` and ``iss``.
    """
    return _drive(authorization_url, None, deny=True)
