"""Optimistic concurrency for the JSON API's PATCH requests (RFC 9110 conditional requests).

A resource answers `GET` with an ETag `"<prefix>-<version>"`; a `PATCH` must send `If-Match`
with it (stale → 412 from the service) or the `version` it read in the body (stale → 409);
with neither it answers 428, so no client overwrites a change it never saw by accident.
`If-Match: *` is the explicit way to say "whatever is current".
"""

from __future__ import annotations

import re

from flask import request

from core.errors import Conflict, DomainError, PreconditionFailed
from core.i18n import _l


class PreconditionRequired(DomainError):
    status = 428
    slug = "precondition-required"
    title = "Precondition required"


def etag_pattern(prefix: str) -> re.Pattern:
    """Matches `"<prefix>-<n>"` (weak or strong) and captures the version."""
    return re.compile(rf'^(?:W/)?"{re.escape(prefix)}-(\d+)"$')


def sent_versions(data: dict, etag: re.Pattern) -> tuple[int | None, int | None]:
    """(version from `If-Match`, `version` popped from the body) of this request; 428 when
    neither was sent. An `If-Match` that names no version of ours counts as stale (-1)."""
    header = request.headers.get("If-Match", "").strip()
    if_match = None
    if header and header != "*":
        match = etag.match(header)
        if_match = int(match.group(1)) if match else -1
    expected = data.pop("version", None)
    if not header and expected is None:
        raise PreconditionRequired(_l("Send If-Match with the ETag, or the version you read."))
    return if_match, expected


def check_version(current: int, *, if_match: int | None, expected: int | None, refetch, reopen) -> None:
    """Refuse a change based on an older version: a stale `If-Match` answers 412 (`refetch`, the
    message), a stale `version` sent back 409 (`reopen`). Services call this before changing."""
    if if_match is not None and if_match != current:
        raise PreconditionFailed(refetch, current_version=current)
    if expected is not None and expected != current:
        raise Conflict(reopen, current_version=current)
