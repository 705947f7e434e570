"""`samspill plugins new`: the scaffold is an out-of-tree plugin package that, installed as a
real distribution, passes its own generated tests (on the database this suite runs on), and an
instance with it migrated can block and unblock it without breaking."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, inspect

from tests.conftest import sign_in
from tests.plugins.conftest import enable, factory

NAME = "school_transport"


def _installed(project: Path) -> None:
    """A dist-info next to the package, as pip writes for an install: the entry point is real."""
    info = project / "samspill_school_transport-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: samspill-school-transport\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text(f"[samspill.plugins]\n{NAME} = samspill_{NAME}\n")


def _generate(app, tmp_path) -> Path:
    result = app.test_cli_runner().invoke(args=["plugins", "new", NAME, "--dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    project = Path(result.output.strip())
    assert project == tmp_path / "samspill-school-transport"
    again = app.test_cli_runner().invoke(args=["plugins", "new", NAME, "--dir", str(tmp_path)])
    assert again.exit_code == 1 and "exists" in again.output
    assert app.test_cli_runner().invoke(args=["plugins", "new", "Bad-Name"]).exit_code == 1
    _installed(project)
    return project


def test_the_scaffold_passes_its_own_tests(app, tmp_path):
    project = _generate(app, tmp_path)
    for part in ("pyproject.toml", f"samspill_{NAME}/migrations/versions/{NAME}_0001_entries.py",
                 f"samspill_{NAME}/translations/nb/LC_MESSAGES/messages.mo", "tests/test_plugin.py"):
        assert (project / part).is_file(), part
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "SAMSPILL_MIGRATION")) and k != "COV_CORE_SOURCE"}
    env["PYTHONPATH"] = os.pathsep.join([str(project), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                          "tests"], cwd=project, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "7 passed" in run.stdout


def _table_exists(owner_url: str) -> bool:
    engine = create_engine(owner_url)
    try:
        return f"{NAME}_entries" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_the_scaffold_can_be_blocked_and_unblocked_on_a_migrated_instance(app, instance_on, scratch_database,
                                                                          tmp_path, monkeypatch):
    project = _generate(app, tmp_path)
    monkeypatch.syspath_prepend(str(project))
    try:
        _block_and_unblock(instance_on, scratch_database)
    finally:  # the plugin's model must not outlive the test in this process's metadata
        from core.db import db

        table = db.metadata.tables.get(f"{NAME}_entries")
        if table is not None:
            db.metadata.remove(table)
        for module in [m for m in sys.modules if m.startswith(f"samspill_{NAME}")]:
            sys.modules.pop(module, None)


def _block_and_unblock(instance_on, scratch_database) -> None:
    owner_url, _ = scratch_database
    first = instance_on()
    assert first.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
    assert _table_exists(owner_url)
    make = factory(first)
    tenant = make.tenant("asker")
    admin = make.user(tenant=tenant, role="admin")
    enable(first, "asker", NAME)
    page = f"/t/asker/plugins/{NAME}/"

    def visit(app, expected_page: int) -> None:
        client = app.test_client()
        sign_in(client, admin)
        assert client.get("/t/asker/").status_code == 200
        assert client.get(page).status_code == expected_page

    visit(first, 200)
    blocked = instance_on(SAMSPILL_BLOCKED_PLUGINS=(NAME,))
    upgraded = blocked.test_cli_runner().invoke(args=["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    visit(blocked, 404)
    assert _table_exists(owner_url)  # kept
    unblocked = instance_on()
    assert unblocked.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
    visit(unblocked, 200)
