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


def init_app(app: Flask) -> None:
    from core.api import add_api_registrar
    from core.library import api, arena, platform, views
    from core.plugins_admin.service import domain_label

    app.add_template_global(publisher_of)
    app.add_template_global(domain_label)

    app.register_blueprint(arena.bp)
    app.register_blueprint(views.bp)
    platform.init_app(app)

    def register(api_ext):
        from core.extensions import csrf

        api_ext.register_blueprint(api.bp)
        csrf.exempt(api.bp)

    add_api_registrar(app, register)
