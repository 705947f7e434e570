"""The benchmark person and the rows the endpoints are measured on, chosen from the data.

The busiest municipality (most procurements it actively takes part in) is the worst case for
its lists; its first officer becomes the benchmark person, gets a fresh random password and an
API token (both audited like any other), and the procurements, questionnaire and deep list page
are picked from what that officer may see. The new password does not end the person's other
sessions (`give_password`): two runs on one database, a `bench cpu` beside a `bench run`, each
sign in with their own password and keep their own session.
"""

from __future__ import annotations

import secrets

from flask import Flask, g
from sqlalchemy import case, func, inspect, select

from bench.client import next_cursor, request
from bench.endpoints import Targets
from core import audit
from core.db import db
from core.dialogue.models import Questionnaire, QuestionnaireResponse
from core.identity import service as identity
from core.identity.models import User
from core.procurement.access import visible_procurement_ids
from core.procurement.models import Participation, ParticipationStatus, Phase, Procurement, ProcurementStatus
from tenants.models import Membership, Tenant, TenantRole

MAX_DEEP_PAGES = 60
# Needs are still added in these phases; the procurement page is measured on the newest of them.
EARLY_PHASES = (Phase.needs, Phase.dialogue)
# Past the dialogue: the page's gate counts read the competition, award and contract rows.
LATER_PHASES = (Phase.competition, Phase.evaluation, Phase.contract)


def _busiest_tenant() -> Tenant:
    row = db.session.execute(
        select(Participation.tenant_id, func.count().label("n"))
        .where(Participation.status == ParticipationStatus.active)
        .group_by(Participation.tenant_id).order_by(func.count().desc(), Participation.tenant_id)
        .limit(1)
    ).first()
    if row is None:
        raise RuntimeError("the benchmark database has no procurements; run `samspill bench-data`")
    return db.session.get(Tenant, row.tenant_id)


def _officer(tenant: Tenant) -> User:
    """The officer who started most of the tenant's procurements (its project leads)."""
    creator = db.session.execute(
        select(Procurement.created_by_id).where(Procurement.lead_tenant_id == tenant.id,
                                                Procurement.created_by_id.is_not(None))
        .group_by(Procurement.created_by_id).order_by(func.count().desc()).limit(1)
    ).scalar()
    if creator is not None:
        return db.session.get(User, creator)
    return db.session.execute(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.tenant_id == tenant.id, Membership.role == TenantRole.officer)
        .order_by(User.email).limit(1).execution_options(include_all_tenants=True)
    ).scalar_one()


RUSH_QUESTIONNAIRE_TITLE = "Siste frist"
"""The title of the questionnaire `samspill bench rush` adds (`bench.rush.prepare`)."""


def _questionnaire(tenant: Tenant) -> tuple | None:
    """The tenant's questionnaire with most responses, when the dialogue's tables exist.

    The generated data's, never a deadline rush's: each rush adds a questionnaire with 150
    responses to the database, which would otherwise be the busiest from then on, and the
    response overview would measure a different page after a rush than before it. Ties go to the
    lowest id, so every run on the same data measures the same page."""
    if not inspect(db.engine).has_table(QuestionnaireResponse.__tablename__):
        return None
    row = db.session.execute(
        select(Questionnaire.procurement_id, Questionnaire.id)
        .join(Procurement, Procurement.id == Questionnaire.procurement_id)
        .join(QuestionnaireResponse, QuestionnaireResponse.questionnaire_id == Questionnaire.id)
        .where(Procurement.lead_tenant_id == tenant.id, Questionnaire.title != RUSH_QUESTIONNAIRE_TITLE)
        .group_by(Questionnaire.procurement_id, Questionnaire.id)
        .order_by(func.count().desc(), Questionnaire.id).limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def _later_procurements(tenant: Tenant) -> list:
    """The tenant's active led procurements past the dialogue: the furthest phase first, then
    those *not* started from a template, newest.

    Not from a template, unlike the early page: a template-started procurement's page reads its
    lineage (one statement more), and in the furthest phase the data has such a procurement at
    some scales and not at others (none at scale 1, one at 1.001), so the page measured flipped
    between 6 and 7 statements with the scale. Procurements started from scratch are in that
    phase at every scale; the lineage is measured by `procurement_page` (decision in
    docs/decisions.md, speed round 6)."""
    furthest = case({phase: -i for i, phase in enumerate(LATER_PHASES)}, value=Procurement.phase)
    return list(db.session.execute(
        select(Procurement.id).where(Procurement.lead_tenant_id == tenant.id,
                                     Procurement.status == ProcurementStatus.active,
                                     Procurement.phase.in_(LATER_PHASES))
        .order_by(furthest, Procurement.template_version_id.is_not(None), Procurement.created_at.desc(),
                  Procurement.id.desc()).limit(64)).scalars())


def give_password(officer: User, password: str) -> None:
    """A new password for the benchmark person that leaves its other sessions signed in.

    `identity.set_password` ends every other session (the rule for people); a benchmark run
    that did so would sign out another run measuring on the same database at the same time.
    """
    identity.check_password_strength(password)
    officer.password_hash = identity.hash_password(password)
    audit.record("user.password_set", "user", officer.id)


def prepare_targets(app: Flask) -> Targets:
    """Pick the tenant, person and rows; give the person a password and a token."""
    with app.app_context():
        g.audit_actor_label = "bench"
        tenant = _busiest_tenant()
        officer = _officer(tenant)
        password = secrets.token_urlsafe(18)
        give_password(officer, password)
        token = identity.create_token(officer, "benchmark", 30).secret
        newest = [Procurement.created_at.desc(), Procurement.id.desc()]
        visible = select(Procurement.id).where(Procurement.id.in_(visible_procurement_ids({tenant.id})))
        targets = Targets(
            tenant_slug=tenant.slug, tenant_id=tenant.id, email=officer.email, password=password,
            token=token,
            procurement_ids=list(db.session.execute(visible.order_by(*newest).limit(64)).scalars()),
            # Started from a template first: the page then shows its lineage too, at every scale.
            led_procurement_ids=list(db.session.execute(
                select(Procurement.id).where(Procurement.lead_tenant_id == tenant.id,
                                             Procurement.status == ProcurementStatus.active,
                                             Procurement.phase.in_(EARLY_PHASES))
                .order_by(Procurement.template_version_id.is_(None), *newest).limit(64)).scalars()),
            visible_count=db.session.execute(
                select(func.count()).select_from(visible.subquery())).scalar_one(),
            questionnaire=_questionnaire(tenant),
            later_procurement_ids=_later_procurements(tenant),
        )
        db.session.commit()
        return targets


def find_deep_cursor(base_url: str, targets: Targets, page_size: int = 20) -> None:
    """Walk the API list to about 80 % of its pages and keep that page's cursor."""
    pages = max(1, -(-targets.visible_count // page_size))
    wanted = min(MAX_DEEP_PAGES, max(1, int(pages * 0.8)))
    headers = {"Authorization": f"Bearer {targets.token}"}
    path = f"/api/v1/tenants/{targets.tenant_slug}/procurements?limit={page_size}"
    cursor = None
    for page in range(1, wanted + 1):
        reply = request(base_url, "GET", path + (f"&cursor={cursor}" if cursor else ""), headers=headers)
        if reply.status != 200:
            targets.notes["deep_cursor"] = f"the list answered HTTP {reply.status}"
            return
        found = next_cursor(reply)
        if found is None:
            break
        cursor, targets.deep_page = found, page + 1
    targets.deep_cursor = cursor
    if cursor is None:
        targets.notes["deep_cursor"] = "the list has a single page"
