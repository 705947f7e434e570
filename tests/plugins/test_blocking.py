"""Blocking or uninstalling a plugin whose migrations have run leaves the instance migrating,
seeding the demo and serving; the plugin's tables are kept, and unblocking (reinstalling)
continues its branch where it stopped."""

from __future__ import annotations

import importlib
import json
import sys
import textwrap
import uuid

from sqlalchemy import create_engine, inspect, text

from core.db import db

PLUGIN_MODULE = '''
"""Parcels: a test plugin with a table of its own."""
from pathlib import Path

from core.plugin_api import hookimpl


@hookimpl
def samspill_migration_locations():
    return [Path(__file__).parent / "versions"]
'''
REVISION = '''
"""{label}"""
import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = {down!r}
branch_labels = {labels!r}
depends_on = {depends!r}


def upgrade():
    op.create_table("{table}", sa.Column("id", sa.Integer(), primary_key=True))


def downgrade():
    op.drop_table("{table}")
'''


def _tables_and_versions(owner_url: str) -> tuple[set[str], set[str]]:
    engine = create_engine(owner_url)
    try:
        with engine.connect() as conn:
            versions = set(conn.execute(text("select version_num from alembic_version")).scalars())
        return set(inspect(engine).get_table_names()), versions
    finally:
        engine.dispose()


def _serves(app) -> None:
    client = app.test_client()
    assert client.get("/readyz").status_code == 200
    response = client.post("/signin", data={"email": "admin@baerum.demo", "password": "demo password 1"})
    assert response.status_code == 302
    assert client.get("/t/baerum/").status_code == 200


def _upgrade(app) -> None:
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output + repr(result.exception)


def test_blocking_a_migrated_plugin_keeps_migrating_seeding_and_serving(instance_on, scratch_database):
    owner_url, _ = scratch_database
    _upgrade(instance_on())
    blocked = instance_on(SAMSPILL_BLOCKED_PLUGINS=("welfare_tech",))
    _upgrade(blocked)
    seeded = blocked.test_cli_runner().invoke(args=["seed-demo"])
    assert seeded.exit_code == 0, seeded.output + repr(seeded.exception)
    _serves(blocked)
    tables, versions = _tables_and_versions(owner_url)
    assert "welfare_tech_bookmarks" in tables and "wt_0001_bookmarks" in versions  # kept
    unblocked = instance_on()
    _upgrade(unblocked)
    rows = {r["name"]: r for r in json.loads(
        unblocked.test_cli_runner().invoke(args=["plugins", "list", "--json"]).output)}
    assert rows["welfare_tech"]["status"] == "active"
    assert _tables_and_versions(owner_url)[1] >= {"wt_0001_bookmarks"}


def _install_parcels(root, revisions: list[tuple[str, str | None, str]]) -> str:
    package = f"samspill_parcels_{uuid.uuid4().hex[:6]}"
    (root / package / "versions").mkdir(parents=True)
    (root / package / "__init__.py").write_text(textwrap.dedent(PLUGIN_MODULE))
    for revision, down, table in revisions:
        (root / package / "versions" / f"{revision}.py").write_text(REVISION.format(
            label=revision, revision=revision, down=down, table=table,
            labels=None if down else ("parcels",), depends=None if down else "0001_foundation"))
    info = root / "samspill_parcels-1.0.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: samspill-parcels\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[samspill.plugins]\nparcels = {package}\n")
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    return package


def _uninstall(root, package: str) -> None:
    sys.path.remove(str(root))
    sys.modules.pop(package, None)
    importlib.invalidate_caches()


def test_uninstalling_a_migrated_plugin_keeps_the_instance_working_and_reinstalling_continues(
        instance_on, scratch_database, tmp_path):
    owner_url, _ = scratch_database
    root = tmp_path / "site"
    package = _install_parcels(root, [("parcels_0001_boxes", None, "parcels_boxes")])
    try:
        _upgrade(instance_on())
        assert "parcels_boxes" in _tables_and_versions(owner_url)[0]
    finally:
        _uninstall(root, package)
    gone = instance_on()
    _upgrade(gone)
    assert gone.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    _serves(gone)
    tables, versions = _tables_and_versions(owner_url)
    assert "parcels_boxes" in tables and "parcels_0001_boxes" in versions

    package = _install_parcels(root, [("parcels_0001_boxes", None, "parcels_boxes"),
                                      ("parcels_0002_labels", "parcels_0001_boxes", "parcels_labels")])
    try:
        back = instance_on()
        _upgrade(back)
        with back.app_context():
            db.engine.dispose()
    finally:
        _uninstall(root, package)
    tables, versions = _tables_and_versions(owner_url)
    assert "parcels_labels" in tables and "parcels_0002_labels" in versions
    assert "parcels_0001_boxes" not in versions
