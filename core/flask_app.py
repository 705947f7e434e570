"""The Flask class of Samspill's apps: Flask's own, with `ensure_sync`'s answer kept per function.

Flask hands every function it runs for a request — the view, each `before_request`,
`after_request` and teardown function, each context processor — to `Flask.ensure_sync`, which
asks `inspect.iscoroutinefunction` (eight Python calls) before returning a plain function as it
is: about 30 times on a signed-in page, 20 on the benchmark's ceiling. Whether a function is a
coroutine function cannot change while it exists, so `App.ensure_sync` remembers the plain ones
(per app, at most `MAX_KEPT`) and asks Flask only about the rest; a coroutine function still goes
through Flask's `async_to_sync` every time, as before. `ensure_sync` is Flask's documented
override point ("Override this method to change how the app runs async views").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask

MAX_KEPT = 1024  # an app registers a few hundred functions; more would be a leak, not a need


class App(Flask):
    """Flask, with the plain (not `async def`) functions it runs remembered as such."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plain_functions: set[Callable[..., Any]] = set()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        plain = self._plain_functions
        try:
            if func in plain:
                return func
        except TypeError:  # an unhashable callable: Flask's answer, not kept
            return super().ensure_sync(func)
        result = super().ensure_sync(func)
        if result is func and len(plain) < MAX_KEPT:
            plain.add(func)
        return result
