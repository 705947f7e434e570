"""The market dialogue: invitation, conference, Q&A, questionnaires, one-to-one meetings.

Services (every rule) live in `invitation`, `registrations`, `conference`, `questions`,
`questionnaires`, `responses`, `exports`, `meetings`, `calendar`, `attachments`, with access
and the freeze in `rules`. Faces: the JSON API (`api*`), project-group pages in the tenant
space (`group_views*`), and supplier-portal pages (`supplier_views`).

Extension points for other packages (set in their `init_app`):
- `app.extensions["samspill.invitation_template_sources"]`: `fn(procurement) -> str | None`,
  the invitation draft from the procurement's template;
- `app.extensions["samspill.questionnaire_sources"]`: `fn(procurement) -> list[dict]`,
  suggested questionnaire questions ({"kind", "text", "options", "required", "source"});
- `core.dialogue.templating.template_material(procurement_id)`: the dialogue's reusable parts
  for a template, never anything a supplier wrote.
"""

from __future__ import annotations

from flask import Flask, render_template
from markupsafe import Markup

DASHBOARD_DIALOGUES = 10  # the newest procurements in market dialogue, on the tenant dashboard


def _dashboard_panel(tenant) -> Markup | None:
    """Market dialogues of the tenant's procurements, on the tenant dashboard."""
    from core.procurement.models import Phase
    from core.procurement.service import list_for_tenant

    items = list_for_tenant(tenant, limit=DASHBOARD_DIALOGUES, phase=Phase.dialogue)
    if not items:
        return None
    return Markup(render_template("dialogue/group/_dashboard_panel.html", items=items))  # noqa: S704  (autoescaped)


def _procurement_tab(procurement) -> list[dict]:
    """The "Market dialogue" tab on a procurement's pages (`samspill.procurement_nav`)."""
    from flask import url_for
    from flask_babel import gettext as _

    return [{"url": url_for("dialogue.overview", procurement_id=procurement.id), "label": _("Market dialogue")}]


def _plugin_questions(procurement) -> list[dict]:
    """Suggested questions from the domain plugins enabled for the lead tenant (if available)."""
    try:
        from core.plugin_platform import host as plugin_manager
    except ImportError:  # the plugin contract is not installed in this build
        return []
    caller = getattr(plugin_manager, "questionnaire_questions", None)
    return list(caller(procurement) or []) if caller else []


def init_app(app: Flask) -> None:
    from core.api import add_api_registrar
    from core.demo import add_demo_seeder
    from core.dialogue import api, api_feedback, api_meetings, demo, group_views, reminders, supplier_views  # noqa: F401
    from core.dialogue import group_views_feedback as _feedback_views  # noqa: F401  (routes on group_views.bp)
    from core.dialogue import models as _models  # noqa: F401  (tables)
    from core.extensions import csrf
    from core.notifications.reminders import add_deadline_source, add_reminder_source

    def register_api(api_ext) -> None:
        api_ext.register_blueprint(api.blp)
        csrf.exempt(api.blp)

    add_api_registrar(app, register_api)
    app.register_blueprint(group_views.bp)
    app.register_blueprint(supplier_views.bp)
    add_demo_seeder(app, demo.seed)
    add_reminder_source(app, reminders.dialogue_reminders)
    add_deadline_source(app, reminders.passed_dialogue_deadlines)
    app.extensions.setdefault("samspill.dashboard_panels", []).append(_dashboard_panel)
    app.extensions.setdefault("samspill.questionnaire_sources", []).append(_plugin_questions)
    app.extensions.setdefault("samspill.procurement_nav", []).append(_procurement_tab)
