"""Award criteria: criteria with sub-criteria and weights, a price criterion with a declared
scoring model, the simulation of a ranking, and the check of the competition gate's item.

Weights are whole points out of 100 (decision 35 in docs/decisions.md):
- the top-level criteria of a set (the whole procurement, or one lot) add up to exactly 100;
- the sub-criteria of a criterion add up to exactly the parent's weight, so every leaf's weight is
  its share of the total and the parent is the sum of its parts;
- a set has at most one price criterion, which declares its model and has no sub-criteria.
The whole set is replaced at once (`PUT`); a wrong sum answers 422 naming the sum.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from sqlalchemy import select

from core import audit
from core.db import db, lock_for_write
from core.errors import NotFound, ValidationError
from core.i18n import _l
from core.procurement.models import Procurement
from core.specification import pricing
from core.specification.models import AwardCriterion, Lot, PriceModel
from core.specification.service import reads, writes

TOTAL = 100
MAX_CRITERIA = 20
MAX_TENDERS = 20


@dataclass
class CriterionNode:
    criterion: AwardCriterion
    children: list[AwardCriterion] = field(default_factory=list)

    @property
    def leaves(self) -> list[AwardCriterion]:
        return self.children or [self.criterion]


@dataclass
class CriteriaSet:
    """The criteria of the whole procurement (`lot` None) or of one lot."""

    lot: Lot | None
    nodes: list[CriterionNode]

    @property
    def total(self) -> int:
        return sum(node.criterion.weight for node in self.nodes)

    @property
    def price(self) -> AwardCriterion | None:
        return next((n.criterion for n in self.nodes if n.criterion.is_price), None)

    def leaves(self) -> list[AwardCriterion]:
        return [leaf for node in self.nodes for leaf in node.leaves]


def _load(procurement_id: uuid.UUID) -> tuple[list[Lot], list[AwardCriterion]]:
    lots = list(db.session.execute(select(Lot).where(Lot.procurement_id == procurement_id)
                                   .order_by(Lot.position)).scalars())
    rows = list(db.session.execute(select(AwardCriterion).where(AwardCriterion.procurement_id == procurement_id)
                                   .order_by(AwardCriterion.position)).scalars())
    return lots, rows


def _sets(lots: list[Lot], rows: list[AwardCriterion]) -> list[CriteriaSet]:
    nodes: dict[uuid.UUID, CriterionNode] = {}
    for row in rows:
        if row.parent_id is None:
            nodes[row.id] = CriterionNode(row)
    for row in rows:
        if row.parent_id is not None and row.parent_id in nodes:
            nodes[row.parent_id].children.append(row)
    sets = [CriteriaSet(None, [n for n in nodes.values() if n.criterion.lot_id is None])]
    for lot in lots:
        sets.append(CriteriaSet(lot, [n for n in nodes.values() if n.criterion.lot_id == lot.id]))
    return sets


def criteria_sets(procurement_id: uuid.UUID) -> list[CriteriaSet]:
    """The whole procurement's set first, then one per lot (empty when the lot uses the whole's)."""
    reads(procurement_id)
    return _sets(*_load(procurement_id))


# --- validation ------------------------------------------------------------------------

def _weight(raw: Any) -> int | None:
    if isinstance(raw, str) and raw.strip().isdigit():
        raw = int(raw.strip())  # from an HTML form
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= TOTAL:
        return None
    return raw


def _clean_item(raw: Any, where: str, errors: dict, *, top: bool) -> dict[str, Any]:
    if not isinstance(raw, dict):
        errors[where] = [_l("Each criterion is an object with a name and a weight.")]
        return {}
    allowed = {"name", "description", "weight"}
    if top:
        allowed |= {"is_price", "price_model", "sub_criteria", "lot_id"}
    for key in sorted(set(raw) - allowed):
        errors[f"{where}.{key}"] = [_l("Unknown field.")]
    name = raw.get("name")
    if not isinstance(name, str) or not 1 <= len(name.strip()) <= 200:
        errors[f"{where}.name"] = [_l("Name the criterion (1-200 characters).")]
    description = raw.get("description") or ""
    if not isinstance(description, str) or len(description) > 5000:
        errors[f"{where}.description"] = [_l("At most 5000 characters.")]
        description = ""
    weight = _weight(raw.get("weight"))
    if weight is None:
        errors[f"{where}.weight"] = [_l("A whole number from 0 to 100.")]
    item = {"name": (name or "").strip() if isinstance(name, str) else "", "description": description.strip(),
            "weight": weight or 0}
    if not top:
        return item
    is_price = raw.get("is_price") in (True, "true", "on", "1")
    model = raw.get("price_model") or None
    item["is_price"], item["price_model"] = is_price, None
    if is_price:
        try:
            item["price_model"] = PriceModel(model or "")
        except ValueError:
            errors[f"{where}.price_model"] = [_l("Choose the price scoring model.")]
    elif model is not None:
        errors[f"{where}.price_model"] = [_l("Only the price criterion has a scoring model.")]
    subs = raw.get("sub_criteria") or []
    if not isinstance(subs, list) or len(subs) > MAX_CRITERIA:
        errors[f"{where}.sub_criteria"] = [_l("At most %(max)d sub-criteria.", max=MAX_CRITERIA)]
        subs = []
    if is_price and subs:
        errors[f"{where}.sub_criteria"] = [_l("The price criterion has no sub-criteria.")]
    item["sub_criteria"] = [_clean_item(sub, f"{where}.sub_criteria.{i}", errors, top=False)
                            for i, sub in enumerate(subs)]
    if item["sub_criteria"] and f"{where}.weight" not in errors:
        total = sum(sub.get("weight", 0) for sub in item["sub_criteria"])
        if total != item["weight"]:
            errors[f"{where}.sub_criteria"] = [_l(
                "The sub-criteria of %(name)s add up to %(sum)d; they must add up to its weight, %(weight)d.",
                name=item["name"], sum=total, weight=item["weight"])]
    item["lot_id"] = raw.get("lot_id") or None
    return item


def clean(procurement_id: uuid.UUID, raw: Any) -> list[dict[str, Any]]:
    """Validated criteria (see the module docstring); 422 with `sums` naming each wrong sum."""
    if not isinstance(raw, list) or len(raw) > MAX_CRITERIA * 10:
        raise ValidationError(_l("Send the criteria as a list."), errors={"criteria": [_l("A list of criteria.")]})
    errors: dict[str, list] = {}
    items = [_clean_item(item, f"criteria.{i}", errors, top=True) for i, item in enumerate(raw)]
    lots = {lot.id: lot for lot in db.session.execute(
        select(Lot).where(Lot.procurement_id == procurement_id)).scalars()}
    groups: dict[uuid.UUID | None, list[dict]] = {}
    for i, item in enumerate(items):
        lot_id = item.get("lot_id")
        if lot_id is not None:
            try:
                lot_id = uuid.UUID(str(lot_id))
            except ValueError:
                lot_id = None
            if lot_id not in lots:
                errors[f"criteria.{i}.lot_id"] = [_l("Choose a lot of this procurement.")]
                lot_id = None  # counted with the whole, so the sums still name known sets
        item["lot_id"] = lot_id
        groups.setdefault(lot_id, []).append(item)
    sums = []
    for lot_id, group in groups.items():
        if len(group) > MAX_CRITERIA:
            errors["criteria"] = [_l("At most %(max)d criteria per lot.", max=MAX_CRITERIA)]
        if sum(1 for item in group if item.get("is_price")) > 1:
            errors.setdefault("criteria", []).append(_l("Only one price criterion per lot."))
        total = sum(item.get("weight", 0) for item in group)
        if total != TOTAL:
            sums.append({"lot_id": str(lot_id) if lot_id else None, "sum": total})
            message = (_l("The weights of the award criteria add up to %(sum)d; they must add up to 100.", sum=total)
                       if lot_id is None else
                       _l("The weights of the award criteria of %(lot)s add up to %(sum)d; they must add up to 100.",
                          lot=lots[lot_id].title, sum=total))
            errors.setdefault("criteria", []).append(message)
    if errors:
        first_sum = sums[0]["sum"] if sums else None
        detail = (_l("The weights add up to %(sum)d, not 100.", sum=first_sum) if first_sum is not None
                  else _l("The award criteria are not valid."))
        raise ValidationError(detail, errors=errors, sums=sums)
    return items


def snapshot(sets: list[CriteriaSet]) -> list[dict[str, Any]]:
    """What the audit log keeps: each criterion's name and weight, sub-criteria as text."""
    return [{"name": (f"{s.lot.title}: " if s.lot else "") + n.criterion.name, "weight": n.criterion.weight,
             "description": "; ".join(f"{c.name} {c.weight}" for c in n.children)}
            for s in sets for n in s.nodes]


