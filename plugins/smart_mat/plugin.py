"""The Smart Mat plugin's hook implementations (entry point `smart_mat`).

Like the welfare-technology plugin, it contributes only through the public hooks: domain
content from `content.py`, settings and extension schemas, a page, a menu link and a
dashboard panel.
"""

from __future__ import annotations

from core.plugin_api import for_domain, hookimpl, procurement_domain
from plugins.smart_mat import content, schemas

DOMAIN = content.DOMAIN["key"]


@hookimpl
def samspill_domains():
    return [{**content.DOMAIN, "requirement_categories": content.REQUIREMENT_CATEGORIES}]


@hookimpl
def samspill_templates(domain):
    return for_domain([content.TEMPLATE], domain, DOMAIN)


@hookimpl
def samspill_needs_catalogue(domain):
    return for_domain(content.NEEDS_CATALOGUE, domain, DOMAIN)


@hookimpl
def samspill_requirement_library(domain):
    return for_domain(content.REQUIREMENTS, domain, DOMAIN)


@hookimpl
def samspill_questionnaire_questions(domain):
    return for_domain(content.QUESTIONNAIRE, domain, DOMAIN)


@hookimpl
def samspill_benefit_kpis(domain):
    return for_domain(content.KPIS, domain, DOMAIN)


@hookimpl
def samspill_gate_items(procurement, phase):
    if procurement_domain(procurement) != DOMAIN:
        return []
    return [dict(item) for item in content.GATE_ITEMS if phase in (None, item["phase"])]


@hookimpl
def samspill_settings_schema():
    return schemas.SettingsSchema


@hookimpl
def samspill_extension_schemas():
    return {"procurement": schemas.ProcurementDetailsSchema}


@hookimpl
def samspill_blueprints():
    from plugins.smart_mat import views

    return [views.bp]


@hookimpl
def samspill_navigation_items(tenant):
    from plugins.smart_mat import views

    return [views.navigation_item(tenant)]


@hookimpl
def samspill_dashboard_panels(tenant):
    from plugins.smart_mat import views

    return views.dashboard_panel(tenant)
