"""The library's answers to the procurement package (hook `samspill_template_library`): the
procurement pages, API and protocol start from templates, show where a procurement came from
and what changed upstream, share lessons, import catalogue needs and publish as a template
through these functions, without importing the library that sits above them."""

from __future__ import annotations

import uuid
from typing import Any

from core.library import lessons as lesson_service
from core.library import reuse, service
from core.library.models import Template, TemplateVersion
from core.library.service import lineage, origin_of
from core.procurement.models import Procurement
from tenants.models import Tenant

__all__ = ["add_lesson", "lessons", "lineage", "need_catalogues", "origin", "publish_as_template",
           "start_from_template", "template_version", "tenant_templates"]

origin = origin_of


def template_version(version_id: uuid.UUID) -> TemplateVersion:
    """A version the caller may read (404 otherwise)."""
    return service.get_visible_version(version_id)


def start_from_template(tenant: Tenant, *, template_id: uuid.UUID | None = None,
                        version_id: uuid.UUID | None = None, fields: dict[str, Any]) -> Procurement:
    return reuse.start_from_template(tenant, template_id=template_id, version_id=version_id, fields=fields)


def lessons(procurement_id: uuid.UUID, limit: int = 20) -> list:
    return lesson_service.procurement_lessons(procurement_id, limit)


def add_lesson(procurement_id: uuid.UUID, title: str | None, body: str | None):
    return lesson_service.add_to_procurement(procurement_id, title, body)


def tenant_templates(tenant: Tenant) -> list[Template]:
    return service.tenant_templates(tenant)


def publish_as_template(procurement_id: uuid.UUID, **values: Any) -> TemplateVersion:
    return reuse.publish_procurement_as_template(procurement_id, **values)


def need_catalogues(limit: int = 50) -> list[Template]:
    """Visible published templates whose latest version's needs can be imported."""
    return [t for t in service.list_visible(limit=limit).items if t.latest_version_id]
