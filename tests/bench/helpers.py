"""Shared set-up for the benchmark-finding tests: procurements led by one tenant, made directly."""

from __future__ import annotations

import uuid

from core import isolation
from core.db import db


def led_procurements(app, tenant, times, phases=None) -> list[uuid.UUID]:
    """One procurement per creation time in `times` (optionally in `phases`), each with the lead's
    participation (made through the ORM, so the participation's mapper hook runs)."""
    from core.procurement.models import Participation, Phase, Procurement

    phases = phases or [Phase.anchoring] * len(times)
    with app.app_context(), isolation.system_scope():
        ids = []
        for moment, phase in zip(times, phases, strict=True):
            procurement = Procurement(id=uuid.uuid4(), lead_tenant_id=tenant.id, title=f"P {moment:%j}",
                                      phase=phase, created_at=moment)
            db.session.add(procurement)
            db.session.flush()
            db.session.add(Participation(procurement_id=procurement.id, tenant_id=tenant.id, role="lead",
                                         status="active"))
            ids.append(procurement.id)
        db.session.commit()
        return ids
