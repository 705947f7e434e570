"""School meals (skolemat): an example Samspill plugin shipped as its own package."""

from __future__ import annotations

from flask import render_template, url_for
from flask.views import MethodView

from core.plugin_api import (
    PluginSchema,
    api_blueprint,
    current_tenant,
    fields,
    for_domain,
    hookimpl,
    procurement_domain,
    settings,
    tenant_pages,
    validate,
)

SAMSPILL_CONTRACT = "1.1"  # the plugin contract this plugin is built for
NAME = "samspill_example"
DOMAIN = {"key": "school_meals", "name": "Skolemat", "name_en": "School meals",
          "description": "Lunch for pupils in primary schools."}
NEEDS = [{"key": "sch-need-01", "theme": "Appetite", "source": "interview", "priority": 1,
          "user_group": "Pupils", "statement": "The food must be something we want to eat."}]
GATE_ITEMS = [{"phase": "needs", "key": "sch-pupils-heard", "text": "Pupils were heard"}]
TEMPLATE = {"format": "samspill.template/1", "key": "school-meals", "title": "School meals",
            "summary": "Lunch for pupils.", "domain": "school_meals", "procedure": "open",
            "cpv_codes": [], "needs": [{k: v for k, v in n.items() if k != "key"} for n in NEEDS],
            "texts": {}, "questionnaire": [], "requirements": [], "award_criteria": [],
            "gate_items": GATE_ITEMS, "kpis": []}


class SettingsSchema(PluginSchema):
    """Per-tenant settings (the same class name as the first-party plugins' on purpose)."""

    meals_per_day = fields.Integer(load_default=1, validate=validate.Range(min=1, max=3),
                                   metadata={"label": "Meals per day"})
    menu_language = fields.String(load_default="nb", validate=validate.OneOf(["nb", "nn", "en"]),
                                  metadata={"label": "Menu language"})


class MenuSchema(PluginSchema):
    tenant = fields.String()
    meals_per_day = fields.Integer()
    language = fields.String()


pages = tenant_pages(NAME, __name__, template_folder="templates")
api = api_blueprint(NAME, __name__, description="Example plugin: school meals")


@pages.get("/")
def index():
    return render_template("samspill_example/index.html", settings=settings(NAME))


@api.route("/menu")
class Menu(MethodView):
    @api.response(200, MenuSchema)
    def get(self):
        """The tenant's menu settings."""
        current = settings(NAME)
        return {"tenant": current_tenant().slug, "meals_per_day": current["meals_per_day"],
                "language": current["menu_language"]}


@hookimpl
def samspill_domains():
    return [DOMAIN]


@hookimpl
def samspill_templates(domain):
    return for_domain([TEMPLATE], domain, DOMAIN["key"])


@hookimpl
def samspill_needs_catalogue(domain):
    return for_domain(NEEDS, domain, DOMAIN["key"])


@hookimpl
def samspill_gate_items(procurement, phase):
    if procurement_domain(procurement) != DOMAIN["key"]:
        return []
    return [g for g in GATE_ITEMS if phase in (None, g["phase"])]


@hookimpl
def samspill_settings_schema():
    return SettingsSchema


@hookimpl
def samspill_blueprints():
    return [pages]


@hookimpl
def samspill_api_blueprints():
    return [api]


@hookimpl
def samspill_navigation_items(tenant):
    return [{"id": "school-meals", "label": "School meals", "priority": 70,
             "url": url_for("plugin_samspill_example.index", slug=tenant.slug)}]
