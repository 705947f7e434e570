"""HTML form input for the specification pages: requirement fields, the rows of the award
criteria form (criterion, sub-criterion of the row above, price) and the simulation's tenders."""

from __future__ import annotations

import uuid
from typing import Any

from werkzeug.datastructures import MultiDict

CRITERIA_ROWS_EXTRA = 3  # empty rows offered below the saved criteria
SIMULATION_TENDERS = 3
LEVELS = ("criterion", "sub", "price")


def requirement_data(form: MultiDict) -> dict[str, Any]:
    data = {key: form.get(key, "") for key in ("title", "text", "kind", "category")}
    data["needs"] = form.getlist("needs")
    if "lot_id" in form:  # offered only when the procurement has lots; empty is the whole procurement
        data["lot_id"] = form.get("lot_id", "")
    if form.get("library_ref"):
        data["library_ref"] = form["library_ref"]
        data = {k: v for k, v in data.items() if v not in ("", None)} | {"needs": form.getlist("needs")}
    return data


def criteria_rows(form: MultiDict) -> list[dict[str, str]]:
    """The rows as sent (for showing the form again), blank rows left out."""
    count = min(int(form.get("rows", "0") or 0) if str(form.get("rows", "0")).isdigit() else 0, 200)
    rows = []
    for i in range(count):
        row = {key: form.get(f"row-{i}-{key}", "").strip()
               for key in ("name", "weight", "description", "level", "price_model")}
        if row["name"] or row["weight"] or row["description"]:
            rows.append(row)
    return rows


def criteria_from_rows(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Rows -> the service's nested criteria: a sub-criterion belongs to the criterion above it
    (one with no criterion above becomes a criterion of its own, so the sums still show)."""
    criteria: list[dict[str, Any]] = []
    for row in rows:
        weight: Any = row["weight"]
        item = {"name": row["name"], "description": row["description"], "weight": weight}
        if row["level"] == "sub" and criteria and not criteria[-1].get("is_price"):
            criteria[-1].setdefault("sub_criteria", []).append(item)
            continue
        if row["level"] == "price":
            item |= {"is_price": True, "price_model": row["price_model"] or None}
        criteria.append(item)
    return criteria


def rows_from_set(criteria_set) -> list[dict[str, str]]:
    """The form rows of one criteria set (the whole procurement's or one lot's)."""
    rows = []
    for node in criteria_set.nodes:
        c = node.criterion
        rows.append({"name": c.name, "weight": str(c.weight), "description": c.description,
                     "level": "price" if c.is_price else "criterion",
                     "price_model": c.price_model.value if c.price_model else ""})
        rows += [{"name": s.name, "weight": str(s.weight), "description": s.description, "level": "sub",
                  "price_model": ""} for s in node.children]
    return rows


def chosen_lot(value: str | None) -> uuid.UUID | None:
    """The lot chosen on the award-criteria page (None: the whole procurement); a value that is
    no id at all is a lot that does not exist (the caller answers 404)."""
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return uuid.UUID(int=0)


def tenders(form: MultiDict, leaves) -> list[dict[str, Any]]:
    result = []
    for i in range(SIMULATION_TENDERS):
        name = form.get(f"tender-{i}-name", "").strip()
        price = form.get(f"tender-{i}-price", "").strip()
        scores = {str(leaf.id): form.get(f"tender-{i}-score-{leaf.id}", "").strip() for leaf in leaves}
        if name or price or any(scores.values()):
            result.append({"name": name, "price": price, "scores": scores})
    return result
