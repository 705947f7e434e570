"""Languages and times: Norwegian Bokmål first, English second, times shown in Europe/Oslo.

The language is chosen by the switch in the page header (kept in the session, and on the
person's profile when signed in), else the browser's preference, else Bokmål. Message ids
are English; `translations/nb` holds Bokmål. Each domain package may ship its own
`translations/` folder; Flask-Babel merges them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import Flask, g, request, session
from flask_babel import Babel, format_datetime, get_locale

from core.db import utcnow

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("nb", "en")


def translation_directories() -> str:
    found = sorted(str(p) for p in ROOT.glob("*/translations")) + sorted(
        str(p) for p in ROOT.glob("*/*/translations")
    )
    return ";".join(found)


def select_locale() -> str:
    chosen = session.get("lang")
    if chosen in LOCALES:
        return chosen
    principal = g.get("principal")
    if principal is not None and principal.user is not None and principal.user.locale in LOCALES:
        return principal.user.locale
    if request.accept_languages:
        best = request.accept_languages.best_match(["nb", "no", "nn", "en"])
        if best == "en":
            return "en"
    return "nb"


def localtime(value: datetime | None, fmt: str = "short") -> str:
    """A UTC time as Europe/Oslo wall-clock time in the current language."""
    if value is None:
        return ""
    return format_datetime(value, fmt)


def init_app(app: Flask, babel: Babel) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", translation_directories())
    babel.init_app(app, locale_selector=select_locale, timezone_selector=lambda: "Europe/Oslo")
    app.jinja_env.filters["localtime"] = localtime

    @app.context_processor
    def inject_i18n():
        return {"get_locale": get_locale, "now_utc": utcnow}
