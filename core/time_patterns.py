"""CLDR date and time patterns compiled once into plain Python formatting.

Babel's `DateTimePattern.apply` looks every field up through a formatter object on each call
(about 60 Python calls for "dd.MM.y, HH:mm"). `compile_pattern` turns a parsed pattern whose
fields are plain digits (day, month, year, hours, minutes, seconds) or the day period into one
`strftime` (when every field has a `strftime` code) or one `%` formatting of the fields' values;
any other field (month names, weekdays, zones, eras) gives None and the caller keeps Babel's
`apply`. Only for wall-clock times of years 1000-9999 (`strftime`'s `%Y` is not padded below).
`tests/foundation/test_time_patterns.py` compares the output with Babel's for every locale and
named format Samspill speaks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, time

from babel.dates import DateTimePattern

_STRFTIME = {"dd": "%d", "MM": "%m", "y": "%Y", "yyyy": "%Y", "yy": "%y", "HH": "%H", "mm": "%M", "ss": "%S"}
_DIGITS: dict[str, Callable[[datetime], str]] = {
    "d": lambda v: str(v.day),
    "dd": lambda v: f"{v.day:02d}",
    "M": lambda v: str(v.month),
    "MM": lambda v: f"{v.month:02d}",
    "y": lambda v: str(v.year),
    "yyyy": lambda v: f"{v.year:04d}",
    "yy": lambda v: f"{v.year % 100:02d}",
    "H": lambda v: str(v.hour),
    "HH": lambda v: f"{v.hour:02d}",
    "h": lambda v: str(v.hour % 12 or 12),
    "hh": lambda v: f"{v.hour % 12 or 12:02d}",
    "m": lambda v: str(v.minute),
    "mm": lambda v: f"{v.minute:02d}",
    "s": lambda v: str(v.second),
    "ss": lambda v: f"{v.second:02d}",
}
_FIELD = re.compile(r"%\((\w+)\)s")


def compile_pattern(pattern: DateTimePattern, locale) -> Callable[[datetime], str] | None:
    """A function giving `pattern.apply(value, locale)` for a datetime `value`, or None when the
    pattern has a field this module does not format."""
    fields = _FIELD.findall(pattern.format)
    if all(name in _STRFTIME for name in fields):
        text = _FIELD.sub(lambda m: _STRFTIME[m.group(1)], pattern.format)
        return lambda value: value.strftime(text)
    periods = {}
    if "a" in fields:  # the locale's own words for before and after noon, from Babel once
        periods = {noon: DateTimePattern("a", "%(a)s").apply(time(12 if noon else 0), locale) for noon in (False, True)}
    if not all(name in _DIGITS or name == "a" for name in fields):
        return None
    text = _FIELD.sub("%s", pattern.format)
    getters = [(lambda v: periods[v.hour >= 12]) if name == "a" else _DIGITS[name] for name in fields]
    return lambda value: text % tuple([get(value) for get in getters])
