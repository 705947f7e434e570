"""A plugin's own tables: its Alembic version location and branch, applied by
`samspill db upgrade` (every head) and by `core.demo.upgrade_database()`; the demo seed."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, text

from core import create_app
from core.db import db


def test_the_migrated_test_database_has_the_plugin_table(migrated):
    owner_url, _app_url = migrated
    engine = create_engine(owner_url)
    try:
        tables = set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            versions = set(conn.execute(text("select version_num from alembic_version")).scalars())
    finally:
        engine.dispose()
    assert {"tenant_plugins", "welfare_tech_bookmarks"} <= tables
    assert "wt_0001_bookmarks" in versions


def test_samspill_db_upgrade_applies_the_plugin_branch(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    monkeypatch.setenv("SAMSPILL_MIGRATION_DATABASE_URL", url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path / "i"),
                      "SECRET_KEY": "x", "TESTING": True})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
        branch_head = script.get_revision("welfare_tech@head")
        db.engine.dispose()
    assert {"welfare_tech_bookmarks", "tenant_plugins"} <= tables
    assert branch_head.revision == "wt_0001_bookmarks"
    assert branch_head.revision in script.get_heads() and len(script.get_heads()) >= 2


def test_a_blocked_plugin_adds_no_version_location(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'blocked.db'}"
    monkeypatch.setenv("SAMSPILL_MIGRATION_DATABASE_URL", url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(tmp_path / "i"),
                      "SECRET_KEY": "x", "TESTING": True,
                      "SAMSPILL_BLOCKED_PLUGINS": ("welfare_tech",)})
    assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        db.engine.dispose()
    assert "tenant_plugins" in tables and "welfare_tech_bookmarks" not in tables


def test_the_demo_enables_both_plugins_in_asker_and_baerum(app, make, runner):
    import json

    from core.plugin_platform.admin.hooks import seed_demo

    for slug in ("asker", "baerum", "drammen"):
        make.tenant(slug)
    seeders = [impl.plugin_name for impl in
               reversed(app.extensions["samspill.plugins"].pm.hook.samspill_demo_content.get_hookimpls())]
    assert seeders.index("samspill") < seeders.index("library")  # which seeds the demo procurements, using plugins
    with app.app_context():
        seed_demo({})
        seed_demo({})  # idempotent
        db.session.commit()
    rows = {r["name"]: r for r in json.loads(runner.invoke(args=["plugins", "list", "--json"]).output)}
    assert rows["welfare_tech"]["enabled_in"] == ["asker", "baerum"]
    assert rows["smart_mat"]["enabled_in"] == ["asker", "baerum"]
