"""`samspill publication send-notices | recheck-register | publish-releases | compile-eforms`."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from core import isolation
from core.commands import cli_errors
from core.db import db
from core.procurement.models import Procurement
from core.publication import doffin, notices, ocds, register


@click.group("publication")
def publication_group() -> None:
    """Notices to Doffin, OCDS releases, the business register."""


@publication_group.command("send-notices")
@click.option("--now", "right_now", is_flag=True, help="Every pending notice now, ignoring the backoff.")
@with_appcontext
@cli_errors
def send_notices(right_now: bool) -> None:
    """Send pending notices to Doffin (each once; failures retried with backoff). Cron-safe."""
    report = doffin.send_due(ignore_backoff=right_now)
    click.echo(f"sent {report.sent}, retrying later {report.retrying}, given up {report.failed}")


@publication_group.command("recheck-register")
@with_appcontext
@cli_errors
def recheck_register() -> None:
    """Look up again the organisation numbers marked "not verified"."""
    verified, still = register.recheck_unverified()
    click.echo(f"verified {verified}, still not verified {still}")


@publication_group.command("publish-releases")
@with_appcontext
@cli_errors
def publish_releases() -> None:
    """Store the current OCDS releases of every published procurement for the open-data feed."""
    with isolation.system_scope():  # every published procurement, whoever leads it
        ids = list(db.session.execute(select(Procurement.id).where(Procurement.dialogue_open.is_(True))).scalars())
    new = sum(ocds.publish(pid) for pid in ids)
    db.session.commit()
    click.echo(f"new releases {new}")


@publication_group.command("compile-eforms")
@with_appcontext
@cli_errors
def compile_eforms() -> None:
    """Compile the eForms schematron into the cache now (instead of at the first notice)."""
    click.echo(str(notices.validator().compiled_path()))


def register_commands(cli_group) -> None:
    cli_group.add_command(publication_group)
