"""One request at a time against the running server: sign-in, probes and cursor walks.

The load itself comes from wrk; this small client signs the benchmark person in through the
real sign-in form (CSRF token and all), reads one response per endpoint (its status and the
`X-Samspill-Queries` header) and follows API cursors to find a deep page.
"""

from __future__ import annotations

import http.client
import json
import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SESSION_COOKIE = "samspill_session"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


def request(base_url: str, method: str, path: str, *, headers: dict[str, str] | None = None,
            body: bytes | None = None) -> Reply:
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        all_headers: dict[str, str] = {}
        for key, value in response.getheaders():
            key = key.lower()
            all_headers[key] = f"{all_headers[key]}, {value}" if key in all_headers else value
        return Reply(response.status, all_headers, data)
    finally:
        conn.close()


def _cookies(reply: Reply, jar: dict[str, str]) -> None:
    raw = reply.headers.get("set-cookie")
    if raw:
        parsed = SimpleCookie()
        for part in re.split(r", (?=[A-Za-z0-9_\-]+=)", raw):
            parsed.load(part)
        jar.update({k: m.value for k, m in parsed.items()})


def sign_in(base_url: str, email: str, password: str) -> str:
    """Sign in through the HTML form; returns the `Cookie` header value of the session."""
    jar: dict[str, str] = {}
    page = request(base_url, "GET", "/signin")
    _cookies(page, jar)
    match = CSRF_RE.search(page.body.decode())
    form = {"email": email, "password": password}
    if match:
        form["csrf_token"] = match.group(1)
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    reply = request(base_url, "POST", "/signin", body=urlencode(form).encode(), headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    _cookies(reply, jar)
    if reply.status != 302 or SESSION_COOKIE not in jar:
        raise RuntimeError(f"sign-in failed with HTTP {reply.status}")
    return f"{SESSION_COOKIE}={jar[SESSION_COOKIE]}"


def next_cursor(reply: Reply) -> str | None:
    """The next page's cursor from a JSON list body (`next_cursor`/`next`) or a Link header."""
    try:
        data = reply.json()
    except ValueError:
        data = None
    if isinstance(data, dict):
        for key in ("next_cursor", "cursor", "next"):
            value = data.get(key) or (data.get("page") or {}).get(key)
            if isinstance(value, str) and value:
                return value.split("cursor=")[-1].split("&")[0] if "cursor=" in value else value
    link = reply.headers.get("link", "")
    match = re.search(r'[?&]cursor=([^&>]+)[^>]*>;\s*rel="?next', link)
    return match.group(1) if match else None
