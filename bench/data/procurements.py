"""Entity kind: procurements, with participations (visibility), project groups and history.

Every procurement has its lead tenant's participation row, as `create_procurement` makes it,
so the benchmark reads the same visibility paths as real data; a fifth are joint, with one to
three other municipalities as buyers or observers.
"""

from __future__ import annotations

from datetime import timedelta

from bench.data.context import JOINT_SHARE, GenerationContext, ProcurementRow, TenantRow
from bench.data.municipalities import weighted_counts
from core.procurement.models import (
    PHASE_ORDER,
    Participation,
    Procedure,
    Procurement,
    ProjectMember,
)

TOPICS = (
    ("Trygghetsalarmer og responssentertjeneste", "welfare_tech", ["85300000-2", "32500000-8"]),
    ("Digitalt tilsyn om natten", "welfare_tech", ["33196200-2", "32500000-8"]),
    ("Lokaliseringsteknologi (GPS) for personer med demens", "welfare_tech", ["33196200-2"]),
    ("Fallsensorer og varsling", "welfare_tech", ["33196200-2"]),
    ("Elektroniske medisindispensere", "welfare_tech", ["33196200-2"]),
    ("Velferdsteknologisk plattform", "welfare_tech", ["72000000-5"]),
    ("Smart Mat: middag til hjemmeboende eldre", "smart_mat", ["55521100-9"]),
    ("Matombringing med bestilling på nett", "smart_mat", ["55521100-9", "72000000-5"]),
    ("Kjølekjede og levering av ferdigretter", "smart_mat", ["55521100-9"]),
    ("Samhandlingsløsning for hjemmetjenesten", None, ["72000000-5"]),
)
# Share of procurements in each phase (anchoring … contract).
PHASE_WEIGHTS = (0.10, 0.20, 0.35, 0.15, 0.10, 0.10)


def _project_member(ctx: GenerationContext, procurement: ProcurementRow, tenant: TenantRow,
                    person: tuple, role: str, at) -> None:
    member_id = ctx.uuid()
    ctx.writer.add(ProjectMember.__table__, {
        "id": member_id, "procurement_id": procurement.id, "user_id": person[0],
        "tenant_id": tenant.id, "role": role, "created_at": at, "updated_at": at,
    })
    ctx.audit.record("project_member.added", "project_member", member_id, at=at,
                     actor=procurement.lead.officer, tenant_id=procurement.lead.id,
                     procurement_id=procurement.id,
                     changes={"after": {"user": person[1], "role": role}})


def _participation(ctx: GenerationContext, procurement: ProcurementRow, tenant: TenantRow,
                   role: str, status: str, at) -> None:
    ctx.writer.add(Participation.__table__, {
        "id": ctx.uuid(), "procurement_id": procurement.id, "tenant_id": tenant.id, "role": role,
        "status": status, "invited_by_id": None if role == "lead" else procurement.lead.officer[0],
        "responded_at": at if status == "active" else None, "created_at": at, "updated_at": at,
        "procurement_created_at": procurement.created_at,
    })


def _partners(ctx: GenerationContext, lead: TenantRow) -> list[tuple[TenantRow, str, str]]:
    count = ctx.rng.choice((1, 1, 1, 2, 2, 3))
    chosen: dict = {}
    while len(chosen) < min(count, len(ctx.tenants) - 1):
        tenant = ctx.pick_weighted(ctx.tenants)[0]
        if tenant is not lead:
            role = "buyer" if ctx.rng.random() < 0.7 else "observer"
            status = "active" if ctx.rng.random() < 0.9 else "invited"
            chosen[tenant.id] = (tenant, role, status)
    return list(chosen.values())


def _transitions(ctx: GenerationContext, created, phase_index: int) -> list[tuple[str, str, object]]:
    moments, moment = [], created
    for step in range(1, phase_index + 1):
        moment = ctx.moment_after(moment, 60)
        moments.append((PHASE_ORDER[step - 1].value, PHASE_ORDER[step].value, moment))
    return moments


