"""Languages and times: Norwegian Bokmål first, English second, times shown in Europe/Oslo.

Pages: the language is chosen by the switch in the page header (nb, nn, en; kept in the session,
and on the person's profile when signed in), else the municipality's official language form
(målform, set by its admin), else the browser's preference, else Bokmål.
API (`/api/`): the client's `Accept-Language` only — Bokmål for nb/no/nn, else English (the
message ids), so an integration's answers never change with a person's page preference.
Without a request (command line, background sending without `force_locale`): English.

Message ids are English; `translations/nb` holds Bokmål. Each domain package may ship its own
`translations/` folder; Flask-Babel merges them. Services mark the messages of the domain
errors they raise with `_l` (lazy: translated when the answer is rendered, in the request's
language), e.g. `raise ValidationError(_l("The name is taken."), errors={"name": [_l("Taken.")]})`
and `_l("Plugin %(name)s is not enabled.", name=name)` for values.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import Flask, g, has_app_context, has_request_context, request, session
from flask.globals import _cv_app as _app_context
from flask_babel import (
    Babel,
    format_datetime,
    format_decimal,
    get_locale,
    get_translations,
    lazy_gettext,
    lazy_ngettext,
)
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from markupsafe import Markup

from core.db import utcnow
from core.time_patterns import compile_pattern

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("nb", "nn", "en")
API_PREFIX = "/api/"



def translations():
    """The request's catalogue (Flask-Babel's, for the context's domain and locale), remembered
    for that pair: Flask-Babel looks the context up four or five times for every message, about
    a tenth of a page's CPU. A changed domain (a plugin's pages) or locale (`force_locale`,
    `refresh`) is a different pair, so it is looked up again."""
    context = _app_context.get(None)  # what `g.get` and `has_app_context` read, without two proxies
    namespace = context.g.__dict__.get("_flask_babel") if context is not None else None
    if namespace is not None:
        own = namespace.__dict__
        cached = own.get("samspill_translations")
        if (cached is not None and cached[0] is own.get("babel_domain")
                and cached[1] is own.get("babel_locale")):
            return cached[2]
    found = get_translations()
    namespace = g.get("_flask_babel") if has_app_context() else None
    if namespace is not None:
        namespace.samspill_translations = (getattr(namespace, "babel_domain", None),
                                           getattr(namespace, "babel_locale", None), found)
    return found


def gettext(string: str, **variables) -> str:
    """Flask-Babel's `gettext` through the remembered catalogue."""
    text = translations().ugettext(string)
    return text % variables if variables else text


def _lazy(string: str, **variables) -> LazyString:
    return LazyString(gettext, string, **variables)


# The lazy forms for messages made before the language is known (domain errors, module-level
# labels). `core.catalog` extracts `_l(...)`, `lazy_gettext(...)` and `lazy_ngettext(...)`.
_l = _lazy

__all__ = ["LOCALES", "_l", "gettext", "init_app", "lazy_gettext", "lazy_ngettext", "localtime", "select_locale"]


def translation_directories() -> str:
    found = sorted(str(p) for p in ROOT.glob("*/translations")) + sorted(
        str(p) for p in ROOT.glob("*/*/translations")
    )
    return ";".join(found)


def select_locale() -> str:
    if not has_request_context():
        return "en"
    if request.path.startswith(API_PREFIX):
        return _api_locale()
    chosen = session.get("lang")
    if chosen in LOCALES:
        return chosen
    principal = g.get("principal")
    if principal is not None and principal.user is not None and principal.user.locale in LOCALES:
        return principal.user.locale
    form = municipality_language_form(principal)
    if form:
        return form
    preferred = browser_language(nynorsk=True)
    return preferred if preferred in ("nn", "en") else "nb"


def municipality_language_form(principal) -> str | None:
    """The målform of the municipality whose page this is (when the reader is a member), else
    the one all of the reader's municipalities share; None when none was chosen."""
    if principal is None or not principal.memberships:
        return None
    tenant = g.get("tenant")
    if tenant is not None and tenant.id in principal.memberships:
        return principal.memberships[tenant.id].language_form
    forms = {m.language_form for m in principal.memberships.values()}
    return forms.pop() if len(forms) == 1 else None


