"""What every package's commands share: `cli_errors`, one clear line for a domain error.

The `samspill` command group itself is `core.console` (the platform's own commands are in
`core.cli`); the packages add their commands through the hook `samspill_register_commands(cli)`
and wrap their bodies in `cli_errors`.
"""

from __future__ import annotations

from functools import wraps

import click
from flask import g

from core.db import db
from core.errors import DomainError


def cli_errors(func):
    """Turn domain errors into one clear line and exit 1; roll back what was half done."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        g.audit_actor_label = "cli"
        try:
            result = func(*args, **kwargs)
            db.session.commit()
            return result
        except DomainError as exc:
            db.session.rollback()
            details = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in exc.errors.items())
            raise click.ClickException(exc.detail + (f" ({details})" if details else "")) from None

    return wrapper
