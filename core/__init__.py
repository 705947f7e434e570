"""Samspill's shared kernel. `create_app` is the application factory."""

from core.app import create_app

__all__ = ["create_app"]
