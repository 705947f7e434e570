"""`samspill welfare-tech export-library`: the requirement library as JSON on stdout."""

from __future__ import annotations

import json

import click

from plugins.welfare_tech import content


@click.group("welfare-tech")
def welfare_group() -> None:
    """Welfare-technology plugin tools."""


@welfare_group.command("export-library")
@click.option("--category", type=click.Choice(sorted(content.REQUIREMENT_CATEGORIES)))
def export_library(category: str | None) -> None:
    """Print the requirement library (optionally one category) as JSON."""
    items = [r for r in content.REQUIREMENTS if category in (None, r["category"])]
    click.echo(json.dumps({"categories": content.REQUIREMENT_CATEGORIES, "requirements": items},
                          ensure_ascii=False, indent=2))
