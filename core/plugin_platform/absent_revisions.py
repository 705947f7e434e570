"""Stand-ins for Alembic revisions whose scripts are gone: a blocked or uninstalled plugin.

A plugin's migrations live in its own Alembic branch. Once they have run, the database's
`alembic_version` names the branch's head; when the operator then blocks the plugin
(`SAMSPILL_BLOCKED_PLUGINS`) or uninstalls it, its scripts are no longer among the version
locations and Alembic refuses every command ("Can't locate revision ..."). Blocking is the
operator's emergency switch, so it must leave the instance migrating and serving: for each
applied revision that no location provides, an empty stand-in revision (no parent, no
operations) is written to a folder of this process and added to the version locations. The
plugin's tables and its version row stay untouched; unblocking or reinstalling brings back the
real scripts, the stand-in is no longer written, and the branch continues where it stopped.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from flask import current_app
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from core.db import db

log = logging.getLogger("samspill.plugins")
STAND_IN = '''"""Stand-in for revision {revision!r}: applied here by a plugin that is blocked or not
installed now. Its tables are kept; with the plugin back, its real revision is used again."""

revision = {revision!r}
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
'''
_folders: dict[frozenset[str], Path] = {}


def applied_revisions(engine: Engine) -> list[str]:
    """The revisions `alembic_version` holds (none on a database never migrated)."""
    try:
        with engine.connect() as connection:
            return list(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except DBAPIError:
        return []


def absent_revisions(config: Config, applied: list[str]) -> list[str]:
    """The applied revisions that none of the configured version locations provides."""
    script = ScriptDirectory.from_config(config)
    absent = []
    for revision in applied:
        try:
            if script.revision_map.get_revision(revision) is None:
                absent.append(revision)
        except RevisionError:  # "Can't locate revision ..."
            absent.append(revision)
    return absent


def stand_in_folder(revisions: list[str]) -> Path:
    """A folder (one per process and set of revisions) holding a stand-in for each."""
    key = frozenset(revisions)
    folder = _folders.get(key)
    if folder is None or not folder.is_dir():
        folder = Path(tempfile.mkdtemp(prefix="samspill-absent-revisions-"))
        atexit.register(shutil.rmtree, folder, True)
        for revision in sorted(key):
            digest = hashlib.sha256(revision.encode()).hexdigest()[:16]
            (folder / f"absent_{digest}.py").write_text(STAND_IN.format(revision=revision))
        _folders[key] = folder
    return folder


def stand_in_for_absent(config: Config, engine: Engine) -> list[str]:
    """Add a stand-in location for applied revisions whose scripts are gone; returns them."""
    absent = absent_revisions(config, applied_revisions(engine))
    if absent:
        log.warning("migrations: revisions %s are applied but their plugin is blocked or not "
                    "installed; its tables are kept and its branch is left as it is",
                    ", ".join(sorted(absent)))
        locations = config.get_main_option("version_locations") or ""
        locations = os.pathsep.join([*filter(None, locations.split(os.pathsep)), str(stand_in_folder(absent))])
        config.set_main_option("path_separator", "os")
        config.set_main_option("version_locations", locations.replace("%", "%%"))
    return absent


def stand_in_for_absent_revisions(config: Config) -> list[str]:
    """`stand_in_for_absent` on the database migrations run against (the owner's URL when
    `SAMSPILL_MIGRATION_DATABASE_URL` is set, as in `migrations/env.py`)."""
    url = os.environ.get("SAMSPILL_MIGRATION_DATABASE_URL") or current_app.config.get(
        "SAMSPILL_MIGRATION_DATABASE_URL")
    if not url:
        return stand_in_for_absent(config, db.engine)
    engine = create_engine(url)
    try:
        return stand_in_for_absent(config, engine)
    finally:
        engine.dispose()
