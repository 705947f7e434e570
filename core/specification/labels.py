"""Readable, translated labels for the specification's values (kinds, sources, categories of
the domain libraries, price models); a category no label knows is shown as written."""

from __future__ import annotations

from core.i18n import _l

KINDS = {"absolute": _l("Absolute requirement (must)"), "evaluated": _l("Evaluated requirement (should)")}
SHORT_KINDS = {"absolute": _l("Must"), "evaluated": _l("Should")}
SOURCES = {"template": _l("From the template"), "library": _l("From the requirement library"),
           "own": _l("Written by the project group")}
CATEGORIES = {
    "function": _l("Function"), "interoperability": _l("Interoperability and integration"),
    "alarm_protocol": _l("Alarm transmission"), "security_privacy": _l("Information security and privacy"),
    "operations": _l("Operations and service levels"), "usability": _l("Usability and universal design"),
    "training": _l("Training"), "exit": _l("Exit and data portability"), "nutrition": _l("Nutrition"),
    "allergens": _l("Allergens and special diets"), "ordering": _l("Ordering"), "delivery": _l("Delivery"),
    "quality": _l("Quality"), "sustainability": _l("Environment and sustainability"),
    "legal": _l("Legal and contract"), "other": _l("Other"),
}


def kind_label(value: str) -> str:
    return str(KINDS.get(value, value))


def source_label(value: str) -> str:
    return str(SOURCES.get(value, value))


def category_label(value: str) -> str:
    return str(CATEGORIES[value]) if value in CATEGORIES else value
