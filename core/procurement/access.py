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

Answering an invitation and leaving are decided for the *tenant*: its admins and officers
(`require_participation`). Adding people to the project group: managers, or the admins and
officers of the person's own participating tenant (`can_manage_people_of`). Whether the
procurement is still active (not completed) is a rule of the services; a *cancelled* one refuses
every action but read here (409), so no write anywhere slips through.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field

from flask import g, has_app_context
from sqlalchemy import Select, and_, bindparam, event, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.attributes import instance_state, set_committed_value

from core import isolation
from core.access import require_user
from core.auth import Principal
from core.db import db
from core.errors import Forbidden, Frozen, NotFound
from core.i18n import _l
from core.procurement.models import (
    ParticipantRole,
    Participation,
    ParticipationStatus,
    Procurement,
    ProcurementStatus,
    ProjectMember,
    ProjectRole,
)
from tenants.models import ROLE_RANK, Tenant, TenantRole

PROJECT_ROLE_ORDER = [ProjectRole.lead, ProjectRole.member, ProjectRole.evaluator, ProjectRole.observer]


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
    all_participations: list[Participation] = field(default_factory=list)  # every tenant, any status

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

    def abilities(self) -> dict[str, bool]:
        """{action: allowed} for every action (templates read `can.write`, `can.manage` …)."""
        return {a.value: self.can(a) for a in Action}

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


def _cache() -> dict | None:
    return g.setdefault("procurement_access_cache", {}) if has_app_context() else None


@event.listens_for(Session, "after_flush")
def _forget_after_writes(session, flush_context) -> None:
    """Any write may change who may do what: decide again after it."""
    if has_app_context():
        g.pop("procurement_access_cache", None)


_PROCUREMENTS, _PARTICIPATIONS, _MEMBERS = Procurement.__table__, Participation.__table__, ProjectMember.__table__
_LEAD, _PARTICIPANT = Tenant.__table__.alias("lead_tenant"), Tenant.__table__.alias("participant_tenant")


def _attribute_keys(model, table) -> tuple[str, ...]:
    """The mapped attribute of each of `table`'s columns, in the table's order."""
    by_column = {column: prop.key for prop in sa_inspect(model).column_attrs for column in prop.columns}
    return tuple(by_column[table.c[column.key]] for column in table.columns)


# Built once, bound per call (`procurement_id`, `user_id`): the statement of `access_for`, as plain
# columns run on the session's connection (none of these tables is tenant-owned: the ORM's tenant
# filter adds nothing to them, and row-level security applies on PostgreSQL as before). The same
# rows the entity statement read: the procurement with its lead tenant, every participation with
# its tenant, and the caller's project role through a tenant of theirs that takes part.
_ACCESS = (
    select(*_PROCUREMENTS.columns, *_LEAD.columns, *_PARTICIPATIONS.columns, *_PARTICIPANT.columns,
           _MEMBERS.c.role.label("project_role"))
    .select_from(_PROCUREMENTS)  # the joins in the entity statement's order
    .join(_PARTICIPATIONS, _PARTICIPATIONS.c.procurement_id == _PROCUREMENTS.c.id)
    .outerjoin(_MEMBERS, and_(
        _MEMBERS.c.procurement_id == _PARTICIPATIONS.c.procurement_id,
        _MEMBERS.c.tenant_id == _PARTICIPATIONS.c.tenant_id,
        _MEMBERS.c.user_id == bindparam("user_id")))
    .join(_LEAD, _LEAD.c.id == _PROCUREMENTS.c.lead_tenant_id)
    .join(_PARTICIPANT, _PARTICIPANT.c.id == _PARTICIPATIONS.c.tenant_id)
    .where(_PROCUREMENTS.c.id == bindparam("procurement_id"))
    .order_by(_PARTICIPATIONS.c.created_at, _PARTICIPATIONS.c.id)
)
# Where each entity's columns sit in a row, and their attributes.
_PROCUREMENT_KEYS = _attribute_keys(Procurement, _PROCUREMENTS)
_TENANT_KEYS = _attribute_keys(Tenant, Tenant.__table__)
_PARTICIPATION_KEYS = _attribute_keys(Participation, _PARTICIPATIONS)
_AT_LEAD = len(_PROCUREMENT_KEYS)
_AT_PARTICIPATION = _AT_LEAD + len(_TENANT_KEYS)
_AT_PARTICIPANT = _AT_PARTICIPATION + len(_PARTICIPATION_KEYS)
_AT_ROLE = _AT_PARTICIPANT + len(_TENANT_KEYS)


def _as_loaded(session, model, keys: tuple[str, ...], values, **related):
    """The session's `model` instance for these column values, as the ORM's loading gives it: the
    instance already in the session if there is one (its loaded attributes kept, the unloaded ones
    set from the row), else a new one added as persistent and unchanged (no statement, nothing to
    flush). `related`: many-to-one relationships, set the same way after it joined the session
    (they are in it already: nothing to cascade)."""
    found = session.identity_map.get(model.__mapper__.identity_key_from_primary_key((values[keys.index("id")],)))
    if found is not None:
        loaded = instance_state(found).dict
        for key, value in (*zip(keys, values, strict=True), *related.items()):
            if key not in loaded:
                set_committed_value(found, key, value)
        return found
    instance = model.__mapper__.class_manager.new_instance()
    state = instance_state(instance)
    state.dict.update(zip(keys, values, strict=True))  # what the ORM's loading writes: no events, no history
    make_transient_to_detached(instance)
    session.add(instance)
    state.dict.update(related)
    return instance


