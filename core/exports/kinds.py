"""Export kinds: what can be exported, contributed by the domains through the internal hook
`samspill_export_kinds()` (a list of `ExportKind`s each), so this package knows no domain.

`check(procurement_id, params)` applies the same access rule as the domain's direct download
(raising `NotFound`/`Forbidden` for others) and returns the cleaned parameters (raising
`ValidationError` for bad ones); it runs when the export is asked for, when its status or file is
read, and again in the job as the person who asked. `render(procurement_id, params, out)` writes
the file into the binary stream `out` and returns the download's file name.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO

from core.errors import ValidationError
from core.i18n import _l
from core.plugin_platform.host import current_host

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def new_workbook():
    """An empty openpyxl `Workbook` for an XLSX export. openpyxl (about 12 MB per process) is
    imported here, on the first XLSX export, not when a web worker starts."""
    from openpyxl import Workbook  # noqa: PLC0415 - see the docstring

    return Workbook()


@dataclass(frozen=True)
class ExportKind:
    """One kind of export: its name, file type, access check and renderer."""

    name: str
    extension: str
    content_type: str
    check: Callable[[uuid.UUID, dict[str, Any]], dict[str, Any]]
    render: Callable[[uuid.UUID, dict[str, Any], BinaryIO], str]


def all_kinds() -> dict[str, ExportKind]:
    """Every registered kind by name (the first registration of a name wins)."""
    found: dict[str, ExportKind] = {}
    for contributed in current_host().call("samspill_export_kinds") or ():
        for kind in contributed or ():
            found.setdefault(kind.name, kind)
    return found


def kind_named(name: str) -> ExportKind:
    kind = all_kinds().get(name or "")
    if kind is None:
        raise ValidationError(_l("There is no such export."),
                              errors={"kind": [_l("Choose one of: %(kinds)s.", kinds=", ".join(sorted(all_kinds())))]})
    return kind
