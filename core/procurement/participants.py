"""Joint procurements and the project group.

The lead invites another tenant as buyer or observer; that tenant's admin or officer accepts
or declines. People of active participant tenants can then join the project group (people of
an observer tenant only as observers; a project lead must come from the lead tenant). A
participant can leave (its people leave the group with it); the lead can hand the lead to an
active buyer.
"""

from __future__ import annotations

import uuid

from sqlalchemy import bindparam, func, select

from core import audit, isolation
from core.db import db, utcnow
from core.errors import Conflict, Forbidden, NotFound, ValidationError
from core.i18n import _l
from core.identity.models import User
from core.identity.service import normalise_email
from core.pagination import Page, after_bound, after_params, page_of
from core.plugin_platform.host import current_host
from core.procurement.access import (
    Action,
    can_manage_people_of,
    require,
    require_participation,
    require_tenant_officer,
)
from core.procurement.models import (
    ParticipantRole,
    Participation,
    ParticipationStatus,
    Procurement,
    ProjectMember,
    ProjectRole,
)
from core.procurement.service import ensure_active
from tenants.models import Membership, Tenant


def list_participants(procurement_id: uuid.UUID) -> list[Participation]:
    """Every tenant invited to or taking part in the procurement (tenant joined in)."""
    return list(require(procurement_id).all_participations)


def is_joint(procurement_id: uuid.UUID) -> bool:
    """Whether more than one municipality buys: the lead and at least one active buyer.
    Read in system scope with an explicit filter, because suppliers reading the invitation of
    an open dialogue may not read participations (who buys is a public fact of the notice)."""
    with isolation.system_scope():
        return db.session.execute(select(Participation.id).where(
            Participation.procurement_id == procurement_id, Participation.role == ParticipantRole.buyer,
            Participation.status == ParticipationStatus.active).limit(1)).first() is not None


def list_project_group(procurement_id: uuid.UUID) -> list[tuple[ProjectMember, Tenant]]:
    require(procurement_id)
    return [(m, t) for m, t in db.session.execute(
        select(ProjectMember, Tenant).join(Tenant, Tenant.id == ProjectMember.tenant_id)
        .where(ProjectMember.procurement_id == procurement_id)
        .order_by(ProjectMember.created_at, ProjectMember.id)).all()]


def _tenant_by_slug(slug: str) -> Tenant:
    tenant = db.session.execute(select(Tenant).where(Tenant.slug == (slug or "").strip(),
                                                     Tenant.is_active.is_(True))).scalar_one_or_none()
    if tenant is None:
        raise ValidationError(_l("No such municipality."), errors={"tenant": [_l("No such municipality.")]})
    return tenant


def invite(procurement_id: uuid.UUID, tenant_slug: str, role: str) -> Participation:
    access = require(procurement_id, Action.manage)
    ensure_active(access.procurement)
    try:
        part = ParticipantRole(role)
    except ValueError:
        part = None
    if part not in (ParticipantRole.buyer, ParticipantRole.observer):
        raise ValidationError(_l("Invite as buyer or observer."), errors={"role": [_l("Choose buyer or observer.")]})
    tenant = _tenant_by_slug(tenant_slug)
    participation = db.session.execute(select(Participation).where(
        Participation.procurement_id == procurement_id, Participation.tenant_id == tenant.id)).scalar_one_or_none()
    if participation is not None and participation.status in (ParticipationStatus.active, ParticipationStatus.invited):
        raise Conflict(_l("This municipality is already invited or taking part."),
                       errors={"tenant": [_l("Already invited.")]})
    if participation is None:
        participation = Participation(procurement_id=procurement_id, tenant_id=tenant.id,
                                      procurement_created_at=access.procurement.created_at)
        db.session.add(participation)
    participation.role, participation.status = part, ParticipationStatus.invited
    participation.invited_by_id, participation.responded_at = access.principal.user.id, None
    db.session.flush()
    audit.record("participant.invited", "participation", participation.id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id, changes={"after": {"tenant": tenant.slug, "role": part.value}})
    return participation


