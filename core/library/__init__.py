"""The template library and the learning arena: versioned templates, reuse and lessons learned.

Templates come from the platform (`platform_templates/`), from plugins and from tenants; the
format is `samspill.template/1` (docs/template-format.md). The arena lives at `/arena/`.
"""

from __future__ import annotations

from flask import Flask


def publisher_of(template) -> str:
    """Who published a template, in the reader's language: a municipality, a plugin's domain
    name (never its key, e.g. "welfare_tech"), or Samspill."""
    from core.library.models import TemplateSource
    from core.plugins_admin.service import domain_label

    if template.source == TemplateSource.plugin and template.owner_tenant is None:
        return domain_label(template.owner_key)  # plugin templates are kept per domain
    return template.publisher


def template_part(name: str) -> str:
    """A part of a template (`core.library.diff`) as people call it."""
    from flask_babel import gettext as _

    parts = {"summary": _("summary"), "domain": _("domain"), "procedure": _("procedure"),
             "cpv_codes": _("CPV codes"), "needs": _("needs"), "questionnaire": _("questionnaire"),
             "requirements": _("requirements"), "award_criteria": _("award criteria"),
             "gate_items": _("gate items"), "kpis": _("benefit indicators"), "texts": _("texts")}
    return parts.get(name, _("other parts"))


def init_app(app: Flask) -> None:
    from core.api import add_api_registrar
    from core.library import api, arena, platform, views
    from core.plugins_admin.service import domain_label

    app.add_template_global(publisher_of)
    app.add_template_global(domain_label)
    app.add_template_filter(template_part)

    app.register_blueprint(arena.bp)
    app.register_blueprint(views.bp)
    platform.init_app(app)

    def register(api_ext):
        from core.extensions import csrf

        api_ext.register_blueprint(api.bp)
        csrf.exempt(api.bp)

    add_api_registrar(app, register)
