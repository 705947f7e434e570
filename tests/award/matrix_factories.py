"""Teaches the foundation's isolation matrix the award's URL variables.

`register(namespace)` is called from tests/foundation/test_isolation_matrix.py. The factory
makes a contract of tenant A in tenant A's procurement with the matrix supplier (written
directly: the award flow itself is tested in tests/award)."""

from __future__ import annotations

import uuid
from typing import Any

from core import isolation
from core.db import db


def _contract(w) -> str:
    if "_contract" in w._values:
        return w._values["_contract"]
    from sqlalchemy import select

    from core.award.models import Contract
    from core.procurement.models import Procurement
    from core.suppliers.models import SupplierOrganisation
    from tests.dialogue.matrix_factories import _dialogue

    _dialogue(w)  # the matrix supplier exists
    pid = uuid.UUID(w["procurement_id"])
    with w.app.app_context(), isolation.system_scope():
        procurement = db.session.get(Procurement, pid)
        supplier = db.session.execute(select(SupplierOrganisation).where(
            SupplierOrganisation.org_number == "915345727")).scalar_one()
        contract = Contract(procurement_id=pid, tenant_id=procurement.lead_tenant_id, supplier_id=supplier.id,
                            options=[])
        db.session.add(contract)
        db.session.commit()
        w._values["_contract"] = str(contract.id)
    return w._values["_contract"]


def register(namespace: dict[str, Any]) -> None:
    factories, skip = namespace["FACTORIES"], namespace["OWNER_CONTROL_SKIP"]
    factories["contract_id"] = _contract
    reasons = {
        "award_api.Impartiality": "404 until the caller declared (tests/award/test_evaluation.py)",
        "award_api.Scores": "404 until the caller declared impartiality (tests/award/test_evaluation.py)",
        "award_api.Evaluation": "404 until the caller declared impartiality (tests/award/test_evaluation.py)",
        "award_api.Award": "404 until a decision is made (tests/award/test_award.py)",
        "award_api.Letter": "a tenderer's own letter: tenant A's admin is no supplier (tests/award/test_award.py)",
        "award.evaluation_xlsx": "404 until the caller declared impartiality (tests/award/test_pages.py)",
        "award.tender": "a tender's scoring page: 404 until the caller declared impartiality "
                        "(tests/award/test_forms.py)",
        "procurement_group.accept_page": "the answer to an invitation waiting for the caller's tenant; tenant A "
                                         "leads, so none waits (tests/procurement/test_views.py)",
        "supplier_award.letter": "a tenderer's own letter: tenant A's admin is no supplier "
                                 "(tests/award/test_pages.py)",
    }
    skip.update(reasons)
