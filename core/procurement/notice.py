"""Notice hint: which rules and publication channels follow from the value and procedure.

The thresholds, bands and venues are data (`data/thresholds.json`, or the file named by the
`SAMSPILL_THRESHOLDS_FILE` setting), so a change in the regulation is a data change. This module
only interprets them and words the advice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app

from core.i18n import _l
from core.i18n import gettext as _

DEFAULT_FILE = Path(__file__).parent / "data" / "thresholds.json"


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Any]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if data.get("format") != "samspill.thresholds/1":
        raise ValueError(f"{path}: not a samspill.thresholds/1 file")
    return data


def thresholds() -> dict[str, Any]:
    """The threshold data in force (configurable file, else the shipped one)."""
    return _load(str(current_app.config.get("SAMSPILL_THRESHOLDS_FILE") or DEFAULT_FILE))


@dataclass
class NoticeHint:
    band: str | None
    regime: str | None
    publish: list[dict[str, str]] = field(default_factory=list)
    dialogue_invitation: list[dict[str, str]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    thresholds_ore: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"band": self.band, "regime": self.regime, "publish": self.publish,
                "dialogue_invitation": self.dialogue_invitation, "messages": self.messages,
                "thresholds_ore": self.thresholds_ore}


_BAND_TEXTS = {  # message ids, translated when one is shown (only the band's own)
    "minor": _l("Below the lower limit of the regulation: no duty to announce."),
    "below_national": _l("Below the national threshold: no duty to announce, but the basic "
                         "principles (competition, equal treatment, transparency) apply."),
    "national": _l("Above the national threshold: announce the competition in Doffin "
                   "(national rules, part II)."),
    "eea": _l("Above the EEA threshold: announce the competition in Doffin and in TED "
              "(EEA rules, part III)."),
}


def _band_text(key: str) -> str:
    text = _BAND_TEXTS.get(key)
    return key if text is None else str(text)


def notice_hint(value_ore: int | None, procedure: str | None, contract_kind: str) -> NoticeHint:
    """Advice on rules and publication for an estimated value (øre, excl. VAT) and procedure."""
    data = thresholds()
    eea = int(data["eea_thresholds_ore"].get(contract_kind, data["eea_thresholds_ore"]["goods_services"]))
    limits = {"minimum": int(data["minimum_ore"]), "national": int(data["national_threshold_ore"]),
              "eea": eea}
    if value_ore is None:
        return NoticeHint(None, None, messages=[_("Record an estimated value to see which rules apply.")],
                          thresholds_ore=limits)
    band = next(b for b in data["bands"] if b["below"] is None or value_ore < limits[b["below"]])
    venues = data["venues"]
    hint = NoticeHint(
        band=band["key"], regime=band["regime"], thresholds_ore=limits,
        publish=[{"key": v, **venues[v]} for v in band["publish"]],
        dialogue_invitation=[{"key": v, **venues[v]} for v in band["dialogue_invitation"]],
        messages=[_band_text(band["key"])],
    )
    hint.messages.append(_("Publish the prior information notice inviting to market dialogue in: %(venues)s.",
                           venues=", ".join(v["name"] for v in hint.dialogue_invitation)))
    if procedure in data["procedures_above_eea_only"] and value_ore < eea:
        hint.messages.append(_("This procedure belongs to the EEA rules; below the EEA threshold you "
                               "may design a similar process under the national rules."))
    if procedure in data["procedures_below_national_only"] and value_ore >= limits["national"]:
        hint.messages.append(_("The estimated value is above the national threshold: a "
                               "below-threshold procedure cannot be used."))
    return hint
