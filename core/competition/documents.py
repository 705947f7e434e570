"""The tender documents a supplier answers: the requirement specification and the lots.

Once the competition is announced, its requirements and lots are part of the published
competition, so they are read in system scope for suppliers (who have no tenant scope); the
caller has already checked that the competition is announced.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from core import isolation
from core.db import db
from core.specification.models import Lot, Requirement, RequirementKind

MAX_ROWS = 1000


@dataclass
class TenderDocuments:
    requirements: list[Requirement] = field(default_factory=list)
    lots: list[Lot] = field(default_factory=list)

    @property
    def requirement_ids(self) -> dict[str, Requirement]:
        return {str(r.id): r for r in self.requirements}

    @property
    def lot_ids(self) -> set[str]:
        return {str(lot.id) for lot in self.lots}


def tender_documents(procurement_id: uuid.UUID) -> TenderDocuments:
    """Requirements (in order) and lots of an announced competition — two queries."""
    with isolation.system_scope():  # published with the announced competition
        requirements = list(db.session.execute(
            select(Requirement).where(Requirement.procurement_id == procurement_id)
            .order_by(Requirement.position, Requirement.id).limit(MAX_ROWS)).scalars())
        lots = list(db.session.execute(
            select(Lot).where(Lot.procurement_id == procurement_id).order_by(Lot.position, Lot.id)
            .limit(MAX_ROWS)).scalars())
    return TenderDocuments(requirements, lots)


def is_absolute(requirement: Requirement) -> bool:
    return requirement.kind == RequirementKind.absolute
