"""Teaches the foundation's isolation matrix the contract follow-up's URL variables.

`register(namespace)` is called from tests/foundation/test_isolation_matrix.py. The factories
make a follow-up meeting and a deviation on tenant A's contract (written directly: the way
there is tested in tests/benefits)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from core import isolation
from core.benefits.models import Deviation, FollowUpMeeting
from core.db import db
from tests.award.matrix_factories import _contract


def _on_contract(w, model, **fields) -> str:
    from core.award.models import Contract

    contract_id = uuid.UUID(_contract(w))
    with w.app.app_context(), isolation.system_scope():
        contract = db.session.get(Contract, contract_id)
        row = model(procurement_id=contract.procurement_id, contract_id=contract.id, tenant_id=contract.tenant_id,
                    **fields)
        db.session.add(row)
        db.session.commit()
        return str(row.id)


def _meeting(w) -> str:
    return _on_contract(w, FollowUpMeeting, held_on=date(2026, 1, 15), title="Tenant A's meeting",
                        minutes="Tenant A's minutes.")


def _deviation(w) -> str:
    return _on_contract(w, Deviation, title="Tenant A's deviation", severity="high", owner="Kari",
                        deadline=date(2026, 3, 1))


def register(namespace: dict[str, Any]) -> None:
    factories = namespace["FACTORIES"]
    factories["meeting_id"] = _meeting
    factories["deviation_id"] = _deviation
