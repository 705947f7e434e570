"""The Bokmål message catalogue: extract message ids, update the .po, compile, check.

    python -m core.catalog update   # extract from code and templates, merge into nb .po
    python -m core.catalog compile  # .po -> .mo (the .mo is committed)
    python -m core.catalog check    # exit 1 when a message lacks a Bokmål translation
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "core" / "translations"
PO_FILE = TRANSLATIONS / "nb" / "LC_MESSAGES" / "messages.po"
SOURCES = ["core", "tenants", "plugins"]
# Beyond Babel's defaults (_, gettext, ngettext, ...): the lazy forms used for module-level
# labels (`lazy_gettext as _l`, and plugin schemas calling `lazy_gettext(...)` by name).
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2"]


def _pybabel(*args: str) -> None:
    argv = [sys.executable, "-m", "babel.messages.frontend", "-q", *args]
    subprocess.run(argv, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: S603 - our own argv


def extract(pot: Path) -> None:
    _pybabel("extract", "-F", "babel.cfg", *KEYWORDS, "--no-location", "--sort-output",
             "-o", str(pot), *SOURCES)


def update() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        extract(pot)
        if PO_FILE.exists():
            _pybabel("update", "-i", str(pot), "-d", str(TRANSLATIONS), "-l", "nb", "--no-fuzzy-matching",
                     "--ignore-pot-creation-date", "--ignore-obsolete")
        else:
            _pybabel("init", "-i", str(pot), "-d", str(TRANSLATIONS), "-l", "nb")


def compile_catalog() -> None:
    _pybabel("compile", "-d", str(TRANSLATIONS), "-l", "nb")


def missing() -> list[str]:
    """Message ids used in code or templates that have no Bokmål translation."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        extract(pot)
        with pot.open("rb") as handle:
            wanted = [m.id for m in read_po(handle) if m.id]
    with PO_FILE.open("rb") as handle:
        catalog = read_po(handle)
    out = []
    for msgid in wanted:
        message = catalog.get(msgid)
        strings = message.string if message else None
        ok = all(strings) if isinstance(strings, tuple | list) else bool(strings)
        if not ok or (message is not None and message.fuzzy):
            out.append(msgid if isinstance(msgid, str) else msgid[0])
    return out


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_catalog()
    elif command == "check":
        gaps = missing()
        for msgid in gaps:
            print(f"untranslated: {msgid}")
        return 1 if gaps else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