def _one(ctx: GenerationContext, lead: TenantRow, index: int) -> ProcurementRow:
    topic, domain, cpv = TOPICS[index % len(TOPICS)]
    created = ctx.moment_after(ctx.now - timedelta(days=3 * 365), 3 * 365 - 1)
    phase = ctx.rng.choices(PHASE_ORDER, weights=PHASE_WEIGHTS)[0]
    phase_index = PHASE_ORDER.index(phase)
    row = ProcurementRow(id=ctx.uuid(), lead=lead, phase=phase.value, created_at=created,
                         weight=ctx.rng.uniform(0.5, 2.0),
                         transitions=_transitions(ctx, created, phase_index))
    title = f"{topic} – {lead.name} {created.year}"
    opened = next((at for _, to, at in row.transitions if to == "dialogue"), None)
    ctx.writer.add(Procurement.__table__, {
        "id": row.id, "lead_tenant_id": lead.id, "title": title,
        "description": f"{lead.name} vil finne nye løsninger for {topic.lower()}, "
                       "i dialog med markedet og sammen med andre kommuner.",
        "domain": domain, "estimated_value_ore": ctx.rng.randrange(5, 400) * 10_000_000,
        "procedure": ctx.rng.choice(list(Procedure)).value, "cpv_codes": cpv,
        "phase": phase.value, "status": "completed" if phase_index == 5 and ctx.rng.random() < 0.5
        else "active", "key_dates": {}, "extension": {}, "dialogue_open": opened is not None,
        "dialogue_opened_at": opened, "template_version_id": None, "created_by_id": lead.officer[0],
        "version": 1 + phase_index, "created_at": created,
        "updated_at": row.transitions[-1][2] if row.transitions else created,
    })
    ctx.audit.record("procurement.created", "procurement", row.id, at=created, actor=lead.officer,
                     tenant_id=lead.id, procurement_id=row.id, changes={"after": {"title": title}})
    _participation(ctx, row, lead, "lead", "active", created)
    _project_member(ctx, row, lead, lead.officer, "lead", created)
    for person in ctx.rng.sample(lead.members, min(len(lead.members), ctx.rng.randrange(3))):
        _project_member(ctx, row, lead, person, "member", ctx.moment_after(created, 20))
    if index % round(1 / JOINT_SHARE) == 0:
        for tenant, role, status in _partners(ctx, lead):
            at = ctx.moment_after(created, 20)
            ctx.audit.record("participant.invited", "participation", tenant.slug, at=at,
                             actor=lead.officer, tenant_id=lead.id, procurement_id=row.id,
                             changes={"after": {"tenant": tenant.slug, "role": role}})
            _participation(ctx, row, tenant, role, status, at)
            if status == "active":
                row.participants.append((tenant, role))
                ctx.audit.record("participant.accepted", "participation", tenant.slug, at=at,
                                 actor=tenant.officer, tenant_id=tenant.id, procurement_id=row.id)
                _project_member(ctx, row, tenant, tenant.officer,
                                "member" if role == "buyer" else "observer", at)
    for before, after, at in row.transitions:
        ctx.audit.record("procurement.phase_changed", "procurement", row.id, at=at,
                         actor=lead.officer, tenant_id=lead.id, procurement_id=row.id,
                         changes={"before": {"phase": before}, "after": {"phase": after}})
    return row


def procurements(ctx: GenerationContext) -> int:
    """Procurements led by each municipality in proportion to its size; a fifth joint."""
    per_tenant = weighted_counts([t.weight for t in ctx.tenants], ctx.volumes.procurements)
    index = 0
    for lead, count in zip(ctx.tenants, per_tenant, strict=True):
        for _ in range(count):
            ctx.procurements.append(_one(ctx, lead, index))
            index += 1
    return len(ctx.procurements)
