"""The `samspill bench-data` and `samspill bench run` commands."""

from __future__ import annotations

import click


def register(cli_group: click.Group) -> None:
    """Add the bench commands to the `samspill` group."""
