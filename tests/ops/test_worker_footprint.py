"""A web worker's footprint: the libraries only an export needs (WeasyPrint for the protocol PDF,
openpyxl for XLSX workbooks, together about 45 MB per process) are imported by the export that
uses them, not when a worker builds the app. The exports themselves are tested in their domains
(tests/publication, tests/specification, tests/award, tests/benefits, tests/dialogue)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXPORT_ONLY = ("weasyprint", "openpyxl")

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


def test_the_probe_sees_a_library_the_app_does_import(tmp_path):
    """The probe itself works: a library every worker needs is reported."""
    assert "jinja2" in loaded_after_create_app(tmp_path, ("jinja2",))
