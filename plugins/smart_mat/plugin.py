"""The Smart Mat plugin's hook implementations (entry point `smart_mat`).

Like the welfare-technology plugin, it contributes only through the public hooks: domain
content from `content.py`, settings and extension schemas, a page, a menu link and a
dashboard panel.
"""

from __future__ import annotations

from core.plugin_api import domain_content_hooks, hookimpl
from plugins.smart_mat import content, schemas, views

SAMSPILL_CONTRACT = "1.1"  # the plugin contract this plugin is built for
DOMAIN = content.DOMAIN["key"]


# Domain content (needs, requirements, questionnaire, KPIs, gate items, template) from content.py.
(samspill_domains, samspill_templates, samspill_needs_catalogue, samspill_requirement_library,
 samspill_questionnaire_questions, samspill_benefit_kpis, samspill_gate_items) = domain_content_hooks(content)


@hookimpl
def samspill_settings_schema():
    return schemas.SettingsSchema


@hookimpl
def samspill_extension_schemas():
    return {"procurement": schemas.ProcurementDetailsSchema}


@hookimpl
def samspill_blueprints():
    return [views.bp]


@hookimpl
def samspill_navigation_items(tenant):
    return [views.navigation_item(tenant)]


@hookimpl
def samspill_dashboard_panels(tenant):
    return views.dashboard_panel(tenant)
