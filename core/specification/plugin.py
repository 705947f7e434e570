"""The requirement specification as an internal plugin: its tables, pages, API, tabs and the
automatic checks of the competition gate's requirement and award-criteria items."""

from __future__ import annotations

from core.specification import models as _models  # noqa: F401  (tables)
