"""Access decisions in one place. Services call these; views never decide on their own.

Objects a caller may not see raise `NotFound` (404), so IDs reveal nothing; `Forbidden` is
used only where the caller already sees the object but lacks the role to change it.
"""

from __future__ import annotations

import uuid

from core.auth import Principal, current_principal
from core.errors import Forbidden, NotFound, Unauthorized
from core.i18n import _l
from core.identity.memberships import TenantRole


def require_user(principal: Principal | None = None) -> Principal:
    principal = principal or current_principal()
    if not principal.is_authenticated:
        raise Unauthorized(_l("You need to sign in."))
    return principal


def require_tenant_member(tenant_id: uuid.UUID, principal: Principal | None = None) -> Principal:
    """A member of the tenant (any role); everyone else gets 404."""
    principal = require_user(principal)
    if principal.role_in(tenant_id) is None:
        raise NotFound(_l("No such tenant."))
    return principal


def require_tenant_role(
    tenant_id: uuid.UUID, minimum: TenantRole, principal: Principal | None = None
) -> Principal:
    """A member with at least `minimum`; non-members get 404, lower roles 403."""
    principal = require_tenant_member(tenant_id, principal)
    if not principal.has_role(tenant_id, minimum):
        raise Forbidden(_l("Your role in this municipality does not allow this."))
    return principal
