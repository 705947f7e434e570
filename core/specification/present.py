"""Shapes of the specification for the API and the pages: criteria with their formulas, the
traceability matrix and simulated rankings as plain dicts."""

from __future__ import annotations

from typing import Any

from core.specification import pricing
from core.specification.criteria import CriteriaSet, gate_missing
from core.specification.models import AwardCriterion, Requirement
from core.specification.traceability import Traceability


def criterion_dict(criterion: AwardCriterion, children: list[AwardCriterion]) -> dict[str, Any]:
    model = criterion.price_model
    return {"id": criterion.id, "lot_id": criterion.lot_id, "name": criterion.name,
            "description": criterion.description, "weight": criterion.weight, "is_price": criterion.is_price,
            "price_model": model.value if model else None,
            "formula": str(pricing.FORMULAS[model]) if model else None,
            "sub_criteria": [{"id": c.id, "name": c.name, "description": c.description, "weight": c.weight}
                             for c in children]}


def criteria_dict(sets: list[CriteriaSet], procurement) -> dict[str, Any]:
    missing = gate_missing(procurement)
    return {"criteria": [criterion_dict(n.criterion, n.children) for s in sets for n in s.nodes],
            "complete": not missing, "missing": missing}


def _requirement_ref(requirement: Requirement) -> dict[str, Any]:
    return {"id": requirement.id, "ref": requirement.ref, "title": requirement.title,
            "kind": requirement.kind.value}


def traceability_dict(matrix: Traceability) -> dict[str, Any]:
    def need(traced) -> dict[str, Any]:
        return {"id": traced.need.id, "statement": traced.need.statement, "priority": traced.need.priority,
                "covered": traced.covered, "requirements": [_requirement_ref(r) for r in traced.requirements]}

    needs = [need(traced) for traced in matrix.needs]
    uncovered = [n for n in needs if n["priority"] == 1 and not n["covered"]]
    return {"needs": needs, "uncovered_priority_1": uncovered,
            "untraced_requirements": [_requirement_ref(r) for r in matrix.untraced], "complete": not uncovered}


def ranking_dict(criteria_set: CriteriaSet, ranking: list[pricing.SimulatedTender]) -> dict[str, Any]:
    names = {leaf.id: leaf.name for leaf in criteria_set.leaves()}
    return {"ranking": [{"name": t.name, "price": pricing.shown(t.price), "total": pricing.shown(t.total),
                         "rank": t.rank, "tied": t.tied,
                         "points": [{"criterion_id": cid, "name": names.get(cid, ""), "points": pricing.shown(p)}
                                    for cid, p in t.points.items()]} for t in ranking]}
