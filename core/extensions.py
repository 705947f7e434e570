"""Flask extensions, created unbound here and bound to each app with `init_app`."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_smorest import Api
from flask_wtf import CSRFProtect

from core.db import db

migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
api = Api()

__all__ = ["api", "babel", "csrf", "db", "limiter", "migrate"]