def _invited(tenant_id: uuid.UUID):
    return (Participation.tenant_id == tenant_id, Participation.status == ParticipationStatus.invited)


_participations, _procurements, _tenants = Participation.__table__, Procurement.__table__, Tenant.__table__
_INVITED = (_participations.c.tenant_id == bindparam("tenant_id"),
            _participations.c.status == ParticipationStatus.invited)
_INVITATION_ORDER = (_participations.c.created_at, _participations.c.id)


def _invitations_statement(after: bool):
    """The invitations as plain columns with how many wait in all, bound per call. The page of
    invitations is taken first and only its rows are joined with their procurements and leads:
    joined before the LIMIT, every invitation of the tenant was (51 for the busiest municipality
    at scale 10, 361 buffers against 46 at scale 1; decisions, plans round 5). The inner joins
    cannot drop a row of the page: the statement runs in system scope, and each participation's
    procurement and each procurement's lead exist (foreign keys).

    The first page counts the invitations in the same walk that finds the page (`count(*) OVER
    ()` is taken over every row the WHERE keeps, before the LIMIT): each invitation passes the
    participations' row-level security policy once, not once for the page and again for a
    separate count (speed round 6). A later page's count is of all invitations, not only those
    after the cursor, so it stays a subquery the database runs once."""
    if after:
        total = select(func.count()).select_from(_participations).where(*_INVITED).scalar_subquery()
    else:
        total = func.count().over()
    page = (select(_participations.c.procurement_id, _participations.c.role, _participations.c.created_at,
                   _participations.c.id, total.label("total"))
            .where(*_INVITED, *((after_bound(_INVITATION_ORDER, descending=False),) if after else ()))
            .order_by(*_INVITATION_ORDER)
            .limit(bindparam("limit"))
            .subquery("invitations"))
    return (select(page.c.procurement_id, page.c.role, _procurements.c.title, _tenants.c.name.label("lead"),
                   page.c.created_at, page.c.id, page.c.total)
            .select_from(page
                         .join(_procurements, _procurements.c.id == page.c.procurement_id)
                         .join(_tenants, _tenants.c.id == _procurements.c.lead_tenant_id))
            .order_by(page.c.created_at, page.c.id))


# Built once.
_INVITATIONS, _INVITATIONS_AFTER = _invitations_statement(False), _invitations_statement(True)


def pending_invitations(tenant_id: uuid.UUID, *, limit: int = 100, cursor: str | None = None) -> Page:
    """Invitations waiting for the tenant, oldest first, one keyset page of plain rows
    (`procurement_id`, `role`, `title`, `lead` — the lead's name); `extra["total"]` says how
    many wait in all. For the tenant's admins and officers, who answer them.

    The tenant cannot see an invited procurement yet, so the title is read in system scope,
    for the invitations addressed to this tenant only."""
    require_tenant_officer(tenant_id)
    params = after_params(cursor, _INVITATION_ORDER) if cursor else {}
    params.update(tenant_id=tenant_id, limit=limit + 1)
    with isolation.system_scope():
        rows = db.session.connection().execute(_INVITATIONS_AFTER if cursor else _INVITATIONS, params).all()
    page = page_of(rows, limit, key=lambda row: [row.created_at, row.id])
    page.extra["total"] = rows[0].total if rows else 0
    return page


def pending_invitation(procurement_id: uuid.UUID, tenant_id: uuid.UUID) -> tuple[Participation, str, str]:
    """One invitation waiting for the tenant: (participation, procurement title, lead's name);
    404 when there is none. Read like `pending_invitations` (the tenant cannot see the
    procurement yet), for this tenant's invitation only."""
    require_tenant_officer(tenant_id)
    with isolation.system_scope():
        row = db.session.execute(
            select(Participation, Procurement.title, Tenant.name)
            .join(Procurement, Procurement.id == Participation.procurement_id)
            .join(Tenant, Tenant.id == Procurement.lead_tenant_id)
            .where(Participation.procurement_id == procurement_id, *_invited(tenant_id))).first()
    if row is None:
        raise NotFound(_l("No such invitation."))
    return row[0], row[1], row[2]


