"""Publication settings from `SAMSPILL_*` environment variables (the app config wins).

- `SAMSPILL_STANDARDS_DIR`: the folder with `eforms-sdk-1.14.2/`, `schxslt-1.9.5/` and
  `ocds-1.1.5/` (default: `../shared/standards` beside the repository).
- `SAMSPILL_EFORMS_CACHE_DIR`: where the compiled schematron is kept (default: the instance
  folder's `eforms-cache/`).
- `SAMSPILL_DOFFIN_URL` and `SAMSPILL_DOFFIN_KEY`: Doffin's notices API; without them notices
  are kept for manual upload.
- `SAMSPILL_OCID_PREFIX`: the OCDS ocid prefix registered with the Open Contracting Partnership.
- `SAMSPILL_REVIEW_BODY_ORG_NUMBER`: the organisation number of the review body (KOFA) named in
  notices at or above the EEA threshold (eForms requires one for every organisation; the standards
  copies give none for KOFA, so there is no default: without it such notices answer 422 naming it).
- `SAMSPILL_BRREG_URL`: Enhetsregisteret's open API, normally
  `https://data.brreg.no/enhetsregisteret/api`; without it nothing is looked up (`register.py`).
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, current_app

REPOSITORY = Path(__file__).resolve().parents[2]
SETTINGS = ("STANDARDS_DIR", "EFORMS_CACHE_DIR", "DOFFIN_URL", "DOFFIN_KEY", "OCID_PREFIX", "BRREG_URL",
            "BRREG_TIMEOUT", "DOFFIN_TIMEOUT", "REVIEW_BODY_ORG_NUMBER")
DEFAULT_OCID_PREFIX = "ocds-samspill"  # a placeholder: register your own prefix before publishing
SDK = "eforms-sdk-1.14.2"
SCHXSLT = "schxslt-1.9.5"
OCDS = "ocds-1.1.5"


def load_settings(app: Flask) -> None:
    for name in SETTINGS:
        key = f"SAMSPILL_{name}"
        if key not in app.config and os.environ.get(key):
            app.config[key] = os.environ[key]


def standards_dir() -> Path:
    configured = current_app.config.get("SAMSPILL_STANDARDS_DIR")
    return Path(configured) if configured else REPOSITORY.parent / "shared" / "standards"


def eforms_cache_dir() -> Path:
    configured = current_app.config.get("SAMSPILL_EFORMS_CACHE_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "eforms-cache"


def doffin() -> tuple[str, str] | None:
    """(endpoint, key) when Doffin is configured."""
    url, key = current_app.config.get("SAMSPILL_DOFFIN_URL"), current_app.config.get("SAMSPILL_DOFFIN_KEY")
    return (url.rstrip("/"), key) if url and key else None


def ocid_prefix() -> str:
    return current_app.config.get("SAMSPILL_OCID_PREFIX") or DEFAULT_OCID_PREFIX


def timeout(name: str, default: float) -> float:
    return float(current_app.config.get(f"SAMSPILL_{name}_TIMEOUT") or default)


def review_body_org_number() -> str:
    return current_app.config.get("SAMSPILL_REVIEW_BODY_ORG_NUMBER") or ""
