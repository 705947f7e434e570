"""Entity kinds: tenants (every municipality) and people (users with memberships)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bench.data.context import GenerationContext, TenantRow
from bench.data.municipalities import municipalities, weighted_counts
from core.errors import Conflict
from core.identity.models import User
from tenants.models import Membership, Tenant

FIRST_NAMES = (
    "Anne", "Inger", "Kari", "Marit", "Ingrid", "Liv", "Eva", "Berit", "Astrid", "Bjørg", "Hilde",
    "Nora", "Emma", "Sofie", "Ida", "Jan", "Per", "Bjørn", "Ole", "Lars", "Kjell", "Knut", "Arne",
    "Svein", "Hans", "Geir", "Jonas", "Emil", "Magnus", "Sander", "Aisha", "Mohammed", "Ali",
)
LAST_NAMES = (
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Johannessen",
    "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Halvorsen", "Henriksen", "Lund", "Sørensen",
)


def _ascii(text: str) -> str:
    return text.lower().translate(str.maketrans({"æ": "ae", "ø": "o", "å": "aa"}))


def tenants(ctx: GenerationContext) -> int:
    """Every municipality as a tenant, with its `tenant.created` audit entry."""
    session = ctx.writer.session
    existing = session.execute(select(func.count()).select_from(Tenant)).scalar_one()
    if existing:
        raise Conflict(f"bench-data needs a database without tenants (found {existing}); "
                       "point SAMSPILL_DATABASE_URL at a fresh database.")
    table = Tenant.__table__
    founded = ctx.now - timedelta(days=4 * 365)
    chosen = municipalities(ctx.rng)[: ctx.volumes.tenants]
    ctx.notes["org_numbers"] = {m.org_number for m in chosen}
    for muni in chosen:
        row = TenantRow(id=ctx.uuid(), slug=muni.slug, name=muni.name, weight=muni.weight)
        at = ctx.moment_after(founded, 30)
        fields = {"slug": muni.slug, "name": muni.name, "org_number": muni.org_number,
                  "municipality_number": muni.municipality_number}
        ctx.writer.add(table, {"id": row.id, **fields, "is_active": True,
                               "created_at": at, "updated_at": at})
        ctx.audit.record("tenant.created", "tenant", row.id, at=at, actor=(None, "operator"),
                         tenant_id=row.id, changes={"after": fields})
        ctx.tenants.append(row)
    return len(ctx.tenants)


def _person(ctx: GenerationContext, tenant: TenantRow, n: int, role: str) -> tuple:
    first, last = ctx.rng.choice(FIRST_NAMES), ctx.rng.choice(LAST_NAMES)
    email = f"{_ascii(first)}.{_ascii(last)}.{role}{n}@{tenant.slug}.kommune.no"
    user_id = ctx.uuid()
    at = ctx.moment_after(ctx.now - timedelta(days=3 * 365), 300)
    ctx.writer.add(User.__table__, {
        "id": user_id, "email": email, "name": f"{first} {last}", "password_hash": None,
        "is_operator": False, "is_active": True, "locale": None, "session_generation": 0,
        "email_verified_at": at, "created_at": at, "updated_at": at,
    })
    ctx.audit.record("user.created", "user", user_id, at=at, actor=(None, "operator"),
                     changes={"after": {"email": email}})
    membership_id = ctx.uuid()
    ctx.writer.add(Membership.__table__, {
        "id": membership_id, "tenant_id": tenant.id, "user_id": user_id, "role": role,
        "created_at": at, "updated_at": at,
    })
    ctx.audit.record("membership.created", "membership", membership_id, at=at,
                     actor=(None, "operator"), tenant_id=tenant.id,
                     changes={"after": {"email": email, "role": role}})
    return user_id, email


def people(ctx: GenerationContext) -> int:
    """An admin and an officer in every municipality, and members in proportion to its size."""
    extra = weighted_counts([t.weight for t in ctx.tenants], ctx.volumes.people)
    made = 0
    for tenant, members in zip(ctx.tenants, extra, strict=True):
        tenant.admin = _person(ctx, tenant, 1, "admin")
        tenant.officer = _person(ctx, tenant, 1, "officer")
        roles = ("member", "member", "member", "officer", "viewer")
        tenant.members = [_person(ctx, tenant, n + 2, roles[n % len(roles)]) for n in range(members)]
        made += 2 + members
    return made