def respond(procurement_id: uuid.UUID, tenant: Tenant, accept: bool, terms: dict | None = None) -> Participation:
    """The invited tenant's admin or officer accepts or declines. A buyer accepts on `terms` that
    the packages above check and record in this transaction (the hook `samspill_buyer_acceptance`:
    the award package's mandate); a refused term refuses the acceptance, nothing is written."""
    participation = require_participation(procurement_id, tenant.id, {ParticipationStatus.invited})
    acceptors = []
    if accept and participation.role == ParticipantRole.buyer:
        acceptors = [fn for found in current_host().call("samspill_buyer_acceptance") or [] for fn in found or []]
    participation.status = ParticipationStatus.active if accept else ParticipationStatus.declined
    participation.responded_at = utcnow()
    db.session.flush()
    audit.record("participant.accepted" if accept else "participant.declined", "participation", participation.id,
                 tenant_id=tenant.id, procurement_id=procurement_id,
                 changes={"after": {"tenant": tenant.slug, "status": participation.status.value}})
    for acceptor in acceptors:  # outside the hook guard, so its 422 reaches the caller
        acceptor(participation, terms if isinstance(terms, dict) else {})
    return participation


def leave(procurement_id: uuid.UUID, tenant: Tenant) -> Participation:
    """A participant tenant leaves; its people leave the project group and lose access."""
    participation = require_participation(procurement_id, tenant.id, {ParticipationStatus.active})
    if participation.role == ParticipantRole.lead:
        raise Conflict(_l("The lead cannot leave; hand the lead to a buyer first."))
    removed = db.session.execute(select(ProjectMember).where(
        ProjectMember.procurement_id == procurement_id, ProjectMember.tenant_id == tenant.id)).scalars().all()
    for member in removed:
        db.session.delete(member)
    db.session.flush()  # while still a participant: afterwards row-level security hides these rows
    participation.status = ParticipationStatus.left
    participation.responded_at = utcnow()
    db.session.flush()
    audit.record("participant.left", "participation", participation.id, tenant_id=tenant.id,
                 procurement_id=procurement_id,
                 changes={"after": {"tenant": tenant.slug, "status": "left", "project_members_removed": len(removed)}})
    return participation


def hand_over_lead(procurement_id: uuid.UUID, tenant_slug: str) -> Procurement:
    """Make an active buyer the lead; the old lead becomes a buyer and its project leads members."""
    access = require(procurement_id, Action.manage)
    procurement = access.procurement
    ensure_active(procurement)
    target = _tenant_by_slug(tenant_slug)
    rows = {p.tenant_id: p for p in db.session.execute(select(Participation).where(
        Participation.procurement_id == procurement_id,
        Participation.tenant_id.in_([target.id, procurement.lead_tenant_id]))).scalars()}
    new_lead = rows.get(target.id)
    if new_lead is None or new_lead.status != ParticipationStatus.active or new_lead.role != ParticipantRole.buyer:
        raise ValidationError(_l("Only an active buyer can take over the lead."),
                              errors={"tenant": [_l("Choose an active buyer.")]})
    old_lead_id = procurement.lead_tenant_id
    rows[old_lead_id].role = ParticipantRole.buyer
    new_lead.role = ParticipantRole.lead
    procurement.lead_tenant_id = target.id
    for member in db.session.execute(select(ProjectMember).where(
            ProjectMember.procurement_id == procurement_id, ProjectMember.tenant_id == old_lead_id,
            ProjectMember.role == ProjectRole.lead)).scalars():
        member.role = ProjectRole.member
    db.session.flush()
    audit.record("procurement.lead_handed_over", "procurement", procurement.id, tenant_id=old_lead_id,
                 procurement_id=procurement.id,
                 changes={"before": {"lead_tenant_id": old_lead_id}, "after": {"lead_tenant_id": target.id}})
    return procurement


