"""Entity kind: the rest of the audit log, up to the scale's number of entries.

Every generated change already wrote its own entry; this kind adds the everyday edits that
make a real log long (procurements updated by their project group), spread over procurements
in proportion to how busy they are, each appended to its chain like `core.audit.record`.
"""

from __future__ import annotations

from bench.data.context import GenerationContext
from bench.data.municipalities import weighted_counts

FIELDS = ("estimated_value_ore", "description", "key_dates", "cpv_codes")


def audit_entries(ctx: GenerationContext) -> int:
    """Top the audit log up to `volumes.audit_entries` with procurement edits."""
    remaining = ctx.volumes.audit_entries - ctx.audit.count
    if remaining <= 0:
        return ctx.audit.count
    if not ctx.procurements:
        for tenant, count in zip(ctx.tenants, weighted_counts([t.weight for t in ctx.tenants], remaining),
                                 strict=True):
            for n in range(count):
                ctx.audit.record("tenant.settings_changed", "tenant", tenant.id, at=ctx.now,
                                 actor=tenant.admin, tenant_id=tenant.id,
                                 changes={"after": {"revision": n}})
        return ctx.audit.count
    weights = [p.weight * p.lead.weight for p in ctx.procurements]
    for procurement, count in zip(ctx.procurements, weighted_counts(weights, remaining), strict=True):
        at = procurement.created_at
        for n in range(count):
            at = ctx.moment_after(at, 3)
            field = FIELDS[n % len(FIELDS)]
            ctx.audit.record("procurement.updated", "procurement", procurement.id, at=at,
                             actor=procurement.lead.officer, tenant_id=procurement.lead.id,
                             procurement_id=procurement.id,
                             changes={"before": {field: f"v{n}"}, "after": {field: f"v{n + 1}"}})
    return ctx.audit.count
