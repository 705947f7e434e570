"""Every sequence Jinja joins into a string while a test renders (a render's pieces, a set block's
buffer): how the page-pieces tests see whether a page reaches the layout in one piece."""

from __future__ import annotations


def record_joins(app, monkeypatch) -> list[list[str]]:
    seen: list[list[str]] = []

    def concat(pieces):
        pieces = list(pieces)
        seen.append(pieces)
        return "".join(pieces)
    monkeypatch.setattr(app.jinja_env, "concat", concat)
    return seen


def pieces_of(joins: list[list[str]], html: str) -> int:
    """How many pieces the render that gave `html` joined (the last join giving that text)."""
    return next(len(p) for p in reversed(joins) if "".join(p) == html)
