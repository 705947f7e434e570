"""Tenant resolution for pages under /t/<slug>/.

`tenant_blueprint()` makes a blueprint whose every view runs inside the tenant named in the
URL: the tenant is loaded once, the person must be a member (else 404; anonymous people are
sent to sign in), and the request's tenant scope is narrowed to that one tenant.
"""

from __future__ import annotations

from flask import Blueprint, g, redirect, request, url_for

from core import isolation
from core.auth import current_principal
from core.errors import NotFound
from core.i18n import _l
from tenants.models import Tenant
from tenants.service import member_tenant

PUBLIC_ENDPOINT_SUFFIXES = (".oidc_login", ".oidc_callback")


def enter_tenant(slug: str) -> Tenant | None:
    """Resolve the URL's tenant for the current principal; returns None to redirect."""
    principal = current_principal()
    if not principal.is_authenticated:
        return None
    tenant = member_tenant(slug)  # loaded with the memberships: no query
    if tenant is None or not tenant.is_active:
        raise NotFound(_l("No such tenant."))
    g.tenant = tenant
    isolation.set_scope({tenant.id}, stamp_tenant_id=tenant.id)
    return tenant


def current_tenant() -> Tenant:
    return g.tenant


def tenant_blueprint(name: str, import_name: str, url_prefix: str = "", **kwargs) -> Blueprint:
    """A blueprint mounted under /t/<slug><url_prefix> with tenant resolution built in."""
    bp = Blueprint(name, import_name, url_prefix="/t/<slug>" + url_prefix, **kwargs)

    @bp.url_value_preprocessor
    def _pull_slug(endpoint, values):
        g.tenant_slug = values.pop("slug", None) if values else None

    @bp.url_defaults
    def _add_slug(endpoint, values):
        if "slug" not in values and g.get("tenant_slug"):
            values["slug"] = g.tenant_slug

    @bp.before_request
    def _resolve():
        if (request.endpoint or "").endswith(PUBLIC_ENDPOINT_SUFFIXES):
            return None
        if enter_tenant(g.tenant_slug) is None:
            return redirect(url_for("identity.sign_in", next=request.full_path.rstrip("?")))
        return None

    @bp.context_processor
    def _inject_tenant():
        return {"tenant": g.get("tenant")}

    return bp
