"""`samspill plugins new NAME [--dir PATH]`: a new out-of-tree plugin package with every part.

The files come from `scaffold_template/` (suffix `.tmpl`, placeholders `@@name@@`,
`@@package@@`, `@@dist@@`, `@@title@@`, `@@contract@@`, also in paths). The result is an
installable package: pyproject with the entry point, the hooks, a table with its own Alembic
branch and revision, need fields, settings, a page, a tab inside procurements, a JSON API, event
listeners, gate items, a permission, a dashboard panel, templates, a Bokmål catalogue (compiled
here, so the package works without a build step) and tests that use the pytest plugin's
fixtures.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from core.errors import Conflict, ValidationError
from core.i18n import _l
from core.plugin_platform.contract import CONTRACT_VERSION

TEMPLATE = Path(__file__).resolve().parent / "scaffold_template"
SUFFIX = ".tmpl"
NAME = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


def placeholders(name: str) -> dict[str, str]:
    return {"@@name@@": name, "@@package@@": f"samspill_{name}",
            "@@dist@@": "samspill-" + name.replace("_", "-"),
            "@@title@@": name.replace("_", " ").capitalize(), "@@contract@@": CONTRACT_VERSION}


def _fill(text: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        text = text.replace(key, value)
    return text


def generate(name: str, directory: str | Path = ".") -> Path:
    """Write the plugin package `samspill-<name>` into `directory`; returns its folder."""
    if not NAME.match(name or "") or name.startswith("samspill"):
        raise ValidationError(_l("A plugin name is 2-40 lower-case letters, digits and underscores, "
                                 "starting with a letter."),
                              errors={"name": [_l("Not a plugin name: %(name)s", name=name)]})
    values = placeholders(name)
    target = Path(directory) / values["@@dist@@"]
    if target.exists():
        raise Conflict(_l("%(path)s exists already; choose another folder.", path=str(target)),
                       errors={"dir": [_l("Exists already.")]})
    for source in sorted(TEMPLATE.rglob(f"*{SUFFIX}")):
        relative = _fill(str(source.relative_to(TEMPLATE)), values)[: -len(SUFFIX)]
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_fill(source.read_text(encoding="utf-8"), values), encoding="utf-8")
        if path.suffix == ".po":
            compile_catalogue(path)
    return target


def compile_catalogue(po: Path) -> Path:
    """messages.po -> messages.mo next to it (what `pybabel compile` does)."""
    with po.open("rb") as handle:
        catalog = read_po(handle)
    out = io.BytesIO()
    write_mo(out, catalog)
    mo = po.with_suffix(".mo")
    mo.write_bytes(out.getvalue())
    return mo
