"""The platform's own commands of the `samspill` command line (tenants, users, tokens, audit,
and the demo's), added to an app by `init_app`; the console script that binds the command group
to the app factory is `core.console`.

User mistakes answer with one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import json
import sys

import click
from flask import Flask
from flask.cli import with_appcontext

from core import audit, demo
from core.commands import cli_errors
from core.errors import NotFound
from core.i18n import _l
from core.identity import service as identity
from core.plugin_platform.host import EXTENSION_KEY
from tenants import service

# --- tenants -----------------------------------------------------------------------------

@click.group("tenants")
def tenants_group() -> None:
    """Create and list tenants (municipalities)."""


@tenants_group.command("create")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--org-number")
@click.option("--municipality-number")
@with_appcontext
@cli_errors
def tenants_create(slug, name, org_number, municipality_number):
    tenant = service.create_tenant(slug, name, org_number, municipality_number)
    click.echo(f"Created tenant {tenant.slug} ({tenant.name})")


@tenants_group.command("list")
@click.option("--json", "as_json", is_flag=True)
@with_appcontext
@cli_errors
def tenants_list(as_json):
    rows = [{"slug": t.slug, "name": t.name, "org_number": t.org_number} for t in service.list_tenants(100000)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['slug']:<24} {row['name']:<40} {row['org_number'] or ''}")


@tenants_group.command("set-oidc")
@click.argument("slug")
@click.option("--issuer", required=True)
@click.option("--client-id", required=True)
@click.option("--client-secret-stdin", is_flag=True, help="Read the client secret from stdin.")
@click.option("--allow-domain", "domains", multiple=True)
@with_appcontext
@cli_errors
def tenants_set_oidc(slug, issuer, client_id, client_secret_stdin, domains):
    tenant = service.get_tenant(slug)
    secret = sys.stdin.readline().strip() if client_secret_stdin else None
    service.set_sign_in(tenant, issuer=issuer, client_id=client_id, client_secret=secret,
                        allowed_domains=list(domains), check_access=False)
    click.echo(f"Sign-in for {slug} set to {issuer}")


# --- users and tokens --------------------------------------------------------------------

@click.group("users")
def users_group() -> None:
    """Create people and memberships."""


@users_group.command("create")
@click.argument("email")
@click.option("--name", default="")
@click.option("--tenant", "tenant_slug")
@click.option("--role", default="member", show_default=True)
@click.option("--password-stdin", is_flag=True)
@with_appcontext
@cli_errors
def users_create(email, name, tenant_slug, role, password_stdin):
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    tenant = service.get_tenant(tenant_slug) if tenant_slug else None
    user = identity.find_user_by_email(email)
    if user is None:
        user = identity.create_user(email, name=name, password=password)
    elif password:
        identity.set_password(user, password)
    if tenant:
        service.add_member(tenant, user, role)
    click.echo(f"{user.email}" + (f" is {role} in {tenant.slug}" if tenant else ""))


@click.group("tokens")
def tokens_group() -> None:
    """Personal API tokens."""


@tokens_group.command("create")
@click.argument("email")
@click.option("--expires-in", "days", type=int, default=None, help="Days (default 90).")
@click.option("--name", default="cli")
@with_appcontext
@cli_errors
def tokens_create(email, days, name):
    user = identity.find_user_by_email(email)
    if user is None:
        raise NotFound(_l("No person with the email %(email)s.", email=email))
    issued = identity.create_token(user, name, days)
    click.echo(issued.secret)


# --- audit -------------------------------------------------------------------------------

@click.group("audit")
def audit_group() -> None:
    """The audit log."""


@audit_group.command("verify")
@with_appcontext
def audit_verify():
    checked, problem = audit.verify()
    if problem:
        click.echo(f"Audit chain broken: {problem}", err=True)
        sys.exit(1)
    click.echo(f"Audit log intact: {checked} entries verified.")


def init_app(app: Flask) -> None:
    for group in (tenants_group, users_group, tokens_group, audit_group):
        app.cli.add_command(group)
    demo.init_app(app)
    app.extensions[EXTENSION_KEY].call("samspill_register_commands", cli=app.cli)
