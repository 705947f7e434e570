"""Tabs of a procurement's pages contributed by other packages (hook `samspill_procurement_tabs`).
HTML forms use the one form helper, `core.web.forms`."""

from __future__ import annotations

from core.plugin_platform.host import current_host
from core.plugin_platform.procurement_pages import Tab, tab_rows


def nav_items(procurement) -> list[Tab]:
    """Extra tabs for a procurement's pages from the hook `samspill_procurement_tabs` (the
    dialogue pages, plugin extension data); a failing one is reported by its guard."""
    return tab_rows(current_host().call("samspill_procurement_tabs", procurement=procurement))
