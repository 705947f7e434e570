"""The one HTML form helper: run one service call for a form, roll back on a domain error and
give the page its messages next to the fields (401/403/404 stay errors).

`perform(...)` is the whole round trip (commit, flash, 303 redirect, or the form again with
its errors); `attempt(action)` is the first half for pages that decide themselves what to do
with the result. Both call the service once and never leave a half-written row.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect

from core.db import db
from core.errors import DomainError

PASS_THROUGH = (401, 403, 404)


class FormErrors(dict):
    """Field -> messages, with the HTTP status the page answers with (422, 409, 412 …)."""

    status = 422


def localise(errors: dict) -> dict:
    """Field -> list of messages as plain strings. Domain errors already give their messages in
    the page language (`core.errors`: `_l` messages become `str` when read), so nothing is
    translated again here."""
    return {name: [str(m) for m in messages] for name, messages in errors.items()}


def _flatten(name: str, messages: Any, into: dict[str, list[str]]) -> None:
    if isinstance(messages, dict):  # nested errors, e.g. {"extension": {"plugin": {"field": [...]}}}
        for key, inner in messages.items():
            _flatten(f"{name}--{key}", inner, into)
        return
    into.setdefault(name, []).extend(str(m) for m in (messages if isinstance(messages, list) else [messages]))


def field_errors(exc: DomainError, default_field: str = "form") -> dict[str, list[str]]:
    """Field -> messages; errors without a field are shown at the top of the form. Nested errors
    get the nested form field's name: `{"extension": {"p": {"f": [m]}}}` -> `extension--p--f`."""
    errors: dict[str, list[str]] = {}
    for name, messages in (exc.errors or {}).items():
        _flatten(str(name), messages, errors)
    if not errors:
        errors[default_field] = [exc.detail]
    if exc.extra.get("missing"):
        errors.setdefault("missing", []).extend(str(m["text"]) for m in exc.extra["missing"])
    return errors


def attempt(action: Callable[[], Any], *, summary: bool = True) -> tuple[Any, FormErrors]:
    """Run one service call for a form. Returns (result, errors); on a domain error the
    transaction is rolled back and the messages come back for the page: with `summary`,
    `errors["form"]` holds the clear sentence and field keys the messages next to fields;
    without, `field_errors(...)` (nested fields flattened, the sentence only when no field has
    a message). `errors.status` is the HTTP status. 401/403/404 propagate."""
    try:
        return action(), FormErrors()
    except DomainError as exc:
        db.session.rollback()
        if exc.status in PASS_THROUGH:
            raise
        if summary:
            errors = FormErrors(localise(exc.errors))
            errors["form"] = [exc.detail]
        else:
            errors = FormErrors(field_errors(exc))
        errors.status = exc.status
        return None, errors


def perform(action: Callable[[], Any], *, success: str, redirect_to: str | Callable[[Any], str],
            on_error: Callable[[dict, int], Any]) -> Any:
    """Run `action`; on success commit, flash `success` and redirect (303); on a domain error
    `on_error(errors, status)` shows the form again."""
    result, errors = attempt(action, summary=False)
    if errors:
        return on_error(dict(errors), errors.status)
    db.session.commit()
    if success:
        flash(success, "success")
    target = redirect_to(result) if callable(redirect_to) else redirect_to
    return redirect(target, 303)
