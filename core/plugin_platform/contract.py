"""The plugin contract's version: what a plugin declares it was built for, and the rule.

A plugin module declares `SAMSPILL_CONTRACT = "1.1"` (major.minor). The platform offers
`CONTRACT_VERSION`. Minor versions only add (hooks, facade names, optional arguments, fixtures),
so a plugin built for 1.x loads on 1.y when y >= x; a plugin built for a newer minor, or for
another major, is refused: reported by name, not registered, the platform keeps running. A
plugin that declares nothing was built before versions existed and is taken as "1.0". The
deprecation policy that goes with it is in docs/plugin-author-guide.md ("The contract").
"""

from __future__ import annotations

import re
from typing import Any

CONTRACT_VERSION = "1.1"
ASSUMED = "1.0"  # plugins written before the contract had a version
ATTRIBUTE = "SAMSPILL_CONTRACT"
_VERSION = re.compile(r"^(\d+)\.(\d+)$")


def parse(version: str) -> tuple[int, int] | None:
    match = _VERSION.match(version.strip()) if isinstance(version, str) else None
    return (int(match.group(1)), int(match.group(2))) if match else None


def declared(plugin: Any) -> str:
    """The contract version a plugin module (or object) declares, or the assumed one."""
    value = getattr(plugin, ATTRIBUTE, None)
    return ASSUMED if value is None else str(value)


def refusal(plugin: Any, offered: str = CONTRACT_VERSION) -> str | None:
    """Why the platform will not load `plugin`, or None when its contract version fits."""
    wanted = declared(plugin)
    built, have = parse(wanted), parse(offered)
    supported = f"{have[0]}.0–{offered}" if have else offered
    if built is None:
        return (f"{ATTRIBUTE} = {wanted!r} is not a contract version (major.minor, e.g. "
                f"{CONTRACT_VERSION!r}); this platform supports {supported}.")
    if built[0] != have[0]:
        return (f"Built for plugin contract {wanted}, a different major version; this platform "
                f"supports {supported}. Install a release of the plugin made for {have[0]}.x.")
    if built[1] > have[1]:
        return (f"Built for plugin contract {wanted}, newer than this platform's {offered}; "
                f"upgrade Samspill or install an older release of the plugin.")
    return None
