"""Readable words for notice kinds, Doffin states and register states (never codes on pages)."""

from __future__ import annotations

from core.i18n import _l

NOTICE_KINDS = {"prior-information": _l("Prior information notice"), "contract": _l("Contract notice"),
                "award": _l("Contract award notice")}
DOFFIN = {"manual": _l("For manual upload"), "pending": _l("Waiting to be sent"), "sent": _l("Sent to Doffin"),
          "failed": _l("Sending failed")}
REGISTER = {"active": _l("Active in the register"), "bankrupt": _l("Bankrupt"),
            "winding_up": _l("Being wound up"),
            "forced_dissolution": _l("Under forced dissolution"), "deleted": _l("Deleted from the register"),
            "unknown": _l("Not in the register"),
            "not_verified": _l("Not verified (the register could not be reached)")}


def notice_label(value: str) -> str:
    return str(NOTICE_KINDS.get(value, value))


def doffin_label(value: str) -> str:
    return str(DOFFIN.get(value, value))


def register_label(value) -> str:
    return str(REGISTER.get(str(getattr(value, "value", value)), value))