def _insert(procurement_id: uuid.UUID, items: list[dict[str, Any]]) -> None:
    position = 0
    for item in items:
        position += 1
        parent = AwardCriterion(procurement_id=procurement_id, lot_id=item["lot_id"], position=position,
                                name=item["name"], description=item["description"], weight=item["weight"],
                                is_price=item["is_price"], price_model=item["price_model"])
        db.session.add(parent)
        db.session.flush()
        for sub in item["sub_criteria"]:
            position += 1
            db.session.add(AwardCriterion(procurement_id=procurement_id, lot_id=item["lot_id"], parent_id=parent.id,
                                          position=position, name=sub["name"], description=sub["description"],
                                          weight=sub["weight"]))
    db.session.flush()


def replace_criteria(procurement_id: uuid.UUID, raw: Any) -> list[CriteriaSet]:
    """Replace every award criterion of the procurement (one transaction, writers take turns)."""
    access = writes(procurement_id)
    items = clean(procurement_id, raw)
    lock_for_write(Procurement, "id", procurement_id)
    before = snapshot(_sets(*_load(procurement_id)))
    for row in db.session.execute(select(AwardCriterion).where(AwardCriterion.procurement_id == procurement_id,
                                                               AwardCriterion.parent_id.is_not(None))).scalars():
        db.session.delete(row)
    db.session.flush()
    for row in db.session.execute(select(AwardCriterion).where(
            AwardCriterion.procurement_id == procurement_id)).scalars():
        db.session.delete(row)
    db.session.flush()
    _insert(procurement_id, items)
    sets = _sets(*_load(procurement_id))
    audit.record("award_criteria.replaced", "procurement", procurement_id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id, changes={"before": before, "after": snapshot(sets)})
    return sets


