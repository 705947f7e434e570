"""API: the caller (`GET /api/v1/me`), their personal tokens, and the tenant directory.

`POST /api/v1/me/tokens` issues a token (the secret is in the answer once, never again) and
`DELETE /api/v1/me/tokens/{token_id}` revokes one. Request bodies are validated strictly:
unknown fields are refused (422), not ignored.
"""

from __future__ import annotations

import uuid

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields, validate

from core.access import require_user
from core.auth import current_principal
from core.db import db
from core.identity import service as identity
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


class TokenCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    expires_in_days = fields.Integer(load_default=None, validate=validate.Range(min=1, max=366))


class TokenSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    prefix = fields.String(metadata={"description": "The first characters of the secret"})
    created_at = fields.DateTime()
    expires_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)


class IssuedTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "The secret, shown only in this answer"})


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


@me_bp.route("/tokens")
class MyTokens(MethodView):
    @me_bp.arguments(TokenCreateSchema)
    @me_bp.response(201, IssuedTokenSchema)
    def post(self, data):
        """Issue a personal API token; its secret is returned once."""
        principal = require_user()
        issued = identity.create_token(principal.user, data["name"], data["expires_in_days"])
        db.session.commit()
        token = issued.token
        return {"id": token.id, "name": token.name, "prefix": token.prefix, "created_at": token.created_at,
                "expires_at": token.expires_at, "revoked_at": None, "token": issued.secret}


@me_bp.route("/tokens/<uuid:token_id>")
class MyToken(MethodView):
    @me_bp.response(204)
    def delete(self, token_id: uuid.UUID):
        """Revoke one of the caller's tokens (404 for anyone else's)."""
        principal = require_user()
        identity.revoke_token(principal.user, token_id)
        db.session.commit()


@tenants_bp.route("")
class TenantDirectory(MethodView):
    @tenants_bp.response(200, TenantSchema(many=True))
    def get(self):
        """Every active tenant (slug and name), for inviting partners to a procurement."""
        require_user(current_principal())
        return tenants.list_tenants()


def blueprints():
    return [me_bp, tenants_bp]
