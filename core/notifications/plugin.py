"""Notifications as an internal plugin: mail settings, delivery right after a request when no
SMTP server is configured, and the `samspill notifications` / `samspill reminders` commands."""

from __future__ import annotations

from flask import Flask

from core.notifications import cli as commands
from core.notifications import jobs, service, transport
from core.ops.metrics import Sample
from core.plugin_platform.hookspecs import hookimpl


@hookimpl
def samspill_setup_app(app: Flask) -> None:
    transport.load_settings(app)
    # Development default: no SMTP server, so deliver right after each request into files.
    app.config.setdefault("SAMSPILL_MAIL_INLINE", not transport_configured(app))
    app.after_request(service.send_queued_after_request)


@hookimpl
def samspill_register_commands(cli):
    commands.register(cli)


@hookimpl
def samspill_metric_samples():
    counts = service.outbox_counts()
    return [Sample("samspill_outbox_messages", "Outbox messages by status (pending is the backlog).",
                   counts.get(status, 0), {"status": status}) for status in ("pending", "sent", "failed")]


@hookimpl
def samspill_jobs():
    return jobs.JOBS


@hookimpl
def samspill_periodic_jobs():
    return jobs.PERIODIC


def transport_configured(app: Flask) -> bool:
    return bool(app.config.get("SAMSPILL_SMTP_HOST"))
