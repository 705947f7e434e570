"""Who may do what with a procurement — decided here and nowhere else.

Visibility: a procurement is visible to members of its *active* participant tenants (the lead
tenant included). Everyone else gets 404. Within that:

| action   | allowed for |
| -------- | ----------- |
| read     | any member of an active participant tenant; project-group members |
| write    | project role lead/member; officer/admin of an active lead or buyer tenant |
| manage   | project role lead; officer/admin of the lead tenant (phases, participants, group) |
| evaluate | project role lead or evaluator |

In a tenant page (/t/<slug>/…) only that tenant's membership counts; in the API all of the
caller's tenants count.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass

from sqlalchemy import Select, select

from core import isolation
from core.access import require_user
from core.auth import Principal
from core.db import db
from core.errors import Forbidden, NotFound
from core.procurement.models import (
    ParticipantRole, Participation, ParticipationStatus, Procurement, ProjectMember, ProjectRole,
)
from tenants.models import ROLE_RANK, TenantRole


class Action(enum.StrEnum):
    read = "read"
    write = "write"
    manage = "manage"
    evaluate = "evaluate"


@dataclass
class ProcurementAccess:
    """The caller's standing in one procurement."""

    procurement: Procurement
    principal: Principal
    participations: dict[uuid.UUID, ParticipantRole]  # caller's tenant -> its part
    project_role: ProjectRole | None

    def _tenant_role(self, tenant_id: uuid.UUID) -> TenantRole | None:
        return self.principal.role_in(tenant_id)

    def _officer_in(self, roles: set[ParticipantRole]) -> bool:
        return any(
            part in roles and (r := self._tenant_role(tid)) is not None
            and ROLE_RANK[r] >= ROLE_RANK[TenantRole.officer]
            for tid, part in self.participations.items()
        )

    def can(self, action: Action) -> bool:
        if action == Action.read:
            return bool(self.participations) or self.project_role is not None
        if action == Action.write:
            return self.project_role in (ProjectRole.lead, ProjectRole.member) or self._officer_in(
                {ParticipantRole.lead, ParticipantRole.buyer})
        if action == Action.manage:
            return self.project_role == ProjectRole.lead or self._officer_in({ParticipantRole.lead})
        if action == Action.evaluate:
            return self.project_role in (ProjectRole.lead, ProjectRole.evaluator)
        return False

    @property
    def acting_tenant_id(self) -> uuid.UUID | None:
        """The caller's tenant used to stamp who acted (lead first, then buyer, observer)."""
        order = [ParticipantRole.lead, ParticipantRole.buyer, ParticipantRole.observer]
        for part in order:
            for tid, p in self.participations.items():
                if p == part:
                    return tid
        return None


def caller_tenant_ids(principal: Principal) -> frozenset[uuid.UUID]:
    """The caller's tenants that count in this request (narrowed in tenant pages)."""
    scope = isolation.current_scope()
    ids = principal.tenant_ids
    return ids if scope == isolation.SYSTEM else ids & scope


def visible_procurement_ids(tenant_ids) -> Select:
    """Subquery: ids of procurements in which any of `tenant_ids` actively takes part."""
    return select(Participation.procurement_id).where(
        Participation.tenant_id.in_(list(tenant_ids)),
        Participation.status == ParticipationStatus.active,
    )


def access_for(procurement_id: uuid.UUID, principal: Principal | None = None) -> ProcurementAccess:
    """The caller's access to a procurement; 404 when they may not see it at all."""
    principal = require_user(principal)
    procurement = db.session.get(Procurement, procurement_id)
    if procurement is None:
        raise NotFound("No such procurement.")
    tenant_ids = caller_tenant_ids(principal)
    rows = db.session.execute(
        select(Participation.tenant_id, Participation.role).where(
            Participation.procurement_id == procurement.id,
            Participation.tenant_id.in_(list(tenant_ids)),
            Participation.status == ParticipationStatus.active,
        )
    ).all() if tenant_ids else []
    member = db.session.execute(
        select(ProjectMember.role, ProjectMember.tenant_id).where(
            ProjectMember.procurement_id == procurement.id, ProjectMember.user_id == principal.user.id)
    ).first()
    participations = {r.tenant_id: r.role for r in rows}
    project_role = None
    if member is not None and member.tenant_id in participations:
        project_role = member.role  # a person whose tenant left loses access with it
    access = ProcurementAccess(procurement, principal, participations, project_role)
    if not access.can(Action.read):
        raise NotFound("No such procurement.")
    return access


def require(procurement_id: uuid.UUID, action: Action = Action.read,
            principal: Principal | None = None) -> ProcurementAccess:
    """Access for `action`, else 404 (cannot see) or 403 (sees, but may not do this)."""
    access = access_for(procurement_id, principal)
    if not access.can(action):
        raise Forbidden("Your role in this procurement does not allow this.")
    return access
