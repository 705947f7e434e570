"""A web worker's footprint: the libraries only an export needs (WeasyPrint for the protocol PDF,
openpyxl for XLSX workbooks, together about 45 MB per process) are imported by the export that
uses them, not when a worker builds the app. The exports themselves are tested in their domains
(tests/publication, tests/specification, tests/award, tests/benefits, tests/dialogue).

Likewise Alembic (with Flask-Migrate, about 10 MB) is imported by a `samspill db ...` command and
Authlib (about 17 MB) by an OpenID Connect sign-in: the migrations are tested in
tests/foundation/test_migrations.py and tests/plugins, the `db` commands in tests/foundation/test_cli.py
and below, sign-in in tests/foundation/test_oidc_sign_in.py against a real provider process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

ROOT = Path(__file__).resolve().parents[2]
EXPORT_ONLY = ("weasyprint", "openpyxl")
COMMAND_OR_SIGN_IN_ONLY = ("alembic", "flask_migrate", "authlib")

PROBE = """
import json, sys
from core.app import create_app
create_app()
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] in {names!r})))
"""


def loaded_after_create_app(tmp_path: Path, names: tuple[str, ...]) -> list[str]:
    env = {**os.environ, "SAMSPILL_DATABASE_URL": f"sqlite:///{tmp_path / 'footprint.db'}",
           "SAMSPILL_INSTANCE_PATH": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", PROBE.format(names=set(names))], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_building_the_app_imports_no_export_only_library(tmp_path):
    assert loaded_after_create_app(tmp_path, EXPORT_ONLY) == []


def test_building_the_app_imports_neither_alembic_nor_authlib(tmp_path):
    assert loaded_after_create_app(tmp_path, COMMAND_OR_SIGN_IN_ONLY) == []


def test_the_db_group_is_flask_migrate_s_with_upgrade_to_every_head(tmp_path, monkeypatch):
    """Registered lazily, the `db` group still has Flask-Migrate's options and commands, and its
    own `upgrade` (default: every head)."""
    monkeypatch.delenv("SAMSPILL_MIGRATION_DATABASE_URL", raising=False)  # set by the session's fixture
    from alembic.script import ScriptDirectory

    from core.app import create_app
    from core.db import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}",
                      "INSTANCE_PATH": str(tmp_path), "TESTING": True, "SECRET_KEY": "test"})
    runner = app.test_cli_runner()
    group = runner.invoke(args=["db", "--help"])
    assert group.exit_code == 0, group.output
    assert "Perform database migrations." in group.output
    assert "--directory" in group.output and "--x-arg" in group.output
    for command in ("current", "downgrade", "heads", "history", "migrate", "stamp", "upgrade"):
        assert f"  {command} " in group.output, command
    upgrade = runner.invoke(args=["db", "upgrade", "--help"])
    assert "Upgrade to every head" in upgrade.output
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():  # every head: the core's and the bundled plugins' branches
        heads = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config()).get_heads()
        applied = db.session.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    assert len(heads) > 1 and sorted(applied) == sorted(heads)
    assert runner.invoke(args=["db", "-x", "unused=1", "current"]).exit_code == 0


def test_the_probe_sees_a_library_the_app_does_import(tmp_path):
    """The probe itself works: a library every worker needs is reported."""
    assert "jinja2" in loaded_after_create_app(tmp_path, ("jinja2",))
