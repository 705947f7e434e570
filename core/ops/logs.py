"""Structured logs: one JSON object per line with time (UTC, ISO 8601), level, logger, message,
the request id of the request or job being handled, and the exception when there is one.

`SAMSPILL_LOG_FORMAT=json` (the default of `samspill serve` and `samspill worker`) installs the
formatter on the root logger once per process; `text` leaves logging as Python sets it up.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from core.ops import requestid

_installed = False


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or requestid.current()
        if request_id:
            entry["request_id"] = request_id
        job = getattr(record, "job", None)
        if job:
            entry["job"] = job
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(level: int = logging.INFO, stream=None) -> None:
    """JSON lines on stderr for the whole process (idempotent)."""
    global _installed
    if _installed:
        return
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    _installed = True


def configure_from(setting: str | None) -> None:
    """Apply the `SAMSPILL_LOG_FORMAT` setting: `json` installs the formatter, anything else
    leaves logging alone (tests, `flask run`)."""
    if (setting or "").strip().lower() == "json":
        configure()