def _person_in_participant_tenant(procurement_id: uuid.UUID, email: str) -> tuple[User, Participation]:
    """The person and the active participant tenant they belong to (lead first, then buyer).

    Memberships of other tenants are not visible in this request's scope; the lookup is made
    in system scope and answers only whether the person belongs to a participating tenant."""
    email = normalise_email(email or "")
    with isolation.system_scope():
        rows = db.session.execute(
            select(User, Participation)
            .join(Membership, Membership.user_id == User.id)
            .join(Participation, Participation.tenant_id == Membership.tenant_id)
            .where(User.email == email, User.is_active.is_(True), Participation.procurement_id == procurement_id,
                   Participation.status == ParticipationStatus.active)
            .execution_options(include_all_tenants=True)
        ).all()
    if not rows:
        raise ValidationError(_l("The person is not a member of a municipality taking part."),
                              errors={"email": [_l("Not a member of a participating municipality.")]})
    order = [ParticipantRole.lead, ParticipantRole.buyer, ParticipantRole.observer]
    user, participation = min(rows, key=lambda r: order.index(r[1].role))
    return user, participation


def add_member(procurement_id: uuid.UUID, email: str, role: str) -> ProjectMember:
    access = require(procurement_id)
    ensure_active(access.procurement)
    try:
        project_role = ProjectRole(role)
    except ValueError:
        raise ValidationError(_l("Choose a role."),
                              errors={"role": [_l("Choose lead, member, evaluator or observer.")]}) from None
    user, participation = _person_in_participant_tenant(procurement_id, email)
    if not can_manage_people_of(access, participation.tenant_id):
        raise Forbidden(_l("Only the lead or the person's own municipality can add them."))
    if participation.role == ParticipantRole.observer and project_role != ProjectRole.observer:
        raise ValidationError(_l("People from an observing municipality can only observe."),
                              errors={"role": [_l("Observer only.")]})
    if project_role == ProjectRole.lead and participation.role != ParticipantRole.lead:
        raise ValidationError(_l("Project leads come from the lead municipality."),
                              errors={"role": [_l("Not allowed.")]})
    member = db.session.execute(select(ProjectMember).where(
        ProjectMember.procurement_id == procurement_id, ProjectMember.user_id == user.id)).scalar_one_or_none()
    before = {"role": member.role.value} if member else {}
    if member is None:
        member = ProjectMember(procurement_id=procurement_id, user_id=user.id, tenant_id=participation.tenant_id,
                               role=project_role)
        db.session.add(member)
    member.role, member.tenant_id = project_role, participation.tenant_id
    db.session.flush()
    audit.record("project_member.added", "project_member", member.id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id,
                 changes={"before": before, "after": {"email": user.email, "role": project_role.value}})
    return member


def remove_member(procurement_id: uuid.UUID, user_id: uuid.UUID) -> None:
    access = require(procurement_id)
    ensure_active(access.procurement)
    member = db.session.execute(select(ProjectMember).where(
        ProjectMember.procurement_id == procurement_id, ProjectMember.user_id == user_id)).scalar_one_or_none()
    if member is None:
        raise NotFound(_l("No such member of the project group."))
    if not can_manage_people_of(access, member.tenant_id) and member.user_id != access.principal.user.id:
        raise Forbidden(_l("Only the lead or the person's own municipality can remove them."))
    db.session.delete(member)
    db.session.flush()
    audit.record("project_member.removed", "project_member", member.id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id, changes={"before": {"user_id": user_id, "role": member.role.value}})
