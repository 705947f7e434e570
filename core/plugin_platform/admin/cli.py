"""`samspill plugins list|enable|disable|settings`, and `samspill db upgrade` to every head.

The core adds these through its own `samspill_register_commands` hook implementation. The `db`
group is Flask-Migrate's, imported (with Alembic, about 10 MB resident) only when a `db` command
is run or asked for, not when a worker builds the app (`DatabaseCommands`).
"""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import DBAPIError

from core.commands import cli_errors
from core.extensions import api
from core.plugin_platform import problems
from core.plugin_platform import state as service
from core.plugin_platform.host import current_host
from core.plugin_platform.problems import database_not_ready
from core.plugin_platform.scaffold import generate
from tenants import service as tenants


def plugin_rows() -> list[dict]:
    """What `samspill plugins list` shows: one row per installed plugin."""

    host = current_host()
    api.write()  # the OpenAPI document, so a plugin's schema that breaks it is listed too
    where = service.where_enabled()
    recorded = problems.recorded()
    return [{
        "name": info.name,
        "version": info.version,
        "distribution": info.distribution,
        "module": info.module,
        "status": info.status,
        "contract": info.contract,
        "description": service.description_of(info),
        "hooks": host.hooks_of(info.name),
        "enabled_in": where.get(info.name, []),
        "errors": recorded.get(info.name, []),
    } for info in service.installed()]


@click.group("plugins")
def plugins_group() -> None:
    """Installed plugins, and each tenant's choice of them."""


@plugins_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@with_appcontext
@cli_errors
def plugins_list(as_json: bool) -> None:
    """Installed plugins: version, status, hooks, where enabled, and errors."""
    try:
        rows = plugin_rows()
    except DBAPIError as exc:  # no tables yet, or no database: one line, not a traceback
        raise click.ClickException(database_not_ready(exc)) from None
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("No plugins are installed.")
    for row in rows:
        where = ", ".join(row["enabled_in"]) or "-"
        click.echo(f"{row['name']:<24} {row['version'] or '?':<10} {row['status']:<8} "
                   f"enabled in: {where}")
        if row["hooks"]:
            click.echo(f"    hooks: {', '.join(h.removeprefix('samspill_') for h in row['hooks'])}")
        for error in row["errors"]:
            hook = f" [{error['hook']}]" if error["hook"] else ""
            seen = f" ×{error['count']}, last {error['at'][:19]}Z" if error["count"] > 1 else f" at {error['at'][:19]}Z"
            click.echo(f"    error ({error['kind']}){hook}{seen}: {error['message']}")


def _tenant(slug: str):

    return tenants.get_tenant(slug)


@plugins_group.command("enable")
@click.argument("slug")
@click.argument("plugin")
@with_appcontext
@cli_errors
def plugins_enable(slug: str, plugin: str) -> None:
    """Enable an installed PLUGIN for the tenant SLUG."""

    service.set_enabled(_tenant(slug), plugin, True, check_access=False)
    click.echo(f"{plugin} is enabled in {slug}")


@plugins_group.command("disable")
@click.argument("slug")
@click.argument("plugin")
@with_appcontext
@cli_errors
def plugins_disable(slug: str, plugin: str) -> None:
    """Disable PLUGIN for the tenant SLUG (its data stays)."""

    service.set_enabled(_tenant(slug), plugin, False, check_access=False)
    click.echo(f"{plugin} is disabled in {slug}")


@plugins_group.command("settings")
@click.argument("slug")
@click.argument("plugin")
@click.option("--set", "assignments", multiple=True, metavar="KEY=VALUE",
              help="Change one setting (repeatable); validated by the plugin's schema.")
@with_appcontext
@cli_errors
def plugins_settings(slug: str, plugin: str, assignments: tuple[str, ...]) -> None:
    """Show (or change with --set) PLUGIN's settings in the tenant SLUG, as JSON."""

    tenant = _tenant(slug)
    service.get_installed(plugin)
    if assignments:
        service.update_settings(tenant, plugin, service.parse_assignments(list(assignments)),
                                check_access=False)
    click.echo(json.dumps(service.tenant_settings(tenant.id, plugin), ensure_ascii=False,
                          indent=2, sort_keys=True))


@plugins_group.command("new")
@click.argument("name")
@click.option("--dir", "directory", default=".", show_default=True, type=click.Path(file_okay=False),
              help="Folder to create the package in.")
@with_appcontext
@cli_errors
def plugins_new(name: str, directory: str) -> None:
    """Make a new plugin package NAME (samspill-NAME/) with every part and passing tests."""
    click.echo(str(generate(name, directory)))


@click.command("upgrade")
@click.option("-d", "--directory", default=None, help="Migration script directory.")
@click.option("--sql", is_flag=True, help="Don't emit SQL to database - dump to stdout instead.")
@click.option("--tag", default=None, help="Arbitrary 'tag' name - can be used by custom env.py scripts.")
@click.option("-x", "--x-arg", multiple=True, help="Additional arguments consumed by custom env.py scripts.")
@click.argument("revision", default="heads")
@with_appcontext
def upgrade_heads(directory, sql, tag, x_arg, revision) -> None:
    """Upgrade to every head: the core's and each plugin's own branch (default `heads`)."""
    from flask_migrate import upgrade  # noqa: PLC0415 - Alembic only where a command runs

    upgrade(directory, revision, sql, tag, x_arg)


def _migrate_group() -> click.Group:
    """Flask-Migrate's `db` group (imports Alembic)."""
    from flask_migrate.cli import db  # noqa: PLC0415 - Alembic only where a command runs

    return db


class DatabaseCommands(click.Group):
    """`samspill db ...`: Flask-Migrate's group, its `upgrade` to every head. Its options, callback
    and commands are taken from Flask-Migrate when the group is run (`make_context`, which help
    and completion go through too) or its commands are listed; `samspill --help` needs only the
    help text."""

    def __init__(self) -> None:
        super().__init__("db", help="Perform database migrations.")

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        real = _migrate_group()
        self.params, self.callback = list(real.params), real.callback
        return super().make_context(info_name, args, parent, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({**_migrate_group().commands, "upgrade": upgrade_heads})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return upgrade_heads if cmd_name == "upgrade" else _migrate_group().commands.get(cmd_name)


def register(cli: click.Group) -> None:
    """Add `plugins`, and make `db upgrade` default to all heads (plugins have branches)."""

    cli.add_command(plugins_group)
    cli.add_command(DatabaseCommands())
