"""Needs mapping: needs statements with who has them, how they were found and their priority.

Needs are ordered (`position`, unique within a procurement: writers of positions take turns
on the procurement row); the project group can reorder them and import needs from a
template's needs catalogue. Evidence files hang on a need through `attachments.py`.
Plugins the lead tenant enabled may add namespaced fields to a need (`extension`,
`{plugin name: {...}}`), each validated by the plugin's `need` extension schema.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from core import audit
from core.db import db, lock_for_write
from core.errors import NotFound, ValidationError
from core.i18n import _l
from core.plugin_platform.extension_data import validate_extension_data
from core.procurement import library_link
from core.procurement.access import Action, ProcurementAccess, require
from core.procurement.attachments import forget_files_of_need
from core.procurement.models import Need, NeedSource, Procurement
from core.procurement.service import ensure_active

MAX_NEEDS = 500
PRIORITIES = (1, 2, 3)
NEED_TARGET = "need"  # the extension-schema target of needs


def clean_need(data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """statement (required), user_group, source (interview/workshop/observation/survey),
    priority (1 high – 3 low)."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if not partial or "statement" in data:
        statement = str(data.get("statement") or "").strip()
        if not statement or len(statement) > 5000:
            errors["statement"] = [_l("Describe the need (1-5000 characters).")]
        cleaned["statement"] = statement
    if not partial or "user_group" in data:
        group = str(data.get("user_group") or "").strip()
        if len(group) > 200:
            errors["user_group"] = [_l("At most 200 characters.")]
        cleaned["user_group"] = group
    if not partial or "source" in data:
        try:
            cleaned["source"] = NeedSource(data.get("source") or "")
        except ValueError:
            errors["source"] = [_l("Choose interview, workshop, observation or survey.")]
    if not partial or "priority" in data:
        raw = data.get("priority")
        priority = 2 if raw in (None, "") else raw
        if isinstance(priority, str) and priority.strip().isdigit():
            priority = int(priority)  # from an HTML form
        if not isinstance(priority, int) or isinstance(priority, bool) or priority not in PRIORITIES:
            errors["priority"] = [_l("Priority is 1 (high), 2 (medium) or 3 (low).")]
        cleaned["priority"] = priority
    if errors:
        raise ValidationError(_l("The need is not valid."), errors=errors)
    return cleaned


def clean_extension(procurement: Procurement, data: Any) -> dict[str, Any]:
    """A need's plugin data, `{plugin name: {...}}`, each namespace validated by the need
    extension schema of a plugin the procurement's lead tenant enabled (the lead governs);
    an unknown namespace or invalid field is a ValidationError under `extension`."""
    if data is None or data == {}:
        return {}
    return validate_extension_data(procurement, NEED_TARGET, data)


def _snapshot(need: Need) -> dict[str, Any]:
    return {"statement": need.statement, "user_group": need.user_group, "source": need.source,
            "priority": need.priority, "position": need.position,
            "extension": dict(need.extension or {})}


def list_needs(procurement_id: uuid.UUID) -> list[Need]:
    require(procurement_id)
    return list(db.session.execute(
        select(Need).where(Need.procurement_id == procurement_id).order_by(Need.position, Need.created_at)
    ).scalars())


def _next_position(procurement_id: uuid.UUID) -> int:
    """The next free position. Holds the procurement row until the transaction ends, so needs
    added at the same moment take turns and each sees the position the previous one took."""
    lock_for_write(Procurement, "id", procurement_id)
    count, top = db.session.execute(
        select(func.count(Need.id), func.max(Need.position)).where(Need.procurement_id == procurement_id)).one()
    if count >= MAX_NEEDS:
        raise ValidationError(_l("At most %(n)d needs.", n=MAX_NEEDS),
                              errors={"statement": [_l("At most %(n)d needs.", n=MAX_NEEDS)]})
    return (top or 0) + 1


def _writable(procurement_id: uuid.UUID) -> ProcurementAccess:
    access = require(procurement_id, Action.write)
    ensure_active(access.procurement)
    return access


def add_need(procurement_id: uuid.UUID, data: dict[str, Any]) -> Need:
    access = _writable(procurement_id)
    values = clean_need(data)
    extension = clean_extension(access.procurement, data.get("extension"))
    need = Need(procurement_id=procurement_id, position=_next_position(procurement_id),
                created_by_id=access.principal.user.id, extension=extension, **values)
    db.session.add(need)
    db.session.flush()
    audit.record("need.added", "need", need.id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id, changes={"after": _snapshot(need)})
    return need


