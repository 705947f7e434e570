"""The architecture holds: packages import downward only (the layer contract in pyproject.toml,
checked by `lint-imports` in the test command), no circle between packages, one extension
mechanism (no string-keyed registries), and the benchmark outside the product."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib

from core.plugin_platform.internal_hookspecs import INTERNAL_HOOKS
from tests.architecture import import_graph

DEVELOPING = import_graph.ROOT / "docs" / "developing.md"


def test_no_import_circle_between_the_contracts_packages():
    assert import_graph.group_cycles(import_graph.build_graph()) == []


def test_every_upward_import_is_a_listed_exception():
    graph = import_graph.build_graph()
    unlisted = [(a, b) for a, b in import_graph.upward_imports(graph) if not import_graph.ignored(a, b)]
    assert unlisted == []


def test_a_circle_would_be_found():
    graph = import_graph.build_graph()
    graph.add_import(importer="core.db", imported="core.procurement.service")
    assert import_graph.group_cycles(graph) != []


def test_no_string_keyed_extension_registries():
    pattern = re.compile(r"extensions\.setdefault\(\s*[\"']samspill")
    found = [f"{path}:{number}" for package in ("core", "tenants", "plugins")
             for path in sorted((import_graph.ROOT / package).rglob("*.py"))
             for number, line in enumerate(path.read_text().splitlines(), 1) if pattern.search(line)]
    assert found == []


def test_no_product_module_imports_the_benchmark():
    graph = import_graph.build_graph()
    product = [m for m in graph.modules if m.split(".")[0] in ("core", "tenants", "plugins")]
    assert [m for m in product if any(i.split(".")[0] == "bench" for i in
                                      graph.find_modules_directly_imported_by(m))] == []


def test_create_app_imports_no_bench_module(tmp_path):
    """The benchmark harness, when installed, is an instance plugin the operator can block;
    blocked, not one of its modules is imported by `create_app()`."""
    code = ("import sys; from core import create_app; "
            f"create_app({{'SQLALCHEMY_DATABASE_URI': 'sqlite://', 'INSTANCE_PATH': {str(tmp_path)!r}}}); "
            "print(sorted(m for m in sys.modules if m == 'bench' or m.startswith('bench.')))")
    env = {**os.environ, "SAMSPILL_BLOCKED_PLUGINS": "bench"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         cwd=import_graph.ROOT, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_every_internal_hook_is_documented_in_developing_md():
    text = DEVELOPING.read_text()
    assert [hook for hook in sorted(INTERNAL_HOOKS) if f"`{hook}(" not in text] == []


def test_the_layer_contract_lists_no_exception():
    """Every upward import of issue #10 is replaced by a hook; a new one needs a hook, not an
    `ignore_imports` entry."""
    assert import_graph.contract().get("ignore_imports", []) == []


def test_no_import_circle_between_packages():
    """No two packages (core's sub-packages and modules, tenants, plugins, bench) import each
    other, directly or round a circle, not even `:` siblings of one layer: the identity layer's
    circle of issue #10 (tenants, identity, auth and access) is gone — identity, auth, access,
    tenants and the account pages now import in that order."""
    assert import_graph.package_cycles(import_graph.build_graph()) == []


def test_a_circle_between_packages_would_be_found():
    graph = import_graph.build_graph()
    graph.add_import(importer="core.auth", imported="tenants.service")
    assert import_graph.package_cycles(graph) != []


def test_no_function_level_import_outside_the_listed_reasons():
    """Imports inside a function are left only where they defer a heavy optional dependency or
    keep the app from loading too early, each marked `# noqa: PLC0415` with its reason, and
    ruff's PLC0415 exempts no product file."""
    marked = re.compile(r"#\s*noqa:[^#]*PLC0415\b\s*(-|\()\s*\S")  # the rule, then a reason
    unmarked = [f"{path}:{number}" for path, number in import_graph.function_level_imports()
                if not marked.search((import_graph.ROOT / path).read_text().splitlines()[number - 1])]
    assert unmarked == []
    ignores = tomllib.loads((import_graph.ROOT / "pyproject.toml").read_text())["tool"]["ruff"]["lint"]
    exempt = {**ignores.get("per-file-ignores", {}), **ignores.get("extend-per-file-ignores", {})}
    assert [path for path, rules in exempt.items() if "PLC0415" in rules and not path.startswith("tests/")] == []


def test_the_shipped_plugins_import_only_the_plugin_facade():
    """`plugins/*` ship as pip packages of their own: of the platform they import only
    `core.plugin_api` (the rest of a plugin is its own modules)."""
    graph = import_graph.build_graph()
    found = [(module, imported) for module in sorted(graph.modules) if module.startswith("plugins.")
             for imported in sorted(graph.find_modules_directly_imported_by(module))
             if imported.split(".")[0] in ("core", "tenants", "bench") and imported != "core.plugin_api"]
    assert found == []
