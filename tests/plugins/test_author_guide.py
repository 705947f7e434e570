"""docs/plugin-author-guide.md runs as written: its code blocks that name a file are assembled
into the school-meals plugin package, which is installed as a real distribution and passes the
guide's own tests (in a subprocess, on the suite's database); every Python block, fragments
included, has no undefined names or missing imports."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from core.plugin_platform.scaffold import compile_catalogue

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "plugin-author-guide.md"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.DOTALL | re.MULTILINE)
HEADER = re.compile(r"^(?:#|\{#)\s*([\w./-]+\.(?:py|toml|html|po))\s*(?:#\})?\s*$")


def guide_files() -> tuple[dict[str, str], list[str]]:
    """{path: text} from blocks whose first line names a file (in order), and the Python
    blocks that do not (fragments)."""
    files: dict[str, list[str]] = {}
    fragments = []
    for language, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        first, _, rest = body.partition("\n")
        named = HEADER.match(first)
        if named:
            files.setdefault(named.group(1), []).append(rest)
        elif language == "python":
            fragments.append(body)
    return {path: "\n\n".join(parts) for path, parts in files.items()}, fragments


def _undefined_names(paths: list[Path]) -> str:
    run = subprocess.run([sys.executable, "-m", "ruff", "check", "--isolated", "--select", "F",
                          "--output-format", "concise", *map(str, paths)], capture_output=True, text=True)
    return "" if run.returncode == 0 else run.stdout + run.stderr


def test_the_guides_fragments_have_no_undefined_names(tmp_path):
    _files, fragments = guide_files()
    assert fragments, "the guide has Python fragments"
    paths = []
    for number, fragment in enumerate(fragments):
        path = tmp_path / f"fragment_{number}.py"
        path.write_text(fragment)
        paths.append(path)
    assert _undefined_names(paths) == ""


def test_the_guides_plugin_builds_and_passes_its_own_tests(tmp_path):
    files, _fragments = guide_files()
    text = GUIDE.read_text(encoding="utf-8")
    assert "models module must be imported" in text
    project = tmp_path / "samspill-school-meals"
    for path, content in files.items():
        target = project / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content)
        if target.suffix == ".po":
            compile_catalogue(target)
    for part in ("pyproject.toml", "samspill_school_meals/__init__.py", "samspill_school_meals/models.py",
                 "samspill_school_meals/migrations/versions/sm_0001_menus.py", "tests/test_plugin.py"):
        assert (project / part).is_file(), part
    assert _undefined_names(sorted(project.rglob("*.py"))) == ""

    meta = tomllib.loads((project / "pyproject.toml").read_text())["project"]
    info = project / f"{meta['name'].replace('-', '_')}-{meta['version']}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {meta['name']}\nVersion: {meta['version']}\n")
    entry_points = meta["entry-points"]["samspill.plugins"]
    (info / "entry_points.txt").write_text(
        "[samspill.plugins]\n" + "".join(f"{k} = {v}\n" for k, v in entry_points.items()))

    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "SAMSPILL_MIGRATION")) and k != "COV_CORE_SOURCE"}
    env["PYTHONPATH"] = os.pathsep.join([str(project), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                          "tests"], cwd=project, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "3 passed" in run.stdout
