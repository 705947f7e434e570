"""`samspill notifications send` and `samspill reminders send`: both safe to run from cron."""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import with_appcontext

from core.commands import cli_errors
from core.notifications.reminders import announce_passed_deadlines, queue_reminders
from core.notifications.service import outbox_counts, send_due


@click.group("notifications")
def notifications_group() -> None:
    """The email outbox."""


@notifications_group.command("send")
@click.option("--limit", default=500, show_default=True, type=int, help="At most this many messages.")
@click.option("--now", "right_now", is_flag=True,
              help="Every pending message now, ignoring the backoff (after a mail server outage).")
@with_appcontext
@cli_errors
def notifications_send(limit: int, right_now: bool) -> None:
    """Deliver due messages; failures stay queued and are retried with backoff."""

    report = send_due(limit, ignore_backoff=right_now)
    click.echo(f"sent {report.sent}, retrying later {report.retrying}, given up {report.failed}")


@notifications_group.command("status")
@with_appcontext
@cli_errors
def notifications_status() -> None:
    """How many messages are pending, sent and failed."""

    counts = outbox_counts()
    click.echo(", ".join(f"{k} {counts.get(k, 0)}" for k in ("pending", "sent", "failed")))


@click.group("reminders")
def reminders_group() -> None:
    """Reminders before deadlines."""


@reminders_group.command("send")
@click.option("--hours", default=48, show_default=True, type=int, help="Remind of deadlines this close.")
@click.option("--no-deliver", is_flag=True, help="Only queue; leave delivery to `notifications send`.")
@with_appcontext
@cli_errors
def reminders_send(hours: int, no_deliver: bool) -> None:
    """Queue reminders of deadlines within --hours (each once), tell the plugins about deadlines
    that have passed (`deadline_passed`, each once), then deliver the outbox."""

    if hours < 1:
        raise click.BadParameter("at least 1", param_hint="--hours")
    queued = queue_reminders(timedelta(hours=hours))
    announced = announce_passed_deadlines()
    message = f"queued {queued} reminders; announced {announced} passed deadlines"
    if not no_deliver:
        report = send_due()
        message += f"; sent {report.sent}, retrying later {report.retrying}, given up {report.failed}"
    click.echo(message)


def register(cli_group) -> None:
    cli_group.add_command(notifications_group)
    cli_group.add_command(reminders_group)
