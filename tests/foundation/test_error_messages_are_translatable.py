"""Every message a service puts into a domain error is translatable (`_l("…")`, docs/developing.md).

An AST scan of core/, tenants/ and plugins/: a `raise SomeDomainError(...)` whose detail (first
argument) or any message in `errors=` is a plain string literal, an f-string or a string built
with `%`, `+` or `.format()` fails here — people would read English on a Bokmål page.
Messages built elsewhere and passed in by name are not seen; reviews catch those.
"""

from __future__ import annotations

import ast
from pathlib import Path

from core import errors as core_errors

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("core", "tenants", "plugins")

# Packages another engineer converts; remove a line when its messages are marked with `_l`.
NOT_YET_CONVERTED: tuple[str, ...] = ()

DOMAIN_ERRORS = {name for name, value in vars(core_errors).items()
                 if isinstance(value, type) and issubclass(value, core_errors.DomainError)}


def _domain_error_names(tree: ast.Module) -> set[str]:
    """Core's error classes plus subclasses defined in the module (e.g. `PreconditionRequired`)."""
    names = set(DOMAIN_ERRORS)
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and any(
                (b.id if isinstance(b, ast.Name) else getattr(b, "attr", None)) in names for b in node.bases):
            names.add(node.name)
    return names


def _called(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _is_plain_text(node: ast.AST) -> bool:
    """A literal, an f-string, or a string built with `%`, `+` or `"…".format()`."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(node.value.strip())
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return _is_plain_text(node.left) or _is_plain_text(node.right)
    if isinstance(node, ast.Call) and _called(node.func) == "format":
        return _is_plain_text(getattr(node.func, "value", None))
    return isinstance(node, ast.JoinedStr)


def _plain_messages(node: ast.AST):
    """Message positions holding untranslatable text: the node itself, or inside lists, tuples,
    dict values and comprehensions (the shape of `errors`)."""
    if _is_plain_text(node):
        yield node
    elif isinstance(node, ast.List | ast.Tuple | ast.Set):
        for element in node.elts:
            yield from _plain_messages(element)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _plain_messages(value)
    elif isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp):
        yield from _plain_messages(node.elt)
    elif isinstance(node, ast.DictComp):
        yield from _plain_messages(node.value)


def untranslatable_raises(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = _domain_error_names(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and _called(node.exc.func) in names):
            continue
        call = node.exc
        messages = [*(_plain_messages(call.args[0]) if call.args else ()),
                    *(m for kw in call.keywords if kw.arg in ("detail", "errors") for m in _plain_messages(kw.value))]
        where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
        found += [f"{where}:{m.lineno}: {ast.unparse(m)[:80]}" for m in messages]
    return found


def _sources() -> list[Path]:
    paths = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/tests/" in relative or relative.startswith(NOT_YET_CONVERTED):
                continue
            paths.append(path)
    return paths


def test_domain_errors_carry_translatable_messages():
    found = [line for path in _sources() for line in untranslatable_raises(path)]
    assert found == [], (
        "Domain errors with plain-text messages (mark them with `_l` from core.i18n, values as "
        "%(name)s placeholders, and translate them; see docs/developing.md, Language):\n" + "\n".join(found))


def test_the_scan_finds_plain_messages(tmp_path):
    """The scan itself: literal, f-string, formatting, messages inside `errors`; `_l` passes."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from core.errors import ValidationError, Conflict\n"
        "from core.i18n import _l\n"
        "class Mine(Conflict):\n    pass\n"
        "def f(x):\n"
        "    raise ValidationError('plain', errors={'a': ['also plain']})\n"
        "def g(x):\n"
        "    raise Mine(f'{x} taken')\n"
        "def h(x):\n"
        "    raise Conflict('%s taken' % x)\n"
        "def i(x):\n"
        "    raise ValidationError(_l('Fine %(x)s.', x=x), errors={k: [_l('Fine.')] for k in x})\n",
        encoding="utf-8")
    found = untranslatable_raises(sample)
    assert [line.split(": ", 1)[1] for line in found] == ["'plain'", "'also plain'", "f'{x} taken'", "'%s taken' % x"]
