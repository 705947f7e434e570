"""Guards around every plugin hook implementation (installed by `core.plugin_platform.host`).

A plain implementation that raises is reported against its plugin and counts as "no answer"
(pluggy drops `None` results; for `firstresult` hooks the next plugin answers). Lifecycle
events run in a savepoint so a failing handler leaves no half-written rows. A plugin's
`wrapper=True` generator is driven by hand so its own errors never replace the result.
"""

from __future__ import annotations

import traceback

from flask import has_app_context

from core.db import db
from core.plugin_platform import hookspecs


def describe(exc: BaseException) -> str:
    last = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    where = f" ({last[0].filename}:{last[0].lineno})" if last else ""
    return f"{type(exc).__name__}: {exc}{where}"


def guard_call(host, name: str, hook: str, function):
    """Run one plugin's implementation; an exception is reported and counts as no answer."""
    savepoint = hook in hookspecs.PROCUREMENT_HOOKS and hook != "samspill_gate_items"

    def guarded(*args):
        try:
            if savepoint and has_app_context():
                with db.session.begin_nested():  # a failing event handler leaves no half-write
                    return function(*args)
            return function(*args)
        except Exception as exc:
            host.report(name, "hook", describe(exc), hook=hook, exc=exc)
            return None

    guarded._samspill_guarded = True
    return guarded


def guard_wrapper(host, name: str, hook: str, function):
    """Guard a plugin's `wrapper=True` generator: its own errors never replace the result."""

    def guarded(*args):
        try:
            gen = function(*args)
            next(gen)
        except Exception as exc:
            host.report(name, "hook", describe(exc), hook=hook, exc=exc)
            return (yield)
        try:
            inner = yield
        except BaseException as thrown:
            try:
                gen.throw(thrown)
            except StopIteration as stop:
                return stop.value
            except Exception as exc:
                if exc is not thrown:
                    host.report(name, "hook", describe(exc), hook=hook, exc=exc)
                raise thrown from None
            raise thrown from None
        try:
            gen.send(inner)
        except StopIteration as stop:
            return stop.value
        except Exception as exc:
            host.report(name, "hook", describe(exc), hook=hook, exc=exc)
            return inner
        host.report(name, "hook", "The wrapper yielded more than once.", hook=hook)
        return inner

    guarded._samspill_guarded = True
    return guarded
