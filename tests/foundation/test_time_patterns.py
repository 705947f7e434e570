"""Times printed through the compiled patterns read exactly as Babel prints them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from babel import Locale
from babel import dates as babel_dates
from flask_babel import force_locale, format_datetime

from core import i18n
from core.time_patterns import compile_pattern

LANGUAGES = ("nb", "nn", "en")
FORMATS = ("short", "medium", "long", "full")
# Every hour of a day in winter and in summer (midnight, noon, 1 and 13 o'clock for the
# 12-hour clock), the changes to and from summer time, the turn of a year, single-digit
# days and months, and a minute and second that are not zero.
MOMENTS = sorted(
    [datetime(2026, 1, 5, 0, 0, tzinfo=UTC) + timedelta(hours=h, minutes=7, seconds=9) for h in range(24)]
    + [datetime(2026, 7, 15, 0, 0, tzinfo=UTC) + timedelta(hours=h, minutes=59) for h in range(24)]
    + [datetime(2026, 3, 29, 0, 59, tzinfo=UTC), datetime(2026, 3, 29, 1, 0, tzinfo=UTC),
       datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
       datetime(2026, 12, 31, 23, 0, tzinfo=UTC), datetime(2027, 11, 30, 22, 45, tzinfo=UTC),
       datetime(2036, 9, 9, 9, 9, 9, tzinfo=UTC)])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("fmt", FORMATS)
def test_localtime_prints_what_babel_prints(app, language, fmt):
    with app.test_request_context("/"), force_locale(language):
        shown = [i18n.localtime(moment, fmt) for moment in MOMENTS]
        babel = [format_datetime(moment, fmt) for moment in MOMENTS]
    assert shown == babel


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_short_format_is_compiled(language):
    """The pages' own format takes the compiled path in every language (else the test above
    would compare Babel with itself)."""
    locale = Locale.parse(language)
    date = babel_dates.parse_pattern(babel_dates.get_date_format("short", locale=locale))
    clock = babel_dates.parse_pattern(babel_dates.get_time_format("short", locale=locale))
    assert compile_pattern(date, locale) is not None
    assert compile_pattern(clock, locale) is not None


@pytest.mark.parametrize("pattern", ["d. MMMM y", "EEEE d.M.", "HH:mm z", "QQQ y"])
def test_a_pattern_with_names_is_left_to_babel(pattern):
    assert compile_pattern(babel_dates.parse_pattern(pattern), Locale.parse("nb")) is None


@pytest.mark.parametrize(("pattern", "moment", "expected"), [
    ("dd.MM.y HH:mm:ss", datetime(2026, 1, 5, 7, 3, 9), "05.01.2026 07:03:09"),
    ("d.M.yy H:m:s", datetime(2026, 1, 5, 7, 3, 9), "5.1.26 7:3:9"),
    ("h:mm a", datetime(2026, 1, 5, 0, 5), "12:05\u202fAM"),
    ("hh:mm a", datetime(2026, 1, 5, 13, 5), "01:05\u202fPM"),
    ("'kl'. HH '%' mm", datetime(2026, 1, 5, 13, 5), "kl. 13 % 05"),
])
def test_compiled_patterns_read_as_babels(pattern, moment, expected):
    locale = Locale.parse("en")
    parsed = babel_dates.parse_pattern(pattern if "a" not in pattern else pattern.replace(" a", "\u202fa"))
    assert parsed.apply(moment, locale) == expected
    assert compile_pattern(parsed, locale)(moment) == expected
