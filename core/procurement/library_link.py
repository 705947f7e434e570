"""What the procurement pages ask of the template library (hook `samspill_template_library`).

The library sits above the procurement package (it starts procurements from templates and
publishes them as templates), so the procurement package never imports it: the hook hands over
the library's functions (`core.library.for_procurement`), called here outside the hook guard
so their 404 and 422 reach the caller. Without the library a template is not found and a
procurement has no origin, lessons or catalogues."""

from __future__ import annotations

import uuid
from typing import Any

from core.errors import NotFound
from core.i18n import _l
from core.plugin_platform.host import current_host


def _library():
    return current_host().call("samspill_template_library")


def _required():
    library = _library()
    if library is None:
        raise NotFound(_l("No such template version."))
    return library


def template_version(version_id: uuid.UUID):
    """The template version the caller may read (404 otherwise)."""
    return _required().template_version(version_id)


def start_from_template(tenant, *, template_id: uuid.UUID | None = None, version_id: uuid.UUID | None = None,
                        fields: dict[str, Any]):
    """A new procurement of `tenant` from a template version (or the latest of `template_id`),
    with its lineage and needs; `fields` may give the title and other fields."""
    return _required().start_from_template(tenant, template_id=template_id, version_id=version_id, fields=fields)


def origin(procurement) -> dict[str, Any] | None:
    """The template version the procurement started from, and whether a newer one exists."""
    library = _library()
    return library.origin(procurement) if library else None


def lineage(procurement) -> dict[str, Any] | None:
    """The template version the procurement started from, and what changed upstream since."""
    library = _library()
    return library.lineage(procurement) if library else None


def lessons(procurement_id: uuid.UUID, limit: int = 20) -> list:
    """The newest lessons learned shared on the procurement."""
    library = _library()
    return library.lessons(procurement_id, limit) if library else []


def add_lesson(procurement_id: uuid.UUID, title: str | None, body: str | None):
    """Share a lesson learned on the procurement."""
    return _required().add_lesson(procurement_id, title, body)


def tenant_templates(tenant) -> list:
    """The tenant's own templates, drafts included."""
    library = _library()
    return library.tenant_templates(tenant) if library else []


def publish_as_template(procurement_id: uuid.UUID, **values: Any):
    """Publish (or draft) the procurement as a template; returns the template version."""
    return _required().publish_as_template(procurement_id, **values)


def need_catalogues(limit: int = 50) -> list:
    """Visible published templates whose needs can be imported."""
    library = _library()
    return library.need_catalogues(limit) if library else []