def seed_from_template(procurement: Procurement, content: dict[str, Any]) -> int:
    """Copy the template's award criteria (with sub-criteria and price model when it has them).
    A template whose weights do not add up is copied as it is; the gate shows it."""
    raw = content.get("award_criteria") or []
    items = []
    for item in raw:
        model = item.get("price_model")
        items.append({"lot_id": None, "name": item["name"][:200], "description": item.get("description", ""),
                      "weight": item["weight"], "is_price": bool(model),
                      "price_model": PriceModel(model) if model in PriceModel.__members__ else None,
                      "sub_criteria": [{"name": s["name"][:200], "description": s.get("description", ""),
                                        "weight": s["weight"]} for s in item.get("sub_criteria") or []]})
    _insert(procurement.id, items)
    return len(items)


# --- the gate item ---------------------------------------------------------------------

def gate_missing(procurement: Procurement) -> list[str]:
    """What keeps `core-award-criteria` open: per applicable set (the whole, or each lot without
    its own criteria using the whole's), weights that do not add up to 100 or no price model."""
    lots, rows = _load(procurement.id)
    sets = _sets(lots, rows)
    whole = sets[0]
    applicable = [s if s.nodes else CriteriaSet(s.lot, whole.nodes) for s in sets[1:]] or [whole]
    missing = []
    for criteria_set in applicable:
        prefix = f"{criteria_set.lot.title}: " if criteria_set.lot else ""
        if not criteria_set.nodes:
            missing.append(prefix + str(_l("No award criteria yet.")))
            continue
        if criteria_set.total != TOTAL:
            missing.append(prefix + str(_l("The weights add up to %(sum)d, not 100.", sum=criteria_set.total)))
        price = criteria_set.price
        if price is None or price.price_model is None:
            missing.append(prefix + str(_l("There is no price criterion with a scoring model.")))
    return missing


# --- simulation ------------------------------------------------------------------------

NUMBER = re.compile(r"^\d{1,12}(?:[.,]\d{1,6})?$")  # kroner or a score: no exponents, no huge values


