"""OpenAPI schema names are namespaced per plugin: two plugins' `SettingsSchema` (and their
API schemas of the same class name) appear side by side instead of being renamed silently."""

from __future__ import annotations

from tests.conftest import Factory, bearer
from tests.plugins.conftest import enable, host

PLUGIN = """
    from flask.views import MethodView

    from core.plugin_api import PluginSchema, api_blueprint, fields, hookimpl

    class SettingsSchema(PluginSchema):
        {field} = fields.String(load_default="")

    class ItemSchema(PluginSchema):
        {field}_item = fields.Integer()

    blp = api_blueprint("{name}", __name__)

    @blp.route("/items")
    class Items(MethodView):
        @blp.response(200, ItemSchema(many=True))
        def get(self):
            return []

    @hookimpl
    def samspill_settings_schema():
        return SettingsSchema

    @hookimpl
    def samspill_api_blueprints():
        return [blp]
"""


def test_two_plugins_with_the_same_schema_class_names_do_not_clash(plugin_dist, fresh_app):
    plugin_dist("alpha", PLUGIN.format(name="alpha", field="colour"))
    plugin_dist("beta", PLUGIN.format(name="beta", field="flavour"))
    app = fresh_app()
    assert not host(app).plugins["alpha"].problems and not host(app).plugins["beta"].problems
    spec = app.test_client().get("/api/v1/openapi.json").json
    schemas = spec["components"]["schemas"]
    assert set(schemas["alpha.Settings"]["properties"]) == {"colour"}
    assert set(schemas["beta.Settings"]["properties"]) == {"flavour"}
    assert set(schemas["alpha.Item"]["properties"]) == {"colour_item"}
    assert set(schemas["beta.Item"]["properties"]) == {"flavour_item"}
    assert not [name for name in schemas if name.startswith(("Settings", "Item"))]
    ref = (spec["paths"]["/api/v1/tenants/{slug}/plugins/beta/items"]["get"]["responses"]["200"]
           ["content"]["application/json"]["schema"]["items"]["$ref"])
    assert ref == "#/components/schemas/beta.Item"


def test_first_party_schemas_are_listed_under_their_plugin(client):
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    for name in ("welfare_tech.Settings", "smart_mat.Settings", "welfare_tech.ProcurementDetails",
                 "smart_mat.ProcurementDetails", "welfare_tech.NeedDetails",
                 "welfare_tech.Requirement"):
        assert name in schemas, name
    assert "MeSchema" not in schemas and "Me" in schemas  # core names are unchanged


BROKEN_DOCS = """
    from flask.views import MethodView

    from core.plugin_api import api_blueprint, hookimpl

    blp = api_blueprint("gamma", __name__)

    class Undocumentable(type(blp)):
        def register_views_in_doc(self, *args, **kwargs):
            raise ValueError("gamma cannot be documented")

    blp.__class__ = Undocumentable

    @blp.route("/items")
    class Items(MethodView):
        def get(self):
            return []

    @hookimpl
    def samspill_api_blueprints():
        return [blp]
"""


def test_a_plugin_whose_api_cannot_be_documented_is_reported_and_the_rest_is_served(plugin_dist, fresh_app):
    plugin_dist("gamma", BROKEN_DOCS)
    plugin_dist("alpha", PLUGIN.format(name="alpha", field="colour"))
    app = fresh_app()
    response = app.test_client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json["paths"]
    assert "/api/v1/tenants/{slug}/plugins/alpha/items" in paths
    assert not [path for path in paths if "/plugins/gamma/" in path]
    problems = [p.message for p in host(app).plugins["gamma"].problems]
    assert problems == ["API blueprint 'plugin_api_gamma': gamma cannot be documented"]
    assert not host(app).plugins["alpha"].problems
    # its API is still behind the plugin guard: served where it is enabled, 404 where it is not
    make = Factory(app)
    asker, baerum = make.tenant("asker"), make.tenant("baerum")
    enable(app, "asker", "gamma")
    token_a = make.token(make.user("admin@asker.test", tenant=asker, role="admin"))
    token_b = make.token(make.user("admin@baerum.test", tenant=baerum, role="admin"))
    items = "/api/v1/tenants/{}/plugins/gamma/items"
    assert app.test_client().get(items.format("asker"), headers=bearer(token_a)).status_code == 200
    assert app.test_client().get(items.format("baerum"), headers=bearer(token_b)).status_code == 404
