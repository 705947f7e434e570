"""Templates shipped with Samspill (`platform_templates/*.json`) and, later, by plugins.

`sync_templates()` brings the library in line with a set of template documents: a new key
becomes a template with version 1, changed content becomes a new published version, and
unchanged content is left alone, so it is safe to run at every deploy (`samspill templates
sync`) and from the demo seed. `sync_plugin_templates()` does the same for the templates the
plugins offer each tenant, shared with exactly the tenants that enabled them.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from core import audit, isolation
from core.commands import cli_errors
from core.db import db, utcnow
from core.library.format import validate_template
from core.library.models import (
    Template,
    TemplateShare,
    TemplateSource,
    TemplateVersion,
    VersionStatus,
    Visibility,
)
from core.library.search import search_text
from core.library.service import content_hash
from core.plugin_platform.wiring import templates_for_tenant
from tenants.models import Tenant

PLATFORM_DIR = Path(__file__).parent / "platform_templates"
log = logging.getLogger(__name__)


def platform_documents() -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(PLATFORM_DIR.glob("*.json"))]


def sync_templates(documents: list[dict[str, Any]], *, source: TemplateSource = TemplateSource.platform,
                   owner_key: str = "platform", share_with: set | None = None) -> list[TemplateVersion]:
    """Create or version the given templates; returns the new versions. Open to all tenants,
    or, with `share_with` (tenant ids), shared with exactly those tenants."""

    created = []
    with isolation.system_scope():
        for document in documents:
            content = validate_template(document)
            template = db.session.execute(select(Template).where(
                Template.source == source, Template.owner_key == owner_key, Template.key == content["key"])
            ).scalar_one_or_none()
            if template is None:
                template = Template(key=content["key"], source=source, owner_key=owner_key, title=content["title"])
                db.session.add(template)
            template.visibility = Visibility.all if share_with is None else Visibility.shared
            db.session.flush()
            if share_with is not None:
                _share_exactly(template, share_with)
            latest = db.session.get(TemplateVersion, template.latest_version_id) if template.latest_version_id else None
            digest = content_hash(content)
            if latest is not None and latest.content_hash == digest:
                continue
            now = utcnow()
            version = TemplateVersion(template_id=template.id, number=template.latest_version_number + 1,
                                      status=VersionStatus.published, content=content, content_hash=digest,
                                      created_at=now, published_at=now,
                                      changelog="" if latest is None else "Updated by the publisher.")
            db.session.add(version)
            db.session.flush()
            template.title, template.summary, template.domain = content["title"], content["summary"], content["domain"]
            template.search_text = search_text(content)
            template.latest_version_id, template.latest_version_number = version.id, version.number
            template.latest_published_at = now
            audit.record("template.published", "template", template.id,
                         changes={"after": {"key": template.key, "version": version.number, "source": source.value}})
            created.append(version)
        db.session.flush()
    return created


def _share_exactly(template: Template, tenant_ids: set) -> None:
    current = {s.tenant_id: s for s in db.session.execute(
        select(TemplateShare).where(TemplateShare.template_id == template.id)).scalars()}
    for tenant_id, share in current.items():
        if tenant_id not in tenant_ids:
            db.session.delete(share)
    for tenant_id in set(tenant_ids) - set(current):
        db.session.add(TemplateShare(template_id=template.id, tenant_id=tenant_id))


def sync_plugin_templates() -> list[TemplateVersion]:
    """Templates the plugins each tenant enabled offer (hook `samspill_templates`, through
    `core.plugin_platform.wiring.templates_for_tenant`): published once per domain and key,
    shared with exactly the tenants they are offered to. A plugin that fails is reported by
    its guard and offers nothing."""

    offered: dict[tuple[str, str], tuple[dict[str, Any], set]] = {}
    with isolation.system_scope():
        tenant_ids = list(db.session.execute(select(Tenant.id).where(Tenant.is_active.is_(True))).scalars())
        for tenant_id in tenant_ids:
            for document in templates_for_tenant(tenant_id):
                key = (str(document.get("domain") or "plugin"), str(document.get("key")))
                offered.setdefault(key, (document, set()))[1].add(tenant_id)
    created = []
    for (owner_key, _key), (document, tenants) in sorted(offered.items()):
        created += sync_templates([document], source=TemplateSource.plugin, owner_key=owner_key,
                                  share_with=tenants)
    return created


@click.group("templates")
def templates_group() -> None:
    """The template library."""


@templates_group.command("sync")
@with_appcontext
@cli_errors
def sync_command() -> None:
    """Publish the platform templates shipped with Samspill and the plugins' templates (new or
    changed ones only)."""
    created = sync_templates(platform_documents())
    click.echo(f"{len(created)} platform template version(s) published.")
    from_plugins = sync_plugin_templates()
    click.echo(f"{len(from_plugins)} plugin template version(s) published.")


