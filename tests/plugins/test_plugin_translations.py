"""A plugin ships its own gettext catalogue: its pages, API messages and rendered panels are
translated from it (with the platform's catalogue beneath), and no other page sees it."""

from __future__ import annotations

import io

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from flask_babel import force_locale, gettext

from tests.conftest import bearer, sign_in
from tests.plugins.conftest import enable, factory

FERRIES = """
    from flask import render_template_string
    from flask.views import MethodView

    from core.plugin_api import (ValidationError, api_blueprint, hookimpl, tenant_pages,
                                 translations)

    T = translations("ferries")
    pages = tenant_pages("ferries", __name__, template_folder="templates")
    api = api_blueprint("ferries", __name__)

    @pages.get("/")
    def index():
        return render_template_string(
            '<h1 id="own">{{ _("Ferry routes") }}</h1><p id="platform">{{ _("Procurements") }}</p>'
            '<p id="plural">{{ ngettext("%(num)d ferry", "%(num)d ferries", 3) }}</p>')

    @api.route("/routes")
    class Routes(MethodView):
        def post(self):
            raise ValidationError(T.lazy_gettext("The route is closed."),
                                  errors={"route": [T.lazy_gettext("Closed for the winter.")]})

    @hookimpl
    def samspill_blueprints():
        return [pages]

    @hookimpl
    def samspill_api_blueprints():
        return [api]

    @hookimpl
    def samspill_dashboard_panels(tenant):
        from markupsafe import Markup
        return Markup(T.render("ferries_panel.html"))
"""
PANEL = '<section id="ferry-panel">{{ _("Ferry routes") }}</section>'


def _mo() -> bytes:
    catalog = Catalog(locale="nb")
    catalog.add("Ferry routes", "Fergeruter")
    catalog.add(("%(num)d ferry", "%(num)d ferries"), ("%(num)d ferje", "%(num)d ferjer"))
    catalog.add("The route is closed.", "Ruten er stengt.")
    catalog.add("Closed for the winter.", "Stengt om vinteren.")
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def test_a_plugin_translates_its_own_pages_api_and_panels_and_nothing_else(plugin_package, fresh_app):
    plugin_package("ferries", {"__init__.py": FERRIES, "templates/ferries_panel.html": PANEL,
                               "translations/nb/LC_MESSAGES/messages.mo": _mo()})
    app = fresh_app()
    make = factory(app)
    tenant = make.tenant("asker")
    enable(app, "asker", "ferries")
    admin = make.user(tenant=tenant, role="admin")
    client = app.test_client()
    sign_in(client, admin)

    nb = client.get("/t/asker/plugins/ferries/", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert '<h1 id="own">Fergeruter</h1>' in nb
    assert '<p id="platform">Anskaffelser</p>' in nb  # the platform's catalogue beneath
    assert '<p id="plural">3 ferjer</p>' in nb
    en = client.get("/t/asker/plugins/ferries/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<h1 id="own">Ferry routes</h1>' in en

    dashboard = client.get("/t/asker/", headers={"Accept-Language": "nb"}).get_data(as_text=True)
    assert '<section id="ferry-panel">Fergeruter</section>' in dashboard

    token = make.token(admin)
    problem = client.post("/api/v1/tenants/asker/plugins/ferries/routes",
                          headers={**bearer(token), "Accept-Language": "nb"}).get_json()
    assert problem["detail"] == "Ruten er stengt." and problem["errors"]["route"] == ["Stengt om vinteren."]

    with app.test_request_context("/t/asker/"), force_locale("nb"):
        assert gettext("Ferry routes") == "Ferry routes"  # never merged into the platform's
        assert gettext("Procurements") == "Anskaffelser"
