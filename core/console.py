"""The `samspill` console script: a Flask command group bound to the app factory.

It sits above `core.app` (the one module that imports the factory for the command line), so the
commands below it (`core.cli`, `core.demo`, `core.server`) never import the app back; `samspill
serve` and `samspill demo` hand this factory to gunicorn's workers.
"""

from __future__ import annotations

from typing import Any

import click
from flask import Flask
from flask.cli import FlaskGroup

from core.app import create_app


def app_factory(config: dict[str, Any] | None = None) -> Flask:
    """`create_app` for the command line and for each gunicorn worker (with the demo's overrides)."""
    return create_app(config)


@click.group(cls=FlaskGroup, create_app=app_factory, add_version_option=False,
             load_dotenv=False, set_debug_flag=False)
def main() -> None:
    """Samspill: innovative public procurement for Norwegian municipalities."""
