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


# The notice subtypes Samspill's own builders make: prior information, contract and award
# notices at or above the EEA threshold and their national variants below it.
SUBTYPES = ("4", "E2", "16", "E3", "29", "E4")


@publication_group.command("compile-eforms")
@click.option("--whole", is_flag=True, help="Also the whole schematron (#ALL, for notices of other subtypes).")
@with_appcontext
@cli_errors
def compile_eforms(whole: bool) -> None:
    """Compile the schematron phases of Samspill's notice subtypes into the cache now (instead of
    at each subtype's first notice); each is compiled once per machine."""
    validator = notices.validator()
    phases = [f"eforms-{subtype}" for subtype in SUBTYPES if f"eforms-{subtype}" in validator.phases()]
    for phase in phases + (["#ALL"] if whole else []):
        click.echo(f"{phase}: {validator.compiled_path(phase)}")


def register_commands(cli_group) -> None:
    cli_group.add_command(publication_group)