def _api_locale() -> str:
    """The API speaks English (its message ids) unless the client asks for Norwegian."""
    return "nb" if browser_language() == "nb" else "en"


def browser_language(nynorsk: bool = False) -> str | None:
    """The first language we speak in `Accept-Language`, by quality: "nb" (for nb, no, and nn
    unless `nynorsk`), "nn", "en", or None. Regional variants count (en-GB is English, nb-NO
    Bokmål). The API has no Nynorsk answers, so only pages ask for "nn"."""
    for value, _quality in request.accept_languages:  # werkzeug keeps them sorted by quality
        primary = value.lower().replace("_", "-").split("-")[0]
        if primary == "nn" and nynorsk:
            return "nn"
        if primary in ("nb", "no", "nn"):
            return "nb"
        if primary == "en":
            return "en"
    return None


OSLO = ZoneInfo("Europe/Oslo")
_NAMED_FORMATS = ("full", "long", "medium", "short")
_TIME_FORMATTERS: dict[tuple[str, str], Callable[[datetime], str]] = {}


def _time_formatter(locale, fmt: str) -> Callable[[datetime], str]:
    """Babel's `format_datetime(value, fmt, locale=locale)` for a time already in Europe/Oslo,
    with the locale's patterns looked up and parsed once (Babel does it on every call), and
    compiled to plain formatting where `core.time_patterns` can."""
    frame = babel_dates.get_datetime_format(fmt, locale=locale).replace("'", "")
    time_pattern = babel_dates.parse_pattern(babel_dates.get_time_format(fmt, locale=locale))
    date_pattern = babel_dates.parse_pattern(babel_dates.get_date_format(fmt, locale=locale))

    def format_oslo(value: datetime) -> str:
        day = value.date()
        return (frame.replace("{0}", time_pattern.apply(value.timetz(), locale, reference_date=day))
                .replace("{1}", date_pattern.apply(day, locale)))

    both = babel_dates.DateTimePattern(
        frame.replace("{1}", date_pattern.pattern).replace("{0}", time_pattern.pattern),
        frame.replace("%", "%%").replace("{1}", date_pattern.format).replace("{0}", time_pattern.format))
    compiled = compile_pattern(both, locale)
    if compiled is None:
        return format_oslo
    return lambda value: compiled(value) if value.year >= 1000 else format_oslo(value)


def localtime(value: datetime | None, fmt: str = "short") -> str:
    """A UTC time as Europe/Oslo wall-clock time in the current language (the same text as
    Flask-Babel's `format_datetime`, for the named formats from patterns kept per locale)."""
    if value is None:
        return ""
    locale = get_locale() if fmt in _NAMED_FORMATS else None
    if locale is None:
        return format_datetime(value, fmt)
    key = (str(locale), fmt)
    formatter = _TIME_FORMATTERS.get(key)
    if formatter is None:
        formatter = _TIME_FORMATTERS[key] = _time_formatter(locale, fmt)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return formatter(value.astimezone(OSLO))


def decimal(value: float | int | str | None, places: int = 1) -> str:
    """A measured number in the current language's notation, with at least `places` decimals
    ("4,0" in nb and nn, "4.0" in en); whole counts are better shown as they are."""
    if value is None or value == "":
        return ""
    return format_decimal(float(value), format="#,##0." + "0" * places + "##")


@pass_eval_context
def _template_gettext(eval_ctx, string: str, **variables) -> str:
    """Jinja's `_()` and `gettext()`: what Jinja's new-style gettext gives (Markup under
    autoescape, always formatted with `%`), without its two extra calls through the template
    context per message (a page shows 30-90 messages)."""
    text = translations().ugettext(string)
    if eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704  (the catalogue's text, as Jinja's own gettext treats it)
    # `%` with no values changes only a text with a `%` in it ("%%"): the rest are returned as they are
    return text % variables if variables or "%" in text else text


def init_app(app: Flask, babel: Babel) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", translation_directories())
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Europe/Oslo")
    # Flask-Babel's own callables, through the remembered catalogue (`translations`).
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext)
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["decimal"] = decimal

    @app.context_processor
    def inject_i18n():
        return {"get_locale": get_locale, "now_utc": utcnow}