def get_need(procurement_id: uuid.UUID, need_id: uuid.UUID, action: Action = Action.read) -> Need:
    require(procurement_id, action)
    need = db.session.get(Need, need_id)
    if need is None or need.procurement_id != procurement_id:
        raise NotFound(_l("No such need."))
    return need


def update_need(procurement_id: uuid.UUID, need_id: uuid.UUID, data: dict[str, Any]) -> Need:
    """Change the given fields; `extension` replaces the namespaces it names, keeps the rest."""
    access = _writable(procurement_id)
    need = get_need(procurement_id, need_id, Action.write)
    before = _snapshot(need)
    values = clean_need(data, partial=True)
    if "extension" in data:
        values["extension"] = {**(need.extension or {}),
                               **clean_extension(access.procurement, data["extension"])}
    for name, value in values.items():
        setattr(need, name, value)
    db.session.flush()
    audit.record("need.updated", "need", need.id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id, changes=audit.diff(before, _snapshot(need)))
    return need


def delete_need(procurement_id: uuid.UUID, need_id: uuid.UUID) -> None:
    access = _writable(procurement_id)
    need = get_need(procurement_id, need_id, Action.write)
    before = _snapshot(need)
    forget_files_of_need(need)
    db.session.delete(need)
    db.session.flush()
    audit.record("need.deleted", "need", need_id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id, changes={"before": before})


def reorder_needs(procurement_id: uuid.UUID, ordered_ids: list[uuid.UUID]) -> list[Need]:
    """Set the order; `ordered_ids` must name every need of the procurement exactly once."""
    access = _writable(procurement_id)
    lock_for_write(Procurement, "id", procurement_id)  # take turns with additions (`_next_position`)
    needs = {n.id: n for n in db.session.execute(
        select(Need).where(Need.procurement_id == procurement_id)
        .execution_options(populate_existing=True)).scalars()}
    if len(ordered_ids) != len(set(ordered_ids)) or set(ordered_ids) != set(needs):
        raise ValidationError(_l("List every need of the procurement exactly once."),
                              errors={"order": [_l("List every need exactly once.")]})
    before = [str(n.id) for n in sorted(needs.values(), key=lambda n: n.position)]
    for position, need_id in enumerate(ordered_ids, start=1):
        needs[need_id].position = position
    db.session.flush()
    audit.record("need.reordered", "procurement", procurement_id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id,
                 changes={"before": {"order": before}, "after": {"order": [str(i) for i in ordered_ids]}})
    return [needs[i] for i in ordered_ids]


def move_need(procurement_id: uuid.UUID, need_id: uuid.UUID, direction: str) -> list[Need]:
    """Move one need up or down one place (the HTML page's buttons)."""
    order = [n.id for n in list_needs(procurement_id)]
    if need_id not in order or direction not in ("up", "down"):
        raise NotFound(_l("No such need."))
    i = order.index(need_id)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(order):
        order[i], order[j] = order[j], order[i]
    return reorder_needs(procurement_id, order)


def import_needs(procurement_id: uuid.UUID, version_id: uuid.UUID, indexes: list[int] | None = None) -> list[Need]:
    """Copy needs from a template version's catalogue the caller can see (all, or by index)."""
    access = _writable(procurement_id)
    version = library_link.template_version(version_id)
    catalogue = version.content.get("needs", [])
    chosen = indexes if indexes else range(len(catalogue))
    if any(not isinstance(i, int) or not 0 <= i < len(catalogue) for i in chosen):
        raise ValidationError(_l("Choose needs from the catalogue."),
                              errors={"needs": [_l("Unknown need in catalogue.")]})
    position = _next_position(procurement_id)
    created = []
    for offset, index in enumerate(chosen):
        values = clean_need(catalogue[index])
        need = Need(procurement_id=procurement_id, position=position + offset,
                    created_by_id=access.principal.user.id, **values)
        db.session.add(need)
        created.append(need)
    db.session.flush()
    audit.record("need.imported", "procurement", procurement_id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id,
                 changes={"after": {"template_version": str(version_id), "count": len(created)}})
    return created
