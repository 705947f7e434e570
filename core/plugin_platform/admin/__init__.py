"""Plugin administration: each tenant's enabled plugins and their settings (UI, API, CLI),
the core's own hook implementations, and plugin extension data on procurements."""

from __future__ import annotations

from flask import Flask

DEMO_PLUGINS = {"asker": ("welfare_tech", "smart_mat"), "baerum": ("welfare_tech", "smart_mat")}


def init_app(app: Flask) -> None:
    """Load the plugins, wire what they contribute, and add the plugin pages and API."""
    from core.api import add_api_registrar
    from core.demo import add_demo_seeder
    from core.plugin_platform import wiring as plugin_wiring
    from core.plugin_platform.admin import api, extension_views, views
    from core.plugin_platform.state import plugin_label

    plugin_wiring.init_app(app)
    app.jinja_env.globals["plugin_label"] = plugin_label
    views.init_app(app)
    extension_views.init_app(app)
    add_api_registrar(app, _register_api(api.blueprints()))
    add_demo_seeder(app, seed_demo)


def _register_api(blueprints):
    def register(api_ext) -> None:
        from core.extensions import csrf

        for blueprint in blueprints:
            api_ext.register_blueprint(blueprint)
            csrf.exempt(blueprint)

    return register


def seed_demo(_passwords: dict[str, str]) -> None:
    """Both first-party plugins enabled in Asker and Bærum, and the plugins' templates in the
    library (idempotent)."""
    from core.plugin_platform import state as service
    from core.plugin_platform.host import current_host
    from tenants import service as tenants

    active = set(current_host().active)
    for slug, names in DEMO_PLUGINS.items():
        tenant = tenants.find_tenant(slug)
        if tenant is None:
            continue
        for name in names:
            if name in active:
                service.set_enabled(tenant, name, True, check_access=False)
    from core.library.platform import sync_plugin_templates

    sync_plugin_templates()  # the library reads them through samspill.template_providers
