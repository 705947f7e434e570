"""Lots (delkontrakter): optional parts of a procurement with requirements, criteria and later
tenders of their own. Without lots a procurement is one implicit whole (`lot_id` NULL).

The list is replaced at once: lots sent with their `id` are kept (and renamed), new ones are
added, the rest are removed — their requirements move to the whole, their own criteria go.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from core import audit
from core.db import db, lock_for_write
from core.errors import NotFound, ValidationError
from core.i18n import _l
from core.procurement.models import Procurement
from core.specification.models import Lot
from core.specification.service import reads, writes

MAX_LOTS = 50


def list_lots(procurement_id: uuid.UUID) -> list[Lot]:
    reads(procurement_id)
    return list(db.session.execute(select(Lot).where(Lot.procurement_id == procurement_id)
                                   .order_by(Lot.position)).scalars())


def _clean(raw: Any, existing: dict[uuid.UUID, Lot]) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or len(raw) > MAX_LOTS:
        raise ValidationError(_l("Send from 0 to %(max)d lots.", max=MAX_LOTS),
                              errors={"lots": [_l("From 0 to %(max)d lots.", max=MAX_LOTS)]})
    errors: dict[str, list] = {}
    items = []
    for i, item in enumerate(raw):
        item = item if isinstance(item, dict) else {}
        title = item.get("title")
        if not isinstance(title, str) or not 1 <= len(title.strip()) <= 300:
            errors[f"lots.{i}.title"] = [_l("Name the lot (1-300 characters).")]
        description = item.get("description") or ""
        if not isinstance(description, str) or len(description) > 5000:
            errors[f"lots.{i}.description"] = [_l("At most 5000 characters.")]
        lot_id = item.get("id")
        if lot_id is not None:
            try:
                lot_id = uuid.UUID(str(lot_id))
            except ValueError:
                lot_id = None
            if lot_id not in existing:
                errors[f"lots.{i}.id"] = [_l("Choose a lot of this procurement.")]
        items.append({"id": lot_id, "title": (title or "").strip() if isinstance(title, str) else "",
                      "description": description.strip() if isinstance(description, str) else ""})
    if errors:
        raise ValidationError(_l("The lots are not valid."), errors=errors)
    return items


def replace_lots(procurement_id: uuid.UUID, raw: Any) -> list[Lot]:
    access = writes(procurement_id)
    lock_for_write(Procurement, "id", procurement_id)
    existing = {lot.id: lot for lot in db.session.execute(select(Lot).where(
        Lot.procurement_id == procurement_id)).scalars()}
    items = _clean(raw, existing)
    before = [{"title": lot.title} for lot in sorted(existing.values(), key=lambda lot: lot.position)]
    kept = {item["id"] for item in items if item["id"]}
    for lot_id, lot in existing.items():
        if lot_id not in kept:
            db.session.delete(lot)
    db.session.flush()
    for position, item in enumerate(items, start=1):
        lot = existing.get(item["id"]) if item["id"] else None
        if lot is None:
            lot = Lot(procurement_id=procurement_id, position=position, title=item["title"],
                      description=item["description"])
            db.session.add(lot)
        else:
            lot.position, lot.title, lot.description = position, item["title"], item["description"]
    db.session.flush()
    lots = list_lots(procurement_id)
    audit.record("lots.replaced", "procurement", procurement_id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id, changes={"before": before, "after": [{"title": lot.title}
                                                                                   for lot in lots]})
    return lots


# --- one lot at a time (the pages) -----------------------------------------------------

def _fields(title: Any, description: Any) -> dict[str, Any]:
    """One lot's fields from a form, with the messages keyed by the form's field names."""
    errors: dict[str, list] = {}
    title = title.strip() if isinstance(title, str) else ""
    description = description.strip() if isinstance(description, str) else ""
    if not 1 <= len(title) <= 300:
        errors["title"] = [_l("Name the lot (1-300 characters).")]
    if len(description) > 5000:
        errors["description"] = [_l("At most 5000 characters.")]
    if errors:
        raise ValidationError(_l("The lot is not valid."), errors=errors)
    return {"title": title, "description": description}


def _current(procurement_id: uuid.UUID) -> list[dict[str, Any]]:
    return [{"id": str(lot.id), "title": lot.title, "description": lot.description}
            for lot in list_lots(procurement_id)]


def add_lot(procurement_id: uuid.UUID, title: Any, description: Any) -> list[Lot]:
    """Add a lot after the others (the project group, while the specification is editable)."""
    writes(procurement_id)
    item = _fields(title, description)
    return replace_lots(procurement_id, [*_current(procurement_id), item])


def update_lot(procurement_id: uuid.UUID, lot_id: uuid.UUID, title: Any, description: Any) -> list[Lot]:
    """Rename or describe one lot; 404 unless it is a lot of this procurement."""
    writes(procurement_id)
    current = _current(procurement_id)
    if str(lot_id) not in {item["id"] for item in current}:
        raise NotFound(_l("No such lot."))
    item = _fields(title, description)
    return replace_lots(procurement_id, [item | {"id": str(lot_id)} if lot["id"] == str(lot_id) else lot
                                         for lot in current])


def remove_lot(procurement_id: uuid.UUID, lot_id: uuid.UUID) -> list[Lot]:
    """Remove one lot: its requirements move to the whole procurement, its own criteria go."""
    writes(procurement_id)
    current = _current(procurement_id)
    if str(lot_id) not in {item["id"] for item in current}:
        raise NotFound(_l("No such lot."))
    return replace_lots(procurement_id, [lot for lot in current if lot["id"] != str(lot_id)])
