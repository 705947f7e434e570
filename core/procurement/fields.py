"""Checking and normalising procurement fields: CPV codes, money, key dates and milestones.

Each function takes raw input (from a form or JSON) and returns the clean value, or raises
`ValidationError` with the message keyed by the field name.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from core.errors import ValidationError
from core.i18n import _l
from core.procurement.models import ContractKind, Procedure

CPV_RE = re.compile(r"^(\d{8})-?(\d)$")
CPV_WEIGHTS = (3, 7, 1, 3, 7, 1, 3, 7)
MAX_CPV_CODES = 20
MAX_VALUE_ORE = 10**15  # ten thousand billion kroner
KEY_DATES = (
    "mandate_decision", "needs_complete", "dialogue_invitation", "dialogue_conference",
    "dialogue_responses_due", "competition_notice", "tender_deadline", "award_decision",
    "contract_start", "contract_end",
)
MAX_MILESTONES = 50
DOMAIN_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def _fail(field: str, message: Any):
    raise ValidationError(message, errors={field: [message]})


def cpv_check_digit(digits: str) -> int:
    """The CPV check digit: digits weighted 3, 7, 1 (repeating), sum modulo 10."""
    return sum(int(d) * w for d, w in zip(digits, CPV_WEIGHTS, strict=True)) % 10


def clean_cpv_code(code: str) -> str:
    """'85311100-3' (or '853111003'); the check digit must match."""
    match = CPV_RE.match((code or "").strip())
    if not match:
        _fail("cpv_codes", _l("%(code)s is not a CPV code (8 digits, a dash and a check digit).", code=code))
    digits, check = match.groups()
    if cpv_check_digit(digits) != int(check):
        _fail("cpv_codes", _l("%(code)s has the wrong check digit.", code=code))
    return f"{digits}-{check}"


def clean_cpv_codes(codes: Any) -> list[str]:
    if isinstance(codes, str):
        codes = [c for c in re.split(r"[\s,;]+", codes) if c]
    if not isinstance(codes, list | tuple):
        _fail("cpv_codes", _l("A list of CPV codes is expected."))
    if len(codes) > MAX_CPV_CODES:
        _fail("cpv_codes", _l("At most %(n)s CPV codes.", n=MAX_CPV_CODES))
    cleaned: list[str] = []
    for code in codes:
        value = clean_cpv_code(str(code))
        if value not in cleaned:
            cleaned.append(value)
    return cleaned


def clean_value_ore(value: Any) -> int | None:
    """Integer øre from the API; never floats."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        _fail("estimated_value_ore", _l("The value must be a whole number of øre."))
    if not 0 <= value <= MAX_VALUE_ORE:
        _fail("estimated_value_ore", _l("The value is out of range."))
    return value


def parse_kroner(text: str) -> int | None:
    """'1 250 000,50' or '1250000.5' kroner from a form -> øre, exactly (no floats)."""
    text = (text or "").replace("\u00a0", "").replace(" ", "").replace("kr", "").strip()
    if not text:
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        _fail("estimated_value", _l("Write the amount in kroner, for example 1 250 000."))
    ore = amount * 100
    if ore != ore.to_integral_value():
        _fail("estimated_value", _l("At most two decimals."))
    return clean_value_ore(int(ore))


def format_kroner(ore: int | None) -> str:
    if ore is None:
        return ""
    kroner, rest = divmod(ore, 100)
    text = f"{kroner:,}".replace(",", " ")
    return f"{text},{rest:02d}" if rest else text


def clean_enum(enum_cls, value: Any, field: str, *, required: bool = False):
    if value in (None, ""):
        if required:
            _fail(field, _l("Choose a value."))
        return None
    try:
        return enum_cls(value)
    except ValueError:
        _fail(field, _l("Choose one of: %(choices)s.", choices=", ".join(e.value for e in enum_cls)))


def clean_procedure(value: Any) -> Procedure | None:
    return clean_enum(Procedure, value, "procedure")


def clean_contract_kind(value: Any) -> ContractKind:
    return clean_enum(ContractKind, value, "contract_kind") or ContractKind.goods_services


def clean_date(value: Any, field: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        _fail(field, _l("Write the date as YYYY-MM-DD."))


def clean_key_dates(data: Any) -> dict[str, str]:
    if not isinstance(data, dict):
        _fail("key_dates", _l("Key dates must be an object of name -> date."))
    cleaned = {}
    for name, value in data.items():
        if name not in KEY_DATES:
            _fail("key_dates", _l("Unknown key date %(name)s.", name=name))
        day = clean_date(value, "key_dates")
        if day:
            cleaned[name] = day
    return cleaned


def clean_milestones(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, list) or len(data) > MAX_MILESTONES:
        _fail("milestones", _l("A list of at most %(n)s milestones.", n=MAX_MILESTONES))
    cleaned = []
    for item in data:
        if not isinstance(item, dict) or set(item) - {"title", "date", "done"}:
            _fail("milestones", _l("Each milestone has a title, a date and done (true/false)."))
        title = str(item.get("title") or "").strip()
        if not title or len(title) > 200:
            _fail("milestones", _l("A milestone needs a title of 1-200 characters."))
        cleaned.append({"title": title, "date": clean_date(item.get("date"), "milestones"),
                        "done": bool(item.get("done", False))})
    return cleaned


def clean_title(value: Any) -> str:
    title = str(value or "").strip()
    if not title or len(title) > 300:
        _fail("title", _l("A title of 1-300 characters is required."))
    return title


def clean_description(value: Any) -> str:
    text = str(value or "").strip()
    if len(text) > 20000:
        _fail("description", _l("At most 20 000 characters."))
    return text


def clean_domain(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str) or not DOMAIN_RE.match(value):
        _fail("domain", _l("A domain key is lower-case letters, digits and underscores."))
    return value
