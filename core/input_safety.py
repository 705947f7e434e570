"""The request-level safety net for text input: every request is checked before any view runs.

Text the database cannot store is refused here, for every JSON body, form, query string and
URL variable at once, so no view or schema has to remember it: a NUL character (PostgreSQL
refuses it in text) and an unpaired UTF-16 surrogate (JSON's "\\ud800" escape: not a character,
so no encoder accepts it). The answer is 422 naming the field, in the shape webargs uses for
its own errors (`{"json": {"questions": {"0": {"text": [...]}}}}`). JSON bodies are also
limited to `MAX_JSON_DEPTH` levels of nesting, checked before they are parsed (a deeper body
would exhaust the parser's recursion): 400, as for any body that cannot be read.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, request

from core.errors import DomainError, ValidationError
from core.i18n import _l

MAX_JSON_DEPTH = 64
_FORBIDDEN = re.compile("[\x00\ud800-\udfff]")
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class BodyTooDeep(DomainError):
    status = 400
    slug = "bad-request"
    title = _l("Bad request")


def json_depth(raw: bytes) -> int:
    """How deeply `raw` JSON nests arrays and objects (brackets inside strings do not count)."""
    brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    depth = deepest = 0
    for byte in brackets:
        depth += 1 if byte in b"[{" else -1
        deepest = max(deepest, depth)
    return deepest


def forbidden_text(value: Any, path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    """The path of the first key or string in `value` holding NUL or an unpaired surrogate."""
    if isinstance(value, str):
        return path if _FORBIDDEN.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if _FORBIDDEN.search(str(key)):
                return (*path, str(key))
            found = forbidden_text(item, (*path, str(key)))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = forbidden_text(item, (*path, str(index)))
            if found is not None:
                return found
    return None


def _refuse(location: str, path: tuple[str, ...]) -> None:
    name = ".".join(path) or location
    errors: Any = [_l("Remove the NUL character or unpaired surrogate from this text.")]
    for part in reversed(path):
        errors = {part: errors}
    raise ValidationError(
        _l("The field %(field)s contains a character that cannot be stored (NUL or an unpaired surrogate).",
           field=name),
        errors={location: errors})


def _check_json_body() -> None:
    raw = request.get_data(cache=True)
    if not raw:
        return
    if json_depth(raw) > MAX_JSON_DEPTH:
        raise BodyTooDeep(_l("The JSON body is nested more than %(limit)s levels deep.", limit=MAX_JSON_DEPTH))
    try:
        body = json.loads(raw)
    except ValueError:
        return  # not JSON at all: the view's own parser answers 400 as usual
    path = forbidden_text(body)
    if path is not None:
        _refuse("json", path)


def check_request_text() -> None:
    """Refuse NUL, unpaired surrogates and too deep JSON anywhere in the request's input."""
    for location, values in (("path", request.view_args or {}), ("query", request.args.to_dict(flat=False))):
        path = forbidden_text(values)
        if path is not None:
            _refuse(location, path[:1])
    if request.is_json:
        _check_json_body()
    elif request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        path = forbidden_text(request.form.to_dict(flat=False))
        if path is not None:
            _refuse("form", path[:1])


def init_app(app: Flask) -> None:
    app.before_request(check_request_text)


def required_text(text: str | None, limit: int, field_name: str) -> str:
    """A required free text of at most `limit` characters, line endings normalised and trimmed;
    a ValidationError naming `field_name` otherwise."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text or len(text) > limit:
        raise ValidationError(_l("The text is required."),
                              errors={field_name: [_l("1-%(max)d characters.", max=limit)]})
    return text
