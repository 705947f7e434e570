"""Deterministic races: run a second, real request at the moment the first one flushes.

`interleaved(model, second)` makes the next flush of the app's session that writes a new or
changed `model` row first call `second()` — a complete request through another test client, run
in a thread of its own (so its own app context, session and database connection), which commits
before the first request's own statements reach the database. Nothing is faked: both requests
run the real code on the real database; only the moment is chosen, so the race happens every run.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session


@contextmanager
def interleaved(model: type, second: Callable[[], Any]) -> Iterator[dict[str, Any]]:
    """Yields a dict whose "second" holds what `second()` returned once it ran."""
    outcome: dict[str, Any] = {}

    def before_flush(session, _context, _instances) -> None:
        if "second" in outcome or outcome.get("running"):
            return
        if not any(isinstance(obj, model) for obj in (*session.new, *session.dirty)):
            return
        outcome["running"] = True
        thread = threading.Thread(target=lambda: outcome.__setitem__("second", second()))
        thread.start()
        thread.join(timeout=60)

    event.listen(Session, "before_flush", before_flush)
    try:
        yield outcome
    finally:
        event.remove(Session, "before_flush", before_flush)
