"""`samspill suppliers create ORG_NUMBER --name NAME --user EMAIL` (and `suppliers list`)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from core.commands import cli_errors
from core.db import db
from core.suppliers import service
from core.suppliers.models import SupplierOrganisation


@click.group("suppliers")
def suppliers_group() -> None:
    """Supplier organisations."""


@suppliers_group.command("create")
@click.argument("org_number")
@click.option("--name", required=True, help="The organisation's name.")
@click.option("--user", "email", required=True, help="Email of its first administrator.")
@click.option("--password-stdin", is_flag=True, help="Read a password for a new person from stdin.")
@with_appcontext
@cli_errors
def suppliers_create(org_number: str, name: str, email: str, password_stdin: bool) -> None:
    """A supplier organisation and its first user (supplier_admin)."""

    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    org = service.create_supplier(org_number, name, email, password=password)
    click.echo(f"Created supplier {org.name} ({org.org_number}); {email.strip().lower()} is supplier_admin")


@suppliers_group.command("list")
@with_appcontext
@cli_errors
def suppliers_list() -> None:
    """Every supplier organisation."""


    for org in db.session.execute(select(SupplierOrganisation).order_by(SupplierOrganisation.name)).scalars():
        click.echo(f"{org.org_number}  {org.name}")


def register(cli_group) -> None:
    cli_group.add_command(suppliers_group)
