"""The JSON API shell: /api/v1 blueprints, OpenAPI document, locally served docs.

Every package contributes its flask-smorest blueprints through the hook
`samspill_api_blueprints` (`core.plugin_platform.wiring.register_api`);
errors are problem+json (see `core.errors`), authentication is by bearer token only.
"""

from __future__ import annotations

from flask import Flask
from marshmallow import Schema, fields

from core.api import docs, me
from core.extensions import Api, csrf
from core.plugin_platform import wiring
from core.plugin_platform.host import EXTENSION_KEY

API_PREFIX = "/api/v1"

SECURITY_SCHEMES = {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "ssp_…"}}


def register_api(app: Flask, api: Api) -> None:
    api.document(lambda: _document_shell(api.spec))
    for blueprint in me.blueprints():
        api.register_blueprint(blueprint)
        csrf.exempt(blueprint)
    wiring.register_api(app, api, app.extensions[EXTENSION_KEY])
    docs.init_app(app)


def _document_shell(spec) -> None:
    spec.components.security_scheme("bearerAuth", SECURITY_SCHEMES["bearerAuth"])
    spec.options["security"] = [{"bearerAuth": []}]
    spec.components.schema("Problem", schema=_problem_schema())


def _problem_schema():

    class ProblemSchema(Schema):
        type = fields.String()
        title = fields.String()
        status = fields.Integer()
        detail = fields.String()
        errors = fields.Dict()

    return ProblemSchema
