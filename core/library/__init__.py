"""The template library and the learning arena: versioned templates, reuse and lessons learned.

Templates come from the platform (`platform_templates/`), from plugins and from tenants; the
format is `samspill.template/1` (docs/template-format.md). The arena lives at `/arena/`.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from core.api import add_api_registrar
    from core.library import api, arena, platform, views

    app.register_blueprint(arena.bp)
    app.register_blueprint(views.bp)
    platform.init_app(app)

    def register(api_ext):
        from core.extensions import csrf

        api_ext.register_blueprint(api.bp)
        csrf.exempt(api.bp)

    add_api_registrar(app, register)
