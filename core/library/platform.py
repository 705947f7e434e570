"""Templates shipped with Samspill (`platform_templates/*.json`) and, later, by plugins.

`sync_templates()` brings the library in line with a set of template documents: a new key
becomes a template with version 1, changed content becomes a new published version, and
unchanged content is left alone, so it is safe to run at every deploy (`samspill templates
sync`) and from the demo seed. The plugin manager can call it with `source="plugin"` and the
plugin's name as owner.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select

from core import isolation
from core.cli import cli_errors
from core.db import db, utcnow
from core.library.format import validate_template
from core.library.models import Template, TemplateSource, TemplateVersion, VersionStatus, Visibility
from core.library.service import content_hash

PLATFORM_DIR = Path(__file__).parent / "platform_templates"


def platform_documents() -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(PLATFORM_DIR.glob("*.json"))]


def sync_templates(documents: list[dict[str, Any]], *, source: TemplateSource = TemplateSource.platform,
                   owner_key: str = "platform") -> list[TemplateVersion]:
    """Create or version the given templates (open to all tenants); returns new versions."""
    from core import audit

    created = []
    with isolation.system_scope():
        for document in documents:
            content = validate_template(document)
            template = db.session.execute(select(Template).where(
                Template.source == source, Template.owner_key == owner_key, Template.key == content["key"])
            ).scalar_one_or_none()
            if template is None:
                template = Template(key=content["key"], source=source, owner_key=owner_key,
                                    visibility=Visibility.all, title=content["title"])
                db.session.add(template)
                db.session.flush()
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
            template.latest_version_id, template.latest_version_number = version.id, version.number
            template.latest_published_at = now
            audit.record("template.published", "template", template.id,
                         changes={"after": {"key": template.key, "version": version.number, "source": source.value}})
            created.append(version)
        db.session.flush()
    return created


@click.group("templates")
def templates_group() -> None:
    """The template library."""


@templates_group.command("sync")
@with_appcontext
@cli_errors
def sync_command() -> None:
    """Publish the platform templates shipped with Samspill (new or changed ones only)."""
    created = sync_templates(platform_documents())
    click.echo(f"{len(created)} platform template version(s) published.")


def init_app(app: Flask) -> None:
    app.extensions.setdefault("samspill.cli_registrars", []).append(lambda cli: cli.add_command(templates_group))
