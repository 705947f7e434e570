"""Who sees which OCDS: the project group everything of its procurement, anyone else what is
published (404 while nothing is), the feed anyone."""

from __future__ import annotations

import uuid
from datetime import datetime

from flask import url_for
from flask_babel import force_locale

from core.auth import current_principal
from core.errors import NotFound
from core.pagination import Page
from core.procurement.access import Action, require
from core.publication import ocds
from core.publication.published import published


def _caller_is_group(procurement_id: uuid.UUID) -> bool:
    if not current_principal().is_authenticated:
        return False
    try:
        require(procurement_id, Action.read)
    except NotFound:
        return False
    return True


def _releases(procurement_id: uuid.UUID) -> list[dict]:
    group = _caller_is_group(procurement_id)
    with force_locale("nb"):  # open data in the procurement's language, the same for every reader
        view = published(procurement_id, for_group=group)
    return ocds.releases(procurement_id, published_only=not group, view=view)


def release_package(procurement_id: uuid.UUID) -> dict:
    uri = url_for("publication_api.ProcurementOcds", procurement_id=procurement_id, _external=True)
    return ocds.package(_releases(procurement_id), uri)


def record_package(procurement_id: uuid.UUID) -> dict:
    uri = url_for("publication_api.ProcurementOcdsRecord", procurement_id=procurement_id, _external=True)
    return ocds.record(_releases(procurement_id), uri)


def feed(cursor: str | None, limit: int, since: datetime | None) -> Page:
    return ocds.feed(cursor, limit, since)