def access_for(procurement_id: uuid.UUID, principal: Principal | None = None) -> ProcurementAccess:
    """The caller's access to a procurement; 404 when they may not see it at all.

    One query: the procurement (with its lead tenant) joined with every participation (with its
    tenant) and the caller's project-group row (a person's project role counts only through a
    tenant of theirs that still takes part); a caller without tenants reads the procurement
    alone. Remembered for the rest of the request until the next write. The rows are plain
    columns; the procurement and participations become the session's entities as the ORM would
    load them (`_as_loaded`), without its execution path.
    """
    principal = require_user(principal)
    tenant_ids = caller_tenant_ids(principal)
    cache, key = _cache(), (procurement_id, principal.user.id, tenant_ids)
    if cache is not None and key in cache:
        return cache[key]
    procurement, everyone, mine = None, [], []
    if tenant_ids:
        session = db.session()
        if session.autoflush:  # as `Session.execute` would: pending writes count (the cache was dropped)
            session.flush()
        rows = session.connection().execute(
            _ACCESS, {"procurement_id": procurement_id, "user_id": principal.user.id}).all()
        # no participation visible: no tenant of the caller's takes part, so 404 like no procurement
        if rows:
            first = rows[0]
            lead = _as_loaded(session, Tenant, _TENANT_KEYS, first[_AT_LEAD:_AT_PARTICIPATION])
            procurement = _as_loaded(session, Procurement, _PROCUREMENT_KEYS, first[:_AT_LEAD], lead_tenant=lead)
            for row in rows:
                tenant = _as_loaded(session, Tenant, _TENANT_KEYS, row[_AT_PARTICIPANT:_AT_ROLE])
                participation = _as_loaded(session, Participation, _PARTICIPATION_KEYS,
                                           row[_AT_PARTICIPATION:_AT_PARTICIPANT], tenant=tenant)
                everyone.append(participation)
                if participation.tenant_id in tenant_ids and participation.status == ParticipationStatus.active:
                    mine.append((participation, row[_AT_ROLE]))
    else:
        procurement = db.session.get(Procurement, procurement_id)
    if procurement is None:
        raise NotFound(_l("No such procurement."))
    participations = {p.tenant_id: p.role for p, _role in mine}
    project_roles = [role for _p, role in mine if role is not None]
    project_role = min(project_roles, key=PROJECT_ROLE_ORDER.index) if project_roles else None
    access = ProcurementAccess(procurement, principal, participations, project_role, all_participations=everyone)
    if not access.can(Action.read):
        raise NotFound(_l("No such procurement."))
    if cache is not None:
        cache[key] = access
    return access


def require(procurement_id: uuid.UUID, action: Action = Action.read,
            principal: Principal | None = None) -> ProcurementAccess:
    """Access for `action`, else 404 (cannot see) or 403 (sees, but may not do this)."""
    access = access_for(procurement_id, principal)
    if not access.can(action):
        raise Forbidden(_l("Your role in this procurement does not allow this."))
    if action != Action.read and access.procurement.status == ProcurementStatus.cancelled:
        raise Frozen(_l("The procurement is cancelled and can no longer be changed."))
    return access


def require_tenant_officer(tenant_id: uuid.UUID, principal: Principal | None = None) -> Principal:
    """An admin or officer of `tenant_id` acting in this request's scope; others get 404."""
    principal = require_user(principal)
    if tenant_id not in caller_tenant_ids(principal) or not principal.has_role(tenant_id, TenantRole.officer):
        raise NotFound(_l("No such invitation."))
    return principal


def require_participation(procurement_id: uuid.UUID, tenant_id: uuid.UUID,
                          statuses: set[ParticipationStatus]) -> Participation:
    """The tenant's participation in one of `statuses`, for its own admin/officer (else 404).

    Used where the tenant cannot (yet) see the procurement itself: answering an invitation.
    """
    require_tenant_officer(tenant_id)
    participation = db.session.execute(
        select(Participation).where(Participation.procurement_id == procurement_id,
                                    Participation.tenant_id == tenant_id)
    ).scalar_one_or_none()
    if participation is None or participation.status not in statuses:
        raise NotFound(_l("No such invitation."))
    return participation


def can_manage_people_of(access: ProcurementAccess, tenant_id: uuid.UUID) -> bool:
    """Who may add or remove a tenant's people in the project group: managers, and that
    tenant's own admins/officers while it takes part."""
    if access.can(Action.manage):
        return True
    role = access.principal.role_in(tenant_id)
    return (tenant_id in access.participations and role is not None
            and ROLE_RANK[role] >= ROLE_RANK[TenantRole.officer])
