"""Cheaper URLs for templates: `url_per_id` (a row's link without a `url_for` per row),
`fixed_url` (a link that never changes within an app, built once per script root),
`slug_url` (a tenant page's link for any tenant, built once per script root),
`tenant_url_per_id` (`url_per_id` in the request's tenant, its builder kept likewise) and
`row_url` (`url_per_id` for a page outside the tenant pages, kept likewise).

`url_for` costs ~0.05 ms (werkzeug's rule lookup and building); a list of 20 rows with a link
each, or the layout's ten links, pay it on every page. The helpers give the same strings
`url_for` gives (path only, with the request's script root, so a subpath deployment keeps
working); all but `tenant_url_per_id` are Jinja globals (`init_app`).
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote

from flask import Flask, current_app, g, request, url_for
from flask.globals import _cv_app, _cv_request
from werkzeug.routing import BuildError

# Stand-ins for the varying value, one per URL converter kind; none can occur in a real URL.
_SENTINELS: tuple[Any, ...] = (uuid.UUID("00000000-0000-4000-8000-5a3b5b111d00"), 918273645, "samspill-row-id-x9q")
_SAFE = "!$&'()*+,/:;=@"  # the characters werkzeug leaves unquoted in a path value
_SLUG = "samspill-tenant-slug-q7z"  # the stand-in for a tenant's slug in a kept builder


class RowUrl:
    """The URL of `endpoint` for any value of one argument: `row_url(value)`."""

    __slots__ = ("_endpoint", "_key", "_parts", "_values")

    def __init__(self, endpoint: str, key: str, values: dict[str, Any]) -> None:
        self._endpoint, self._key, self._values = endpoint, key, values
        self._parts: tuple[str, str, str] | None = None
        for sentinel in _SENTINELS:
            try:
                url = url_for(endpoint, **{key: sentinel}, **values)
            except (BuildError, ValueError, TypeError):
                continue
            text = str(sentinel)
            if url.count(text) == 1:
                head, _, tail = url.partition(text)
                self._parts = (head, tail, type(sentinel).__name__)
            break  # built but not splittable (the value appears twice): url_for per row

    def in_tenant(self, slug: str) -> RowUrl | None:
        """This builder (made with `slug=_SLUG`) for the tenant `slug`, or None when the
        stand-in is not once in the path before the value."""
        parts = self._parts
        if parts is None or parts[0].count(_SLUG) != 1 or _SLUG in parts[1] or "?" in parts[0]:
            return None
        built = RowUrl.__new__(RowUrl)
        built._endpoint, built._key = self._endpoint, self._key
        built._values = {**self._values, "slug": slug}
        built._parts = (parts[0].replace(_SLUG, quote(slug, safe=_SAFE)), parts[1], parts[2])
        return built

    def __call__(self, value: Any) -> str:
        parts = self._parts
        if parts is None or value is None:
            return url_for(self._endpoint, **{self._key: value}, **self._values)
        head, tail, kind = parts
        if kind == "int":
            return f"{head}{int(value)}{tail}"
        if isinstance(value, uuid.UUID):
            return f"{head}{value}{tail}"
        if "?" in head:  # a query string value: werkzeug encodes it differently from a path's
            return url_for(self._endpoint, **{self._key: value}, **self._values)
        return f"{head}{quote(str(value), safe=_SAFE)}{tail}"


def url_per_id(endpoint: str, key: str = "id", **values: Any) -> RowUrl:
    """A builder of `url_for(endpoint, **{key: value}, **values)` for many values: one
    `url_for` now, string joining per row. E.g. in a template:

        {% set row_url = url_per_id('procurement.show', 'procurement_id', slug=tenant.slug) %}
        {% for p in rows %}<a href="{{ row_url(p.id) }}">{% endfor %}
    """
    return RowUrl(endpoint, key, values)


_FIXED_KEY = "samspill.fixed_urls"


def _kept(key: str) -> tuple[dict, str]:
    """The app's cache `key` and the request's script root, read from Flask's context variables
    without a proxy look-up each (these helpers run several times per page); outside a request
    Flask's proxies give their own error."""
    context = _cv_request.get(None)
    if context is None:
        return current_app.extensions[key], request.script_root
    return context.app.extensions[key], context.request.script_root


def fixed_url(endpoint: str, **values: Any) -> str:
    """`url_for(endpoint, **values)` remembered per process and script root: for links whose
    arguments are constants (static files, the layout's menu). Not for per-tenant or per-row
    values — the cache would grow with them (use `url_per_id`) — and not for endpoints whose
    blueprint adds `url_defaults` from the request (the tenant pages' slug)."""
    cache, script_root = _kept(_FIXED_KEY)
    key = (script_root, endpoint, tuple(sorted(values.items())))
    url = cache.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        if len(cache) < 1024:
            cache[key] = url
    return url


_SLUG_KEY = "samspill.slug_urls"


def tenant_url_per_id(endpoint: str, key: str = "id", **values: Any) -> RowUrl:
    """`url_per_id` for a tenant page (`/t/<slug>/…`) in the request's tenant, without a
    `url_for` per request: the builder is made once per process and script root with a stand-in
    slug and kept, and takes the slug the tenant blueprints' `url_defaults` would add
    (`g.tenant_slug`). Outside a tenant, or for a URL it cannot split, it is `url_per_id`."""
    app_context = _cv_app.get(None)
    slug = (app_context.g if app_context is not None else g).get("tenant_slug")
    if not slug:
        return url_per_id(endpoint, key, **values)
    cache, script_root = _kept(_SLUG_KEY)
    cache_key = (script_root, endpoint, key, tuple(sorted(values.items())))
    kept = cache.get(cache_key)
    if kept is None:
        kept = RowUrl(endpoint, key, {**values, "slug": _SLUG})
        if len(cache) < 1024:
            cache[cache_key] = kept
    return kept.in_tenant(slug) or url_per_id(endpoint, key, **values)


def slug_url(endpoint: str) -> RowUrl:
    """The builder of `url_for(endpoint, slug=…)` for a tenant page without other arguments,
    made once per process and script root (one `url_for`) and kept: `slug_url(e)(tenant.slug)`
    joins strings. The slug is passed, so the tenant blueprint's `url_defaults` adds nothing."""
    cache, script_root = _kept(_SLUG_KEY)
    key = (script_root, endpoint)
    found = cache.get(key)
    if found is None:
        found = RowUrl(endpoint, "slug", {})
        if len(cache) < 1024:
            cache[key] = found
    return found


def row_url(endpoint: str, key: str = "id") -> RowUrl:
    """The builder of `url_for(endpoint, **{key: value})` for a page outside the tenant pages
    (no `url_defaults` from the request, e.g. the arena's templates), made once per process and
    script root (one `url_for`) and kept, as `slug_url` is."""
    cache, script_root = _kept(_SLUG_KEY)
    cache_key = (script_root, endpoint, key, "row")
    found = cache.get(cache_key)
    if found is None:
        found = RowUrl(endpoint, key, {})
        if len(cache) < 1024:
            cache[cache_key] = found
    return found


def init_app(app: Flask) -> None:
    app.extensions[_FIXED_KEY] = {}
    app.extensions[_SLUG_KEY] = {}
    app.jinja_env.globals.update(url_per_id=url_per_id, fixed_url=fixed_url, slug_url=slug_url)


