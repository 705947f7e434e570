"""Domain errors raised by services, and the one handler that maps them to HTTP.

Services raise `NotFound`, `Forbidden`, `Conflict`, `DeadlinePassed`, `ValidationError`, ...
The API answers `application/problem+json` (RFC 9457) with a stable `type`; HTML pages get
an error page in the user's language.

Messages are marked with `core.i18n._l` (lazy) where they are raised and become plain `str`
in the request's language when read: `error.detail`, `error.errors` and `error.extra` are
always plain strings (never a LazyString, which Jinja would treat as safe markup and the
session could not store), and every problem+json body passes through `plain()`.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, json, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from werkzeug.exceptions import HTTPException

from core.i18n import _l

PROBLEM_BASE = "https://samspill.no/problems/"


def plain(value: Any) -> Any:
    """`value` with every lazy message turned into `str` in the current language (recursing into
    dicts, lists and tuples); anything else is returned as it is."""
    if isinstance(value, LazyString):
        return str(value)
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


class DomainError(Exception):
    """Base of every error a service raises on purpose.

    `detail` and the messages in `errors` are `_l("…")` message ids (or plain text from a
    third party); they are translated when read, i.e. when the answer is rendered."""

    status = 400
    slug = "bad-request"
    title: Any = _l("Bad request")

    def __init__(self, detail: Any = "", *, errors: dict[str, Any] | None = None, **extra: Any):
        super().__init__(detail or self.title)
        self._detail = detail or self.title
        self._errors = errors or {}
        self._extra = extra

    @property
    def detail(self) -> str:
        return str(plain(self._detail))

    @detail.setter
    def detail(self, value: Any) -> None:
        self._detail = value

    @property
    def errors(self) -> dict[str, Any]:
        return plain(self._errors)

    @errors.setter
    def errors(self, value: dict[str, Any] | None) -> None:
        self._errors = value or {}

    @property
    def extra(self) -> dict[str, Any]:
        return plain(self._extra)

    @extra.setter
    def extra(self, value: dict[str, Any]) -> None:
        self._extra = value

    def __str__(self) -> str:
        return self.detail


class ValidationError(DomainError):
    status = 422
    slug = "validation-error"
    title = _l("Invalid input")


class NotFound(DomainError):
    status = 404
    slug = "not-found"
    title = _l("Not found")


class Forbidden(DomainError):
    """Used only where the caller may already know the object exists; otherwise NotFound."""

    status = 403
    slug = "forbidden"
    title = _l("Forbidden")


class Unauthorized(DomainError):
    status = 401
    slug = "unauthorized"
    title = _l("Authentication required")


class Conflict(DomainError):
    status = 409
    slug = "conflict"
    title = _l("Conflict")


class PreconditionFailed(DomainError):
    status = 412
    slug = "precondition-failed"
    title = _l("Precondition failed")


class DeadlinePassed(DomainError):
    status = 409
    slug = "deadline-passed"
    title = _l("Deadline passed")


class Frozen(DomainError):
    status = 409
    slug = "frozen"
    title = _l("Read-only")


def wants_problem_json() -> bool:
    """API paths and JSON clients get problem+json; browsers get pages."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and not request.accept_mimetypes.accept_html


def problem_response(
    status: int, slug: str, title: Any, detail: Any, **extra: Any
) -> Response:
    """An RFC 9457 body; lazy messages anywhere in it are rendered in the request's language."""
    body = {"type": PROBLEM_BASE + slug, "title": str(plain(title)), "status": status, "detail": str(plain(detail))}
    body.update({k: plain(v) for k, v in extra.items() if v not in (None, {}, [])})
    return Response(json.dumps(body), status=status, mimetype="application/problem+json")


def _html_error(status: int, title: str, detail: str) -> tuple[str, int]:
    return render_template("error.html", status=status, title=title, detail=detail), status


HTTP_SLUGS = {
    400: ("bad-request", _l("Bad request")),
    401: ("unauthorized", _l("Authentication required")),
    403: ("forbidden", _l("Forbidden")),
    404: ("not-found", _l("Not found")),
    405: ("method-not-allowed", _l("Method not allowed")),
    409: ("conflict", _l("Conflict")),
    412: ("precondition-failed", _l("Precondition failed")),
    413: ("payload-too-large", _l("Payload too large")),
    415: ("unsupported-media-type", _l("Unsupported media type")),
    422: ("validation-error", _l("Invalid input")),
    428: ("precondition-required", _l("Precondition required")),
    429: ("too-many-requests", _l("Too many requests")),
}


def localised_title(status: int) -> str:
    titles = {
        400: _("The request could not be understood."),
        401: _("You need to sign in."),
        403: _("You do not have access to this."),
        404: _("We could not find that page."),
        405: _("That action is not allowed here."),
        409: _("That could not be done now."),
        413: _("The upload is too large."),
        422: _("Some of the input is invalid."),
        429: _("Too many attempts. Wait a little and try again."),
        503: _("The service is unavailable just now. Try again in a little while."),
    }
    return titles.get(status, _("Something went wrong."))


def _first_message(errors: Any) -> str | None:
    """The first message in a nested marshmallow/webargs error structure."""
    if isinstance(errors, str):
        return errors
    values = errors.values() if isinstance(errors, dict) else errors if isinstance(errors, list) else []
    return next((m for m in map(_first_message, values) if m), None)


def register_error_handlers(app: Flask) -> None:
    """One place maps domain and HTTP errors to problem+json or an HTML page."""

    @app.errorhandler(DomainError)
    def handle_domain_error(error: DomainError):
        if wants_problem_json():
            response = problem_response(
                error.status, error.slug, error.title, error.detail,
                errors=error.errors, **error.extra,
            )
            if error.status == 401:  # RFC 6750: the scheme, and whether the given token failed
                given = ', error="invalid_token"' if request.headers.get("Authorization") else ""
                response.headers["WWW-Authenticate"] = 'Bearer realm="samspill"' + given
            return response
        if error.status == 401 and request.method == "GET":  # a page that needs a signed-in person
            return redirect(url_for("identity.sign_in", next=request.full_path.rstrip("?")))
        return _html_error(error.status, localised_title(error.status), error.detail)

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        status = error.code or 500
        slug, title = HTTP_SLUGS.get(status, ("error", error.name))
        if wants_problem_json():
            extra: dict[str, Any] = {}
            data = getattr(error, "data", None)  # webargs/marshmallow details from smorest
            if isinstance(data, dict) and data.get("messages"):
                extra["errors"] = plain(data["messages"])
            detail = error.description if status != 422 else _("Some fields are invalid.")
            if status == 400 and extra.get("errors"):  # e.g. webargs: {"json": ["Invalid JSON body."]}
                detail = _first_message(extra["errors"]) or detail
            response = problem_response(status, slug, title, detail or title, **extra)
            if status == 429:
                response.headers["Retry-After"] = "60"
            return response
        detail = _("Too many attempts. Wait a little and try again.") if status == 429 else ""
        return _html_error(status, localised_title(status), detail)

    @app.errorhandler(500)
    def handle_server_error(error):
        if wants_problem_json():
            return problem_response(500, "server-error", _("Internal error"), _("Internal error"))
        return _html_error(500, localised_title(500), "")