def _number(raw: Any) -> Fraction | None:
    """A non-negative decimal number as typed (spaces between thousands and a decimal comma
    allowed), exactly; None for anything else."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        return None
    text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
    if not NUMBER.match(text):
        return None
    return Fraction(text.replace(",", "."))


def simulate(procurement_id: uuid.UUID, tenders: Any, lot_id: uuid.UUID | None = None,
             sets: list[CriteriaSet] | None = None) -> tuple[CriteriaSet, list[pricing.SimulatedTender]]:
    """Rank hypothetical tenders (`[{"name", "price", "scores": {criterion id: 0-10}}]`) with the
    criteria of the whole or of one lot. Nothing is stored. `sets`: the procurement's
    `criteria_sets` when the caller has read them already (its access checked then)."""
    sets = criteria_sets(procurement_id) if sets is None else sets
    criteria_set = next((s for s in sets if (s.lot.id if s.lot else None) == lot_id), None)
    if criteria_set is None:
        raise ValidationError(_l("Choose a lot of this procurement."), errors={"lot_id": [_l("Not a lot here.")]})
    if not criteria_set.nodes and criteria_set.lot is not None:
        criteria_set = CriteriaSet(criteria_set.lot, sets[0].nodes)
    if not criteria_set.nodes or criteria_set.total != TOTAL:
        raise ValidationError(_l("Set award criteria whose weights add up to 100 before simulating."),
                              errors={"tenders": [_l("The criteria are not complete.")]})
    if not isinstance(tenders, list) or not 1 <= len(tenders) <= MAX_TENDERS:
        raise ValidationError(_l("Enter from 1 to %(max)d tenders.", max=MAX_TENDERS),
                              errors={"tenders": [_l("From 1 to %(max)d tenders.", max=MAX_TENDERS)]})
    price_criterion = criteria_set.price
    scored = [leaf for leaf in criteria_set.leaves() if not leaf.is_price]
    errors: dict[str, list] = {}
    parsed = []
    names = set()
    for i, raw in enumerate(tenders):
        raw = raw if isinstance(raw, dict) else {}
        name = str(raw.get("name") or "").strip() or str(_l("Tender %(number)d", number=i + 1))
        if len(name) > 100 or name in names:
            errors[f"tenders.{i}.name"] = [_l("Give each tender its own name (at most 100 characters).")]
        names.add(name)
        price = _number(raw.get("price")) if price_criterion is not None else Fraction(0)
        if price is None or (price_criterion is not None and price <= 0):
            errors[f"tenders.{i}.price"] = [_l("A price above 0.")]
        scores = raw.get("scores") if isinstance(raw.get("scores"), dict) else {}
        points = {}
        for leaf in scored:
            score = _number(scores.get(str(leaf.id), scores.get(leaf.id)))
            if score is None or not 0 <= score <= pricing.MAX_SCORE:
                errors[f"tenders.{i}.scores.{leaf.id}"] = [_l("A score from 0 to 10 for %(criterion)s.",
                                                               criterion=leaf.name)]
                continue
            points[leaf.id] = Fraction(leaf.weight) * score / pricing.MAX_SCORE
        parsed.append((name, price or Fraction(0), points))
    if errors:
        raise ValidationError(_l("Some tenders are not complete."), errors=errors)
    result = []
    lowest = min((price for _n, price, _p in parsed), default=Fraction(1))
    for name, price, points in parsed:
        if price_criterion is not None:
            points[price_criterion.id] = Fraction(price_criterion.weight) * pricing.share(
                price_criterion.price_model or PriceModel.lowest_proportional, price, lowest)
        result.append(pricing.SimulatedTender(name=name, price=price, points=points, total=sum(points.values(),
                                                                                              Fraction(0))))
    return criteria_set, pricing.rank(result)


def _raw(node: CriterionNode, lot: Lot | None) -> dict[str, Any]:
    c = node.criterion
    return {"name": c.name, "description": c.description, "weight": c.weight, "is_price": c.is_price,
            "price_model": c.price_model.value if c.price_model else None, "lot_id": str(lot.id) if lot else None,
            "sub_criteria": [{"name": s.name, "description": s.description, "weight": s.weight}
                             for s in node.children]}


def replace_set(procurement_id: uuid.UUID, lot_id: uuid.UUID | None, raw: Any) -> list[CriteriaSet]:
    """Replace the criteria of the whole procurement (`lot_id` None) or of one lot, keeping the
    other sets as they are; the sums of every set are checked as in `replace_criteria`. An empty
    list leaves a lot using the whole's criteria. 404 unless the lot belongs to the procurement."""
    writes(procurement_id)
    sets = criteria_sets(procurement_id)
    if lot_id is not None and lot_id not in {s.lot.id for s in sets if s.lot}:
        raise NotFound(_l("No such lot."))
    if not isinstance(raw, list):
        raw = []
    mine = [item | {"lot_id": str(lot_id) if lot_id else None} for item in raw if isinstance(item, dict)]
    others = [_raw(node, s.lot) for s in sets if (s.lot.id if s.lot else None) != lot_id for node in s.nodes]
    return replace_criteria(procurement_id, mine + others)


def chosen_set(sets: list[CriteriaSet], lot_id: uuid.UUID | None) -> tuple[CriteriaSet, CriteriaSet]:
    """(the set of `lot_id`, the set that applies to it: a lot without criteria of its own uses the
    whole's); 404 unless the lot is one of the procurement's."""
    chosen = next((s for s in sets if (s.lot.id if s.lot else None) == lot_id), None)
    if chosen is None:
        raise NotFound(_l("No such lot."))
    return chosen, chosen if chosen.nodes or chosen.lot is None else CriteriaSet(chosen.lot, sets[0].nodes)
