"""HTML form handling shared by the procurement pages: run one service call, commit, flash and
redirect; or roll back and show the errors next to the fields (404/403 stay errors)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, flash, redirect
from werkzeug.wrappers import Response

from core.db import db
from core.errors import DomainError

PASS_THROUGH = (401, 403, 404)


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


def perform(action: Callable[[], Any], *, success: str, redirect_to: str | Callable[[Any], str],
            on_error: Callable[[dict, int], Any]) -> Any:
    """Run `action`; on success commit, flash `success` and redirect (303)."""
    try:
        result = action()
    except DomainError as exc:
        db.session.rollback()
        if exc.status in PASS_THROUGH:
            raise
        return on_error(field_errors(exc), exc.status)
    db.session.commit()
    if success:
        flash(success, "success")
    target = redirect_to(result) if callable(redirect_to) else redirect_to
    return redirect(target, 303)


def nav_items(procurement) -> list[dict[str, str]]:
    """Extra tabs for a procurement's pages from `app.extensions["samspill.procurement_nav"]`:
    callables `(procurement) -> [{"url", "label"}]` (the dialogue pages, plugins)."""
    items: list[dict[str, str]] = []
    for provider in current_app.extensions.get("samspill.procurement_nav", ()):
        try:
            items.extend(provider(procurement) or [])
        except Exception:  # a broken provider must not hide the procurement
            current_app.logger.exception("procurement nav provider failed")
    return items


__all__ = ["Response", "field_errors", "nav_items", "perform"]
