"""Measures of the product's import graph: files in import circles, imports that run up the
layers of the contract in `pyproject.toml`, imports inside function bodies, wiring glue.

Run `python -m tests.architecture.import_graph` for the numbers (the tests in this package
assert on the same functions). The graph is grimp's (the library behind import-linter) over
the product packages; tests are not part of it.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("core", "tenants", "plugins", "bench")


def product_packages() -> list[str]:
    return [name for name in PRODUCT if (ROOT / name / "__init__.py").exists()]


def build_graph() -> grimp.ImportGraph:
    sys.path.insert(0, str(ROOT))
    return grimp.build_graph(*product_packages(), cache_dir=None)


def cycles(graph: grimp.ImportGraph) -> list[set[str]]:
    """Strongly connected sets of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[set[str]] = []
    counter = 0
    for start in sorted(graph.modules):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.find_modules_directly_imported_by(start))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def package_of(module: str) -> str:
    """The package a module belongs to for the between-packages view (`core.x`, `tenants`)."""
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "core" and len(parts) > 1 else parts[0]


def package_cycles(graph: grimp.ImportGraph) -> list[set[str]]:
    """Circles between packages (core's sub-packages and modules, tenants, plugins, bench)."""
    packages = grimp.ImportGraph()
    for module in graph.modules:
        packages.add_module(package_of(module))
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            a, b = package_of(module), package_of(imported)
            if a != b:
                packages.add_import(importer=a, imported=b)
    return cycles(packages)


def layers() -> list[list[str]]:
    """The layer contract of pyproject.toml, top first; each layer a list of modules."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    contracts = config.get("tool", {}).get("importlinter", {}).get("contracts", [])
    contract = next(c for c in contracts if c.get("type") == "layers")
    return [[m.strip() for m in layer.replace(":", "|").split("|")] for layer in contract["layers"]]


def layer_of(module: str, layer_list: list[list[str]]) -> int | None:
    for level, members in enumerate(layer_list):
        if any(module == m or module.startswith(m + ".") for m in members):
            return level
    return None


def upward_imports(graph: grimp.ImportGraph, layer_list: list[list[str]] | None = None) -> list[tuple[str, str]]:
    """Imports from a module of a lower layer to one of a higher layer (index 0 is the top)."""
    layer_list = layer_list or layers()
    found = []
    for module in sorted(graph.modules):
        mine = layer_of(module, layer_list)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            theirs = layer_of(imported, layer_list)
            if mine is not None and theirs is not None and theirs < mine:
                found.append((module, imported))
    return found


def function_level_imports() -> list[tuple[str, int]]:
    """`import` statements inside a function body, in product code."""
    found = []
    for package in product_packages():
        for path in sorted((ROOT / package).rglob("*.py")):
            if "build" in path.relative_to(ROOT).parts:  # pip's in-tree build of bench/
                continue
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    for inner in ast.walk(node):
                        if isinstance(inner, ast.Import | ast.ImportFrom):
                            found.append((str(path.relative_to(ROOT)), inner.lineno))
    return sorted(set(found))


def main() -> None:
    graph = build_graph()
    circles = cycles(graph)
    print(f"files in import circles: {sum(len(c) for c in circles)} in {len(circles)} circle(s)")
    print(f"circles between packages: {len(package_cycles(graph))}")
    print(f"imports running upward (layer contract): {len(upward_imports(graph))}")
    print(f"function-level imports: {len(function_level_imports())}")


if __name__ == "__main__":
    main()


def contract() -> dict:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return next(c for c in config["tool"]["importlinter"]["contracts"] if c.get("type") == "layers")


def _matches(pattern: str, module: str) -> bool:
    """import-linter's wildcards: `*` one name, `**` any number of names."""
    regex = "^" + re.escape(pattern).replace(r"\*\*", ".+").replace(r"\*", "[^.]+") + "$"
    return re.match(regex, module) is not None


def ignored(importer: str, imported: str) -> bool:
    """True when the contract lists this import among its known exceptions."""
    for line in contract().get("ignore_imports", []):
        left, right = (side.strip() for side in line.split("->"))
        if _matches(left, importer) and _matches(right, imported):
            return True
    return False


def layer_groups() -> dict[str, str]:
    """Each module named in the layer contract -> its group: siblings joined with `:` (allowed
    to import each other) form one group, `|` siblings are groups of their own."""
    groups = {}
    for layer in contract()["layers"]:
        for independent in layer.split("|"):
            members = [m.strip() for m in independent.split(":")]
            for member in members:
                groups[member] = " : ".join(members)
    return groups


def group_cycles(graph: grimp.ImportGraph) -> list[set[str]]:
    """Circles between the contract's groups, leaving out the contract's listed exceptions."""
    groups = layer_groups()

    def group_of(module: str) -> str | None:
        best = max((m for m in groups if module == m or module.startswith(m + ".")), key=len, default=None)
        return groups[best] if best else None

    between = grimp.ImportGraph()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            a, b = group_of(module), group_of(imported)
            if a and b and a != b and not ignored(module, imported):
                between.add_import(importer=a, imported=b)
    return cycles(between)
