"""Price scoring models and the simulation of a ranking.

A price criterion declares one model; its formula is shown to suppliers with the criteria.
Scores of the other criteria are given on a 0–10 scale; a criterion's points are its weight ×
score / 10, the price criterion's points its weight × the model's share (0–1). Totals are
computed exactly (fractions) and shown with two decimals; tenders with equal totals share a
rank (1, 1, 3), so the simulation shows a tie as a tie.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from core.i18n import _l
from core.specification.models import PriceModel

MAX_SCORE = 10

FORMULAS = {
    PriceModel.lowest_proportional: _l(
        "The lowest price gets full points; every other tender gets points in proportion: "
        "points = weight × lowest price / the tender's price."),
    PriceModel.linear_deduction: _l(
        "The lowest price gets full points; a tender loses points in proportion to how much dearer it is "
        "than the lowest: points = weight × (1 − (the tender's price − lowest price) / lowest price), "
        "never below 0."),
}
LABELS = {
    PriceModel.lowest_proportional: _l("Lowest price gets full points, others proportionally"),
    PriceModel.linear_deduction: _l("Linear deduction from the lowest price"),
}


def share(model: PriceModel, price: Fraction, lowest: Fraction) -> Fraction:
    """The share (0–1) of the price criterion's weight a tender at `price` gets."""
    if model == PriceModel.lowest_proportional:
        return lowest / price
    return max(Fraction(0), 1 - (price - lowest) / lowest)



def shown(value: Fraction) -> Decimal:
    """An exact value with two decimals (half up) for people and JSON."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class SimulatedTender:
    name: str
    price: Fraction
    points: dict[Any, Fraction]  # criterion id -> points
    total: Fraction
    rank: int = 0
    tied: bool = False


def rank(tenders: list[SimulatedTender]) -> list[SimulatedTender]:
    """Highest total first; equal totals share the rank and are marked as tied."""
    ordered = sorted(tenders, key=lambda t: (-t.total, t.name))
    for index, tender in enumerate(ordered):
        if index and tender.total == ordered[index - 1].total:
            tender.rank = ordered[index - 1].rank
        else:
            tender.rank = index + 1
    for tender in ordered:
        tender.tied = sum(1 for other in ordered if other.rank == tender.rank) > 1
    return ordered
