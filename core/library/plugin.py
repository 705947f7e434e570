"""The template library and learning arena as an internal plugin: pages, API, the `samspill
templates` commands, the plugins' templates in the demo library, and the invitation draft a
procurement's template (or its domain plugin's template) gives the market dialogue."""

from __future__ import annotations

from flask import Flask

from core.db import db
from core.library import api, arena, demo, for_procurement, platform, views
from core.library.labels import publisher_of, template_part
from core.library.models import TemplateVersion
from core.library.texts import package_text
from core.plugin_platform.hookspecs import hookimpl
from core.plugin_platform.state import domain_label
from core.plugin_platform.wiring import templates_for_tenant
from core.procurement.participants import is_joint


@hookimpl
def samspill_setup_app(app: Flask) -> None:
    app.add_template_global(publisher_of)
    app.add_template_global(domain_label)
    app.add_template_filter(template_part)


@hookimpl
def samspill_blueprints():
    return [arena.bp, views.bp]


@hookimpl
def samspill_api_blueprints():
    return [api.bp]


@hookimpl
def samspill_register_commands(cli):
    cli.add_command(platform.templates_group)


@hookimpl
def samspill_demo_content(passwords):
    demo.seed()


@hookimpl
def samspill_invitation_template(procurement):
    """The dialogue-invitation draft: from the template the procurement started from, else
    from the template of the domain plugin the lead enabled (`texts.dialogue_invitation`, or
    its `_solo` variant while the lead buys alone)."""
    if procurement.template_version_id is not None:
        version = db.session.get(TemplateVersion, procurement.template_version_id)
        text = package_text(version.content, "dialogue_invitation", joint=is_joint(procurement.id)) if version else ""
        if text:
            return text
    if not procurement.domain:
        return None
    for template in templates_for_tenant(procurement.lead_tenant_id, domain=procurement.domain):
        text = package_text(template, "dialogue_invitation", joint=is_joint(procurement.id))
        if text:
            return text
    return None


@hookimpl
def samspill_template_library():
    return for_procurement
