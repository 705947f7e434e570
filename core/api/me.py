"""API: the caller (`GET /api/v1/me`) and the tenant directory (`GET /api/v1/tenants`)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from core.access import require_user
from core.auth import current_principal
from tenants import service as tenants

me_bp = Blueprint("me", __name__, url_prefix="/api/v1/me", description="The caller")
tenants_bp = Blueprint("tenants", __name__, url_prefix="/api/v1/tenants", description="Tenant directory")


class MembershipSchema(Schema):
    tenant = fields.String(attribute="slug")
    tenant_name = fields.String(attribute="name")
    role = fields.Function(lambda m: m.role.value)


class MeSchema(Schema):
    id = fields.UUID()
    email = fields.String()
    name = fields.String()
    memberships = fields.List(fields.Nested(MembershipSchema))
    supplier = fields.Dict(allow_none=True)


class TenantSchema(Schema):
    slug = fields.String()
    name = fields.String()
    org_number = fields.String(allow_none=True)
    municipality_number = fields.String(allow_none=True)


@me_bp.route("")
class Me(MethodView):
    @me_bp.response(200, MeSchema)
    def get(self):
        """The signed-in caller, their tenant memberships and supplier organisation."""
        principal = require_user()
        user = principal.user
        return {
            "id": user.id, "email": user.email, "name": user.name,
            "memberships": list(principal.memberships.values()),
            "supplier": principal.extra.get("supplier"),
        }


@tenants_bp.route("")
class TenantDirectory(MethodView):
    @tenants_bp.response(200, TenantSchema(many=True))
    def get(self):
        """Every active tenant (slug and name), for inviting partners to a procurement."""
        require_user(current_principal())
        return tenants.list_tenants()


def blueprints():
    return [me_bp, tenants_bp]
