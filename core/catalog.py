"""The message catalogues (Bokmål, Nynorsk): extract message ids, update the .po, compile, check.

    python -m core.catalog update      # extract from code and templates, merge into the nb and nn .po
                                       # (the files' own wrapping kept; messages no code uses dropped)
    python -m core.catalog compile     # .po -> .mo for nb and nn (the .mo files are committed)
    python -m core.catalog check       # exit 1 when a message lacks a Bokmål translation
    python -m core.catalog nn-missing  # the nb messages Nynorsk lacks, with their Bokmål text
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "core" / "translations"
PO_FILE = TRANSLATIONS / "nb" / "LC_MESSAGES" / "messages.po"
NN_PO_FILE = TRANSLATIONS / "nn" / "LC_MESSAGES" / "messages.po"
CATALOGUE_LOCALES = ("nb", "nn")
SOURCES = ["core", "tenants", "plugins"]
# Beyond Babel's defaults (_, gettext, ngettext, ...): the lazy forms used for module-level
# labels (`lazy_gettext as _l`, and plugin schemas calling `lazy_gettext(...)` by name).
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2"]
# The .po files are written sorted, without source locations, wrapped at this width: `update`
# writes them the same way, so a catalogue update changes only the messages that changed.
PO_WIDTH = 100


def _pybabel(*args: str) -> None:
    argv = [sys.executable, "-m", "babel.messages.frontend", "-q", *args]
    subprocess.run(argv, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # noqa: S603 - our own argv


def extract(pot: Path) -> None:
    _pybabel("extract", "-F", "babel.cfg", *KEYWORDS, "--no-location", "--sort-output",
             "-o", str(pot), *SOURCES)


def update() -> None:
    """Merge the messages of code and templates into each locale's .po: new ones added
    untranslated, translated ones kept, ones no code uses any more dropped."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        extract(pot)
        with pot.open("rb") as handle:
            template = read_po(handle)
    for locale in CATALOGUE_LOCALES:
        merge(TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po", locale, template)


def merge(po: Path, locale: str, template: Catalog) -> None:
    """Bring `po` in line with `template` (the extracted messages), keeping its translations."""
    if po.exists():
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=locale)
    else:
        po.parent.mkdir(parents=True, exist_ok=True)
        catalog = Catalog(locale=locale, project="Samspill")
    catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
    write_catalog(po, catalog)


def write_catalog(po: Path, catalog: Catalog) -> None:
    """Write `catalog` to `po` in the files' own layout (sorted, no locations, PO_WIDTH)."""
    with po.open("wb") as handle:
        write_po(handle, catalog, width=PO_WIDTH, no_location=True, ignore_obsolete=True, sort_output=True)


def compile_catalog() -> None:
    for locale in CATALOGUE_LOCALES:
        _pybabel("compile", "-d", str(TRANSLATIONS), "-l", locale)


def _translated(message) -> bool:
    strings = message.string if message else None
    ok = all(strings) if isinstance(strings, tuple | list) else bool(strings)
    return ok and not message.fuzzy


def nynorsk_missing() -> list[tuple[str, str]]:
    """(message id, Bokmål text) for every translated Bokmål message that Nynorsk lacks."""
    with PO_FILE.open("rb") as handle:
        bokmal = read_po(handle)
    nynorsk = None
    if NN_PO_FILE.exists():
        with NN_PO_FILE.open("rb") as handle:
            nynorsk = read_po(handle)
    out = []
    for message in bokmal:
        if message.id and _translated(message) and not _translated(nynorsk.get(message.id) if nynorsk else None):
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            text = message.string if isinstance(message.string, str) else message.string[0]
            out.append((msgid, text))
    return out


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
    elif command == "nn-missing":
        gaps = nynorsk_missing()
        for msgid, bokmal in gaps:
            print(f"{msgid}\t{bokmal}")
        return 1 if gaps else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
