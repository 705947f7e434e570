"""Demo data and the `samspill demo`, `samspill seed-demo` and `samspill serve` commands.

Demo passwords are generated once per instance and kept in the instance folder
(`demo-passwords.json`), so they are never written into code; `SAMSPILL_DEMO_PASSWORD`
fixes one password for all demo people (used by tests).
"""

from __future__ import annotations

import json
import os
import secrets
import time
from pathlib import Path

import click
from flask import Flask, current_app, g
from flask.cli import ScriptInfo, with_appcontext

from core.config import apply_base_url
from core.db import db
from core.identity import service as identity
from core.identity.demo import DEMO_NAMES
from core.plugin_platform.host import current_host
from core.server import serve
from core.suppliers.demo import DEMO_SUPPLIERS
from tenants import service as tenants

DEMO_TENANTS = [
    ("asker", "Asker kommune", "964967636", "3203"),
    ("baerum", "Bærum kommune", "935478715", "3201"),
    ("drammen", "Drammen kommune", "921234554", "3005"),
]


def demo_passwords() -> dict[str, str]:
    """One password per demo person, generated once and kept in the instance folder."""
    fixed = os.environ.get("SAMSPILL_DEMO_PASSWORD")
    path = Path(current_app.instance_path) / "demo-passwords.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    people = [f"{role}@{slug}.demo" for slug, *_ in DEMO_TENANTS for role in ("admin", "officer")]
    people += [f"post@{key}.demo" for key, *_ in DEMO_SUPPLIERS]
    changed = False
    for email in people:
        if fixed:
            stored[email] = fixed
        elif email not in stored:
            stored[email] = secrets.token_urlsafe(9)
            changed = True
    if changed or fixed:
        path.write_text(json.dumps(stored, indent=2))
        path.chmod(0o600)
    return stored


def seed_demo() -> dict[str, str]:
    """Create the demo tenants and people (idempotent); returns the passwords."""
    g.audit_actor_label = "demo-seed"
    passwords = demo_passwords()
    for slug, name, org, muni in DEMO_TENANTS:
        tenant = tenants.find_tenant(slug) or tenants.create_tenant(slug, name, org, muni)
        for role in ("admin", "officer"):
            email = f"{role}@{slug}.demo"
            user = identity.find_user_by_email(email)
            if user is None:
                user = identity.create_user(email, name=DEMO_NAMES[email], password=passwords[email])
            elif identity.authenticate(email, passwords[email]) is None:
                identity.set_password(user, passwords[email])
            tenants.add_member(tenant, user, role)
    db.session.commit()
    host = current_host()
    for impl in reversed(host.pm.hook.samspill_demo_content.get_hookimpls()):  # in hook order
        impl.function(passwords)  # the packages' demo content, each committed on its own
        db.session.commit()
    return passwords


def upgrade_database() -> None:
    from flask_migrate import upgrade  # noqa: PLC0415 - Alembic only where the schema is upgraded

    upgrade(revision="heads")


def _app_factory():
    """The app factory the command line was started with (`core.console`), for gunicorn's workers."""
    info = click.get_current_context().find_object(ScriptInfo)
    if info is None or info.create_app is None:
        raise click.UsageError("Run this through the `samspill` command.")
    return info.create_app


def _print_sign_in(bind: str, passwords: dict[str, str]) -> None:
    click.echo(f"\nSamspill demo is running at http://{bind}/\n")
    click.echo("Sign in with one of these demo accounts:")
    for email, password in passwords.items():
        click.echo(f"  {email:<24} {password}")
    click.echo("\nPasswords are kept in " + str(Path(current_app.instance_path) / "demo-passwords.json"))


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Create the demo data (idempotent)."""
    seed_demo()
    click.echo("Demo data is in place.")


@click.command("serve")
@click.option("--bind", default="127.0.0.1:5000", show_default=True)
@click.option("--workers", default=2, show_default=True, type=int)
def serve_command(bind, workers):
    """Serve the app with gunicorn."""
    serve(bind, workers, _app_factory())


@click.command("demo")
@click.option("--bind", default="127.0.0.1:5000", show_default=True)
@click.option("--workers", default=2, show_default=True, type=int)
@with_appcontext
def demo_command(bind, workers):
    """Migrate, seed the demo (idempotent) and serve it."""
    started = time.monotonic()
    app = current_app._get_current_object()
    overrides = {}
    if not app.config.get("SERVER_NAME"):  # links made while seeding (published notices) need an address
        overrides["SAMSPILL_BASE_URL"] = app.config["SAMSPILL_BASE_URL"] = f"http://{bind}"
        apply_base_url(app.config)
    with app.app_context():  # an app context that builds links with that address
        upgrade_database()
        passwords = seed_demo()
        db.session.remove()
    _print_sign_in(bind, passwords)
    click.echo(f"(ready in {time.monotonic() - started:.1f} s)\n")
    host = bind.rsplit(":", 1)[0]
    if "SAMSPILL_SECURE_COOKIES" not in os.environ and host in ("127.0.0.1", "localhost", "[::1]"):
        # Plain http on loopback for the demo; production keeps Secure cookies.
        overrides.update(SESSION_COOKIE_SECURE=False, WTF_CSRF_SSL_STRICT=False)
    serve(bind, workers, _app_factory(), overrides or None)


def init_app(app: Flask) -> None:
    for command in (seed_demo_command, serve_command, demo_command):
        app.cli.add_command(command)
