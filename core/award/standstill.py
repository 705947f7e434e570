"""The standstill period (karensperiode): how long, from `data/standstill.json`, and its state.

The period is counted in calendar days from the moment the letters are sent; the data file
gives the days per procedure (`null`: the rules require none). A complaint can suspend it; while
suspended no contract is signed and the move to the contract phase is refused.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from core.award.models import AwardDecision
from core.i18n import _l, localtime

DATA = Path(__file__).parent / "data" / "standstill.json"


@cache
def _data() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def days_for(procedure: str | None) -> int | None:
    data = _data()
    if procedure is None:
        return data["default_days"]
    return data["days"].get(procedure, data["default_days"])


def ends_at(sent_at: datetime, procedure: str | None) -> datetime | None:
    days = days_for(procedure)
    return None if days is None else sent_at + timedelta(days=days)


def blocking(decision: AwardDecision | None, now: datetime) -> str | None:
    """Why the standstill still blocks contracts (a readable message), or None."""
    if decision is None:
        return str(_l("No award decision is made."))
    if decision.suspended_at is not None:
        return str(_l("The standstill period is suspended because of a complaint."))
    if decision.standstill_ends_at is not None and now < decision.standstill_ends_at:
        return str(_l("The standstill period ends %(time)s.", time=localtime(decision.standstill_ends_at)))
    return None
