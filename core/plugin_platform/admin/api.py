"""API: a tenant's plugins (`/api/v1/tenants/{slug}/plugins`) and procurement extension data
(`/api/v1/procurements/{id}/extensions`)."""

from __future__ import annotations

import uuid

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import INCLUDE, Schema, fields

from core.db import db
from core.errors import PreconditionFailed
from core.i18n import _l
from core.plugin_platform import extension_data
from core.plugin_platform import state as service
from tenants import service as tenants

plugins_bp = Blueprint("tenant_plugins", __name__, url_prefix="/api/v1/tenants/<slug>/plugins",
                       description="Installed plugins and the tenant's choice of them")
extensions_bp = Blueprint("procurement_extensions", __name__,
                          url_prefix="/api/v1/procurements/<uuid:procurement_id>/extensions",
                          description="Plugin extension data on a procurement")


class PluginProblemSchema(Schema):
    kind = fields.String()
    hook = fields.String(allow_none=True)
    message = fields.String()
    at = fields.String(metadata={"description": "last seen, RFC 3339, UTC"})
    first_at = fields.String(metadata={"description": "first seen, RFC 3339, UTC"})
    count = fields.Integer(metadata={"description": "how often it happened, in every process"})


class PluginStateSchema(Schema):
    name = fields.String()
    version = fields.String(allow_none=True)
    distribution = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "active | failed | blocked"})
    description = fields.String()
    enabled = fields.Boolean()
    hooks = fields.List(fields.String())
    problems = fields.List(fields.Nested(PluginProblemSchema))
    settings = fields.Dict(allow_none=True, metadata={
        "description": "Only for the tenant's admins. Validated by the plugin's settings "
                       "schema, listed in this document as `<plugin>.<Name>`."})
    settings_version = fields.Integer(metadata={"description": "Send back as `version`."})


class PluginChangeSchema(Schema):
    enabled = fields.Boolean()
    settings = fields.Dict(metadata={"description": "Settings to change (others are kept)."})
    version = fields.Integer(metadata={"description": "settings_version you read; 409 if stale"})


@plugins_bp.route("")
class TenantPlugins(MethodView):
    @plugins_bp.response(200, PluginStateSchema(many=True))
    def get(self, slug: str):
        """Installed plugins, whether this tenant uses each, and (for admins) settings."""
        return service.states_for(tenants.get_tenant(slug))


@plugins_bp.route("/<name>")
class TenantPlugin(MethodView):
    @plugins_bp.response(200, PluginStateSchema)
    def get(self, slug: str, name: str):
        """One installed plugin as this tenant sees it."""
        return service.state_for(tenants.get_tenant(slug), name)

    @plugins_bp.arguments(PluginChangeSchema)
    @plugins_bp.response(200, PluginStateSchema)
    def patch(self, change: dict, slug: str, name: str):
        """Enable or disable the plugin and/or change its settings (tenant admins)."""
        tenant = tenants.get_tenant(slug)
        version = change.get("version")
        if "enabled" in change:
            service.set_enabled(tenant, name, change["enabled"], expected_version=version)
            version = None
        if "settings" in change:
            service.update_settings(tenant, name, change["settings"], expected_version=version)
        db.session.commit()
        return service.state_for(tenant, name)


class AnyObjectSchema(Schema):
    class Meta:
        unknown = INCLUDE


class ExtensionDataSchema(Schema):
    data = fields.Dict(metadata={"description": "Plugin name -> its data (see the "
                                                "`<plugin>.<Name>` components)."})
    schemas = fields.Dict(metadata={"description": "Plugin name -> OpenAPI component name"})
    version = fields.Integer()


def _extension_body(procurement_id: uuid.UUID):

    access, data, schemas = extension_data.procurement_extensions(procurement_id)
    procurement = access.procurement
    resolve = extension_data.namespaced_schema_name(current_app._get_current_object())
    body = {"data": data, "schemas": {ns: resolve(s) for ns, s in schemas.items()},
            "version": procurement.version}
    return body, {"ETag": f'"{procurement.version}"'}


@extensions_bp.route("")
class ProcurementExtensions(MethodView):
    @extensions_bp.response(200, ExtensionDataSchema)
    def get(self, procurement_id: uuid.UUID):
        """Extension data of the plugins the lead tenant enabled (the lead governs)."""
        return _extension_body(procurement_id)


@extensions_bp.route("/<namespace>")
class ProcurementExtension(MethodView):
    @extensions_bp.arguments(AnyObjectSchema)
    @extensions_bp.response(200, ExtensionDataSchema)
    def put(self, value: dict, procurement_id: uuid.UUID, namespace: str):
        """Replace one plugin's data; validated by its schema (422), `If-Match` → 412."""
        if_match = request.headers.get("If-Match", "").strip().strip('"')
        expected = None
        if if_match:
            if not if_match.isdigit():
                raise PreconditionFailed(_l("If-Match must be the ETag you read."))
            expected = int(if_match)
        extension_data.set_procurement_extension(procurement_id, namespace, value, expected)
        db.session.commit()
        return _extension_body(procurement_id)


def blueprints() -> list[Blueprint]:
    return [plugins_bp, extensions_bp]
