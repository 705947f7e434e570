"""Alembic environment for Samspill (run through Flask-Migrate: `samspill db upgrade`).

`SAMSPILL_MIGRATION_DATABASE_URL` lets migrations run as the table owner while the app
connects as a less privileged role; on PostgreSQL the app role named by
`SAMSPILL_DB_APP_ROLE` (default `samspill_app`) is granted what it needs after upgrading.
"""

import logging
import os
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import create_engine

from migrations.rls import grant_app_role

config = context.config
if config.config_file_name and not logging.getLogger().handlers:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def get_engine():
    url = os.environ.get("SAMSPILL_MIGRATION_DATABASE_URL") or current_app.config.get(
        "SAMSPILL_MIGRATION_DATABASE_URL"
    )
    if url:
        return create_engine(url)
    return target_db.engine


def get_metadata():
    return target_db.metadata


def run_migrations_offline():
    context.configure(url=str(get_engine().url), target_metadata=get_metadata(), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    conf_args = dict(current_app.extensions["migrate"].configure_args)
    conf_args.setdefault("process_revision_directives", process_revision_directives)
    engine = get_engine()
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=get_metadata(), **conf_args)
        with context.begin_transaction():
            context.run_migrations()
            if connection.dialect.name == "postgresql":
                grant_app_role(connection, os.environ.get("SAMSPILL_DB_APP_ROLE", "samspill_app"))


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
