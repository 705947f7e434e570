"""How an email leaves the instance: SMTP when configured, else a file per message.

Settings (environment, per instance): `SAMSPILL_SMTP_HOST`, `SAMSPILL_SMTP_PORT` (587),
`SAMSPILL_SMTP_USER`, `SAMSPILL_SMTP_PASSWORD`, `SAMSPILL_SMTP_SECURITY` (`starttls`, `ssl`
or `none`; default from the port), `SAMSPILL_SMTP_FROM`, `SAMSPILL_SMTP_TIMEOUT` (seconds).
Without a host, messages are written as `.eml` files to `<instance>/mail/` (development).
"""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app

SETTINGS = ("HOST", "PORT", "USER", "PASSWORD", "SECURITY", "FROM", "TIMEOUT")


class Transport(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class FileTransport:
    """Writes each message to a folder (the development default)."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("@", "_").replace("/", "_") + ".eml"
        tmp = self.folder / (name + ".part")
        tmp.write_bytes(bytes(message))
        os.replace(tmp, self.folder / name)


class SmtpTransport:
    """Sends through an SMTP server; any failure raises and the outbox retries later."""

    def __init__(self, host: str, port: int, security: str, user: str | None, password: str | None,
                 timeout: float):
        self.host, self.port, self.security = host, port, security
        self.user, self.password, self.timeout = user, password, timeout

    def send(self, message: EmailMessage) -> None:
        if self.security == "ssl":
            client = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        with client:
            if self.security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if self.user:
                client.login(self.user, self.password or "")
            client.send_message(message)


def load_settings(app: Flask) -> None:
    """Copy `SAMSPILL_SMTP_*` from the environment unless the app config already has them."""
    for name in SETTINGS:
        key = f"SAMSPILL_SMTP_{name}"
        if key not in app.config and os.environ.get(key):
            app.config[key] = os.environ[key]


def sender_address() -> str:
    return current_app.config.get("SAMSPILL_SMTP_FROM") or "Samspill <noreply@samspill.invalid>"


def uses_smtp() -> bool:
    return bool(current_app.config.get("SAMSPILL_SMTP_HOST"))


def current_transport() -> Transport:
    """The configured transport (an app may set `app.extensions["samspill.mail_transport"]`)."""
    configured = current_app.extensions.get("samspill.mail_transport")
    if configured is not None:
        return configured
    config = current_app.config
    if not uses_smtp():
        return FileTransport(Path(current_app.instance_path) / "mail")
    port = int(config.get("SAMSPILL_SMTP_PORT") or 587)
    security = (config.get("SAMSPILL_SMTP_SECURITY") or "").lower() or (
        "ssl" if port == 465 else "starttls" if port == 587 else "none")
    return SmtpTransport(config["SAMSPILL_SMTP_HOST"], port, security, config.get("SAMSPILL_SMTP_USER"),
                         config.get("SAMSPILL_SMTP_PASSWORD"), float(config.get("SAMSPILL_SMTP_TIMEOUT") or 20))


def build_message(message_id: str, to_address: str, subject: str, body: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender_address()
    email["To"] = to_address
    email["Subject"] = subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(idstring=message_id, domain="samspill")
    email.set_content(body)
    return email
