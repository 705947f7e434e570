"""Samspill's shared kernel. `create_app` is the application factory.

`core.create_app` is looked up on first use: the factory imports every package of the platform,
and importing a low module such as `core.db` (which runs this file first) must not.
"""

from __future__ import annotations

__all__ = ["create_app"]


def __getattr__(name: str):
    if name == "create_app":
        from core.app import create_app  # noqa: PLC0415  (lazy: see the module docstring)

        return create_app
    raise AttributeError(f"module 'core' has no attribute {name!r}")
