"""Reuse in both directions: start a procurement from a template version, and publish a
procurement back to the library as a template.

Publishing builds the template **only** from an explicit allow-list of procurement-owned
fields (`PUBLISHED_PROCUREMENT_FIELDS`, `PUBLISHED_NEED_FIELDS`, `PUBLISHED_GATE_ITEM_FIELDS`)
plus the sections of the template version the procurement itself started from
(`INHERITED_SECTIONS`, which are library content, never supplier input). Nothing else is read:
no supplier answers, questions, meetings, attachments, audit entries, waiver reasons, key
dates, extension data or participants, so supplier data and business secrets cannot leak into
a template even when other modules add new places to keep them.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import select

from core import audit
from core.db import db
from core.errors import NotFound, ValidationError
from core.i18n import _l
from core.library import service as library
from core.library.format import validate_template
from core.library.models import FORMAT, TemplateVersion, VersionStatus
from core.plugin_platform.host import current_host
from core.procurement import service as procurements
from core.procurement.access import Action, require
from core.procurement.models import Need, NeedSource, Procurement
from tenants.models import Tenant

PUBLISHED_PROCUREMENT_FIELDS = ("title", "description", "domain", "procedure", "cpv_codes")
PUBLISHED_NEED_FIELDS = ("statement", "user_group", "source", "priority")
PUBLISHED_GATE_ITEM_FIELDS = ("phase", "key", "text")
INHERITED_SECTIONS = ("texts", "questionnaire", "requirements", "award_criteria", "kpis")


def start_from_template(tenant: Tenant, *, template_id: uuid.UUID | None = None,
                        version_id: uuid.UUID | None = None, fields: dict[str, Any]) -> Procurement:
    """A new procurement from `version_id`, or else from the latest published version of
    `template_id` (422 when it has none yet); `fields` may give the title and other fields."""
    if version_id is None:
        template = library.get_visible_template(template_id)
        if template.latest_version_id is None:
            raise ValidationError(_l("The template has no published version yet."),
                                  errors={"template": [_l("Not published yet.")]})
        version_id = template.latest_version_id
    given = dict(fields)
    return start_procurement(tenant, version_id, title=given.pop("title", None), **given)


def start_procurement(tenant: Tenant, version_id: uuid.UUID, *, title: str | None = None,
                      **fields: Any) -> Procurement:
    """A new procurement from a visible, published template version, with lineage and needs."""
    version = library.get_visible_version(version_id)
    if version.status != VersionStatus.published:
        raise ValidationError(_l("Start from a published version."), errors={"template": [_l("Not published.")]})
    content = version.content
    description = fields.pop("description", None) or content.get("summary", "")
    values = {"domain": content.get("domain"), "procedure": content.get("procedure"),
              "cpv_codes": content.get("cpv_codes", []), **fields}
    procurement = procurements.create_procurement(
        tenant, title=title or content["title"], description=description, template_version_id=version.id,
        custom_gate_items=[{k: item[k] for k in PUBLISHED_GATE_ITEM_FIELDS} for item in content.get("gate_items", [])],
        **values)
    for position, need in enumerate(content.get("needs", []), start=1):
        db.session.add(Need(procurement_id=procurement.id, position=position, statement=need["statement"],
                            user_group=need.get("user_group", ""), source=NeedSource(need["source"]),
                            priority=need.get("priority", 2), created_by_id=procurement.created_by_id))
    library.record_use(version, tenant.id, procurement.id)
    db.session.flush()
    current_host().call("samspill_template_applied", procurement=procurement, content=content)  # requirements, criteria
    audit.record("procurement.started_from_template", "procurement", procurement.id, tenant_id=tenant.id,
                 procurement_id=procurement.id,
                 changes={"after": {"template_id": version.template_id, "version": version.number,
                                    "needs": len(content.get("needs", []))}})
    return procurement


def _key_from(title: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "-", title.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a"))
    return key.strip("-")[:60] or "template"


def build_template_content(procurement: Procurement, *, title: str | None = None, summary: str | None = None,
                           key: str | None = None) -> dict[str, Any]:
    """Template content from the allow-listed fields of a procurement (see module docstring)."""
    own = {name: getattr(procurement, name) for name in PUBLISHED_PROCUREMENT_FIELDS}
    needs = db.session.execute(
        select(*(getattr(Need, name) for name in PUBLISHED_NEED_FIELDS))
        .where(Need.procurement_id == procurement.id).order_by(Need.position)).all()
    inherited: dict[str, Any] = {}
    if procurement.template_version_id is not None:
        origin = db.session.get(TemplateVersion, procurement.template_version_id)
        if origin is not None:
            inherited = {name: origin.content.get(name) for name in INHERITED_SECTIONS if origin.content.get(name)}
    content = {
        "format": FORMAT,
        "key": key or _key_from(title or own["title"]),
        "title": (title or own["title"]).strip(),
        "summary": (summary if summary is not None else own["description"]).strip(),
        "domain": own["domain"],
        "procedure": own["procedure"].value if own["procedure"] else None,
        "cpv_codes": list(own["cpv_codes"] or []),
        "needs": [{name: (value.value if hasattr(value, "value") else value)
                   for name, value in zip(PUBLISHED_NEED_FIELDS, row, strict=True)} for row in needs],
        "gate_items": [{k: item[k] for k in PUBLISHED_GATE_ITEM_FIELDS}
                       for item in procurement.custom_gate_items or []],
        **inherited,
    }
    return validate_template(content)


def publish_procurement_as_template(procurement_id: uuid.UUID, *, title: str | None = None, summary: str | None = None,
                                    visibility: str = "private", shared_with: list[str] | None = None,
                                    template_id: uuid.UUID | None = None, publish: bool = True,
                                    changelog: str = "") -> TemplateVersion:
    """Publish (or draft) the procurement as a new template of the lead tenant, or as a new
    version of one of the lead tenant's templates (`template_id`)."""
    access = require(procurement_id, Action.manage)
    procurement = access.procurement
    tenant = procurement.lead_tenant
    if template_id is not None:
        template = library.get_visible_template(template_id)
        if template.owner_tenant_id != tenant.id:
            raise NotFound(_l("No such template."))
        content = build_template_content(procurement, title=title, summary=summary, key=template.key)
        version = library.save_draft(template.id, content, changelog, from_procurement_id=procurement.id)
        if publish:
            version = library.publish_draft(template.id)
    else:
        content = build_template_content(procurement, title=title, summary=summary)
        version = library.create_template(tenant, content, visibility=visibility, shared_with=shared_with,
                                          publish=publish, changelog=changelog, from_procurement_id=procurement.id)
    audit.record("procurement.published_as_template", "procurement", procurement.id, tenant_id=tenant.id,
                 procurement_id=procurement.id,
                 changes={"after": {"template_id": version.template_id, "version": version.number,
                                    "status": version.status.value}})
    return version
