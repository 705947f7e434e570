"""Named texts of a template (`texts` in `samspill.template/1`) chosen for one procurement.

A text may come in a variant for a municipality buying alone: `<name>_solo` beside `<name>`
(e.g. `dialogue_invitation_solo`), so a learning municipality starting alone from a joint
package never sends out "a joint procurement … the municipalities present". Without a
variant the one text serves both.
"""

from __future__ import annotations

from typing import Any


def package_text(content: dict[str, Any] | None, name: str, *, joint: bool) -> str:
    """The text `name` of the template content, its solo variant when the buyer is alone."""
    texts = (content or {}).get("texts") or {}
    if not joint and texts.get(f"{name}_solo"):
        return texts[f"{name}_solo"]
    return texts.get(name) or ""
