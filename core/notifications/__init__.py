"""Notifications: the email outbox, its sender and deadline reminders.

Other domains call `core.notifications.service.notify(...)` inside their transaction and
register reminder sources with `core.notifications.reminders.add_reminder_source`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from core.notifications import cli, service, transport
    from core.notifications import models as _models  # noqa: F401  (tables)

    transport.load_settings(app)
    # Development default: no SMTP server, so deliver right after each request into files.
    app.config.setdefault("SAMSPILL_MAIL_INLINE", not transport_configured(app))
    app.after_request(service.send_queued_after_request)
    app.extensions.setdefault("samspill.cli_registrars", []).append(cli.register)


def transport_configured(app: Flask) -> bool:
    return bool(app.config.get("SAMSPILL_SMTP_HOST"))
