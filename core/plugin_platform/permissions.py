"""Actions that plugins define (`samspill_permissions`) and the decision about them.

A plugin's action is allowed when the caller is a member of the tenant, the plugin is
enabled there, and either a plugin answers `samspill_permission_allowed` with True/False
(the first answer in hook order wins) or, when none answers, the caller's tenant role is at
least the action's `default_role`.
"""

from __future__ import annotations

from typing import Any

from core.access import require_tenant_member
from core.auth import Principal, current_principal
from core.errors import Forbidden
from core.i18n import _l
from core.plugin_platform.host import PluginHost, call_for_tenant, current_host, enabled_for_tenant
from tenants.models import TenantRole


def declared(host: PluginHost | None = None) -> dict[str, dict[str, Any]]:
    """Action name -> {name, description, default_role, plugin} (remembered per app)."""
    host = host or current_host()
    cached = getattr(host, "permissions", None)
    if cached is not None:
        return cached
    result: dict[str, dict[str, Any]] = {}
    for plugin, items in host.call_each("samspill_permissions").items():
        for item in items if isinstance(items, list | tuple) else [items]:
            try:
                role = TenantRole(item.get("default_role", "admin"))
                name = str(item["name"])
            except (AttributeError, KeyError, ValueError):
                host.report(plugin, "content", f"Invalid permission {item!r}.",
                            hook="samspill_permissions")
                continue
            result[name] = {"name": name, "description": item.get("description", ""),
                            "default_role": role, "plugin": plugin}
    host.permissions = result
    return result


def allowed(action: str, tenant: Any, principal: Principal | None = None) -> bool:
    """Whether `principal` (default: the caller) may do the plugin action in `tenant`."""
    principal = principal or current_principal()
    if principal.role_in(tenant.id) is None:
        return False
    permission = declared().get(action)
    if permission is None or permission["plugin"] not in enabled_for_tenant(tenant.id):
        return False
    decision = call_for_tenant("samspill_permission_allowed", tenant.id,
                               principal=principal, tenant=tenant, action=action)
    if decision is not None:
        return bool(decision)
    return principal.has_role(tenant.id, permission["default_role"])


def require(action: str, tenant: Any, principal: Principal | None = None) -> Principal:
    """404 for non-members, 403 when the action is not allowed."""
    principal = require_tenant_member(tenant.id, principal)
    if not allowed(action, tenant, principal):
        raise Forbidden(_l("Your role in this municipality does not allow this."))
    return principal
