"""Demo content of the requirement specification (idempotent).

"Tryggere hverdag" gets its requirements and award criteria from the welfare-technology template
it starts from (quality 40 with sub-criteria, price 30 with a declared model, implementation and
benefits 30); here the Bærum officer adds the medicine-dispenser requirement from the domain
library, so every priority-1 need is covered.
"""

from __future__ import annotations

from sqlalchemy import select

from core.db import db
from core.procurement.demo import acting_as, find_demo_procurement
from core.procurement.models import Need
from core.specification import requirements
from core.specification.models import Requirement

LIBRARY_PICK = "welfare_tech:WT-FUN-05"  # electronic medicine dispenser
NEED_START = "Jeg vil få riktig medisin"


def seed() -> None:
    procurement = find_demo_procurement()
    if procurement is None or procurement.domain != "welfare_tech":
        return
    picked = db.session.execute(select(Requirement.id).where(
        Requirement.procurement_id == procurement.id, Requirement.source_ref == LIBRARY_PICK)).scalar()
    need = db.session.execute(select(Need).where(
        Need.procurement_id == procurement.id, Need.statement.startswith(NEED_START))).scalars().first()
    if picked is not None or need is None:
        return
    with acting_as("officer@baerum.demo", "baerum"):
        requirements.create_requirement(procurement.id, {"library_ref": LIBRARY_PICK, "needs": [need.id]})
    db.session.commit()
