"""The welfare-technology plugin's hook implementations (entry point `welfare_tech`).

Everything the plugin contributes goes through the public hooks, exactly as a third-party
plugin's would: domain content from `content.py`, a settings and extension schema, pages,
API, navigation, a command, its own migrations, a permission and a lifecycle event.
"""

from __future__ import annotations

from pathlib import Path

from core.plugin_api import domain_content_hooks, hookimpl, lazy_gettext, procurement_domain
from plugins.welfare_tech import api, content, schemas, views
from plugins.welfare_tech import models as _models  # noqa: F401  (the plugin's own table)
from plugins.welfare_tech.cli import welfare_group

SAMSPILL_CONTRACT = "1.1"  # the plugin contract this plugin is built for
NAME = "welfare_tech"
DOMAIN = content.DOMAIN["key"]


# Domain content (needs, requirements, questionnaire, KPIs, gate items, template) from content.py.
(samspill_domains, samspill_templates, samspill_needs_catalogue, samspill_requirement_library,
 samspill_questionnaire_questions, samspill_benefit_kpis, samspill_gate_items) = domain_content_hooks(content)


@hookimpl
def samspill_settings_schema():
    return schemas.SettingsSchema


@hookimpl
def samspill_extension_schemas():
    return {"procurement": schemas.ProcurementDetailsSchema, "need": schemas.NeedDetailsSchema}


@hookimpl
def samspill_blueprints():
    return [views.bp]


@hookimpl
def samspill_api_blueprints():
    return [api.blp]


@hookimpl
def samspill_navigation_items(tenant):
    return [views.navigation_item(tenant)]


@hookimpl
def samspill_register_commands(cli):
    cli.add_command(welfare_group)


@hookimpl
def samspill_migration_locations():
    return [Path(__file__).parent / "migrations" / "versions"]


@hookimpl
def samspill_permissions():
    return [{"name": "welfare_tech.bookmark", "default_role": "member",
             "description": lazy_gettext("Bookmark requirements in the welfare-technology library")}]


@hookimpl
def samspill_procurement_created(procurement):
    """A new welfare-technology procurement starts with the plugin's default details."""
    if procurement_domain(procurement) != DOMAIN or (procurement.extension or {}).get(NAME):
        return
    details = schemas.ProcurementDetailsSchema()
    procurement.extension = {**(procurement.extension or {}), NAME: details.dump(details.load({}))}
