"""Traceability: every need of a procurement with the requirements covering it, the priority-1
needs no requirement covers (they keep the competition gate closed) and the requirements not
traced to any need yet. Three queries whatever the size."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from core.db import db
from core.i18n import _l
from core.procurement.models import Need, Procurement
from core.specification.models import Requirement, RequirementNeed
from core.specification.requirements import MAX_REQUIREMENTS
from core.specification.service import reads

MAX_NEEDS = 500  # as core.procurement.needs


@dataclass
class TracedNeed:
    need: Need
    requirements: list[Requirement] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.requirements)


@dataclass
class Traceability:
    needs: list[TracedNeed]
    untraced: list[Requirement]  # requirements that cover no need yet (e.g. from an old template)
    requirements: list[Requirement] = field(default_factory=list)  # all, in position order

    @property
    def uncovered_priority_1(self) -> list[Need]:
        return [traced.need for traced in self.needs if traced.need.priority == 1 and not traced.covered]


def _uncovered_priority_1(procurement_id: uuid.UUID) -> list[Need]:
    covered = select(RequirementNeed.need_id).where(RequirementNeed.procurement_id == procurement_id)
    return list(db.session.execute(select(Need).where(
        Need.procurement_id == procurement_id, Need.priority == 1, Need.id.not_in(covered))
        .order_by(Need.position)).scalars())


def build(procurement_id: uuid.UUID) -> Traceability:
    """The traceability matrix (the caller must be able to read the procurement)."""
    reads(procurement_id)
    needs = list(db.session.execute(select(Need).where(Need.procurement_id == procurement_id)
                                    .order_by(Need.position).limit(MAX_NEEDS)).scalars())
    requirements = list(db.session.execute(select(Requirement).where(Requirement.procurement_id == procurement_id)
                                           .order_by(Requirement.position, Requirement.id)
                                           .limit(MAX_REQUIREMENTS)).scalars())
    traced = {need.id: TracedNeed(need) for need in needs}
    untraced = []
    for requirement in requirements:
        if not requirement.needs:
            untraced.append(requirement)
        for need_id in requirement.need_ids:
            if need_id in traced:
                traced[need_id].requirements.append(requirement)
    return Traceability(needs=list(traced.values()), untraced=untraced, requirements=requirements)


def need_label(need: Need, length: int = 90) -> str:
    """A need's statement shortened for lists (needs have no separate title)."""
    text = " ".join(need.statement.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def gate_missing(procurement: Procurement) -> list[str]:
    """What keeps `core-requirements` open: the uncovered priority-1 needs (by their statement),
    or that there are no requirements at all."""
    missing = [need_label(need) for need in _uncovered_priority_1(procurement.id)]
    if not missing and db.session.execute(select(Requirement.id).where(
            Requirement.procurement_id == procurement.id).limit(1)).scalar() is None:
        return [str(_l("No requirements yet."))]
    return missing
