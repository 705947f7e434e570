"""Requirements: the project group writes them, picks them from the domain plugin's library or
gets them from the template, and traces each to the needs it answers (at least one).

Positions are unique within a procurement: writers take turns on the procurement row
(`lock_for_write`) before reading the highest position.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from core import audit
from core.api.preconditions import check_version
from core.db import db, lock_for_write
from core.errors import NotFound, ValidationError
from core.i18n import _l
from core.pagination import Page, keyset_page
from core.plugin_platform.host import call_for_tenant
from core.plugin_platform.wiring import as_list
from core.procurement.models import Need, Procurement
from core.specification.models import Lot, Requirement, RequirementKind, RequirementNeed, RequirementSource
from core.specification.service import reads, writes

MAX_REQUIREMENTS = 1000
TEXT_MAX = 10000
KINDS_FROM_LIBRARY = {"must": RequirementKind.absolute, "should": RequirementKind.evaluated}
FIELDS = ("title", "text", "kind", "category", "needs", "lot_id")


@dataclass(frozen=True)
class LibraryItem:
    """A requirement offered by a domain plugin's library (`key` is `<plugin domain>:<ref>`)."""

    key: str
    ref: str
    title: str
    text: str
    kind: RequirementKind
    category: str
    standards: tuple[str, ...] = ()


def snapshot(requirement: Requirement) -> dict[str, Any]:
    """What the audit log keeps of a requirement: its number and title, text and the needs it
    covers (codes such as kind and category are on the row; the readable log shows no codes)."""
    return {"title": " ".join(part for part in (requirement.ref, requirement.title) if part),
            "text": requirement.text, "needs": sorted(str(n) for n in requirement.need_ids)}


def _uuid_list(raw: Any) -> list[uuid.UUID] | None:
    if not isinstance(raw, list | tuple):
        return None
    try:
        return [value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)) for value in raw]
    except (TypeError, ValueError, AttributeError):
        return None


def _text(data: dict, key: str, maximum: int, errors: dict, message, required: bool = False) -> str:
    value = data.get(key)
    value = "" if value is None else value
    if not isinstance(value, str) or len(value.strip()) > maximum or (required and not value.strip()):
        errors[key] = [message]
        return ""
    return value.strip()


def clean(procurement_id: uuid.UUID, data: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """title (≤300), text (1-10000), kind (`absolute`/`evaluated`), category (≤80), needs (ids of
    this procurement's needs, at least one), lot_id (a lot of this procurement, or null)."""
    unknown = set(data) - set(FIELDS)
    errors: dict[str, list] = {key: [_l("Unknown field.")] for key in sorted(unknown)}
    cleaned: dict[str, Any] = {}
    if not partial or "title" in data:
        cleaned["title"] = _text(data, "title", 300, errors, _l("At most 300 characters."))
    if not partial or "text" in data:
        cleaned["text"] = _text(data, "text", TEXT_MAX, errors,
                                _l("Write the requirement (1-%(max)d characters).", max=TEXT_MAX), required=True)
    if not partial or "category" in data:
        cleaned["category"] = _text(data, "category", 80, errors, _l("At most 80 characters."))
    if not partial or "kind" in data:
        try:
            cleaned["kind"] = RequirementKind(data.get("kind") or "")
        except ValueError:
            errors["kind"] = [_l("Choose absolute (must) or evaluated (should).")]
    if not partial or "needs" in data:
        ids = _uuid_list(data.get("needs"))
        if not ids:
            errors["needs"] = [_l("Choose at least one need the requirement answers.")]
        else:
            found = set(db.session.execute(select(Need.id).where(
                Need.procurement_id == procurement_id, Need.id.in_(ids))).scalars())
            if found != set(ids):
                errors["needs"] = [_l("Choose needs of this procurement.")]
            cleaned["needs"] = list(dict.fromkeys(ids))
    if "lot_id" in data:
        raw = data.get("lot_id")
        lot_ids = _uuid_list([raw]) if raw not in (None, "") else []
        if lot_ids is None or (lot_ids and db.session.execute(select(Lot.id).where(
                Lot.procurement_id == procurement_id, Lot.id == lot_ids[0])).scalar() is None):
            errors["lot_id"] = [_l("Choose a lot of this procurement.")]
        else:
            cleaned["lot_id"] = lot_ids[0] if lot_ids else None
    if errors:
        raise ValidationError(_l("The requirement is not valid."), errors=errors)
    return cleaned


def list_requirements(procurement_id: uuid.UUID, *, cursor: str | None = None, limit: int = 50,
                      lot_id: uuid.UUID | None = None) -> Page[Requirement]:
    """One page of the procurement's requirements in position order (needs in the same round
    trip: one more query for the page)."""
    reads(procurement_id)
    stmt = select(Requirement).where(Requirement.procurement_id == procurement_id)
    if lot_id is not None:
        stmt = stmt.where(Requirement.lot_id == lot_id)
    return keyset_page(stmt, [(Requirement.position, False), (Requirement.id, False)], limit=limit, cursor=cursor)


def all_requirements(procurement_id: uuid.UUID) -> list[Requirement]:
    """Every requirement of the procurement (pages, the export, traceability): at most
    `MAX_REQUIREMENTS` rows, two queries."""
    reads(procurement_id)
    return list(db.session.execute(select(Requirement).where(Requirement.procurement_id == procurement_id)
                                   .order_by(Requirement.position, Requirement.id)
                                   .limit(MAX_REQUIREMENTS)).scalars())


def get_requirement(requirement_id: uuid.UUID) -> Requirement:
    """One requirement; 404 when missing or its procurement is not visible to the caller."""
    requirement = db.session.get(Requirement, requirement_id)
    if requirement is None:
        raise NotFound(_l("No such requirement."))
    reads(requirement.procurement_id)
    return requirement


def _next_position(procurement_id: uuid.UUID) -> int:
    lock_for_write(Procurement, "id", procurement_id)
    count, highest = db.session.execute(select(func.count(Requirement.id), func.max(Requirement.position))
                                        .where(Requirement.procurement_id == procurement_id)).one()
    if count >= MAX_REQUIREMENTS:
        raise ValidationError(_l("A specification has at most %(max)d requirements.", max=MAX_REQUIREMENTS),
                              errors={"text": [_l("Too many requirements.")]})
    return (highest or 0) + 1


def _add(procurement_id: uuid.UUID, values: dict[str, Any], *, source: RequirementSource, source_ref: str = "",
         ref: str = "", user_id: uuid.UUID | None = None) -> Requirement:
    position = _next_position(procurement_id)
    need_ids = values.pop("needs", [])
    requirement = Requirement(procurement_id=procurement_id, position=position, source=source,
                              source_ref=source_ref, ref=ref or f"K-{position:03d}", created_by_id=user_id,
                              **values)
    requirement.needs = [RequirementNeed(need_id=nid, procurement_id=procurement_id) for nid in need_ids]
    db.session.add(requirement)
    db.session.flush()
    return requirement


def create_requirement(procurement_id: uuid.UUID, data: dict[str, Any]) -> Requirement:
    """An own requirement, or one picked from the library (`library_ref`: the library item's
    key; its title, text, kind and category are copied, and may be overridden)."""
    access = writes(procurement_id)
    data = dict(data)
    library_ref = data.pop("library_ref", None)
    source, source_ref, ref = RequirementSource.own, "", ""
    if library_ref:
        item = library_item(access.procurement, str(library_ref))
        base = {"title": item.title, "text": item.text, "kind": item.kind.value, "category": item.category}
        data = {**base, **{k: v for k, v in data.items() if v not in (None, "")}}
        source, source_ref, ref = RequirementSource.library, item.key, item.ref
    values = clean(procurement_id, data)
    requirement = _add(procurement_id, values, source=source, source_ref=source_ref, ref=ref,
                       user_id=access.principal.user.id)
    audit.record("requirement.created", "requirement", requirement.id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id, changes={"after": snapshot(requirement)})
    return requirement


def update_requirement(requirement_id: uuid.UUID, data: dict[str, Any], *, if_match_version: int | None = None,
                       expected_version: int | None = None) -> Requirement:
    requirement = get_requirement(requirement_id)
    access = writes(requirement.procurement_id)
    check_version(requirement.version, if_match=if_match_version, expected=expected_version,
                  refetch=_l("The requirement was changed since you read it; fetch it again."),
                  reopen=_l("The requirement was changed by someone else; open it again."))
    values = clean(requirement.procurement_id, data, partial=True)
    if "needs" not in values and not requirement.needs:
        raise ValidationError(_l("The requirement is not valid."),
                              errors={"needs": [_l("Choose at least one need the requirement answers.")]})
    before = snapshot(requirement)
    need_ids = values.pop("needs", None)
    for key, value in values.items():
        setattr(requirement, key, value)
    if need_ids is not None and set(need_ids) != set(requirement.need_ids):
        requirement.needs = [RequirementNeed(need_id=nid, procurement_id=requirement.procurement_id)
                             for nid in need_ids]
        requirement.version += 1 if not values else 0  # a change of the needs alone is a change too
    db.session.flush()
    audit.record("requirement.updated", "requirement", requirement.id, tenant_id=access.acting_tenant_id,
                 procurement_id=requirement.procurement_id, changes=audit.diff(before, snapshot(requirement)))
    return requirement


def delete_requirement(requirement_id: uuid.UUID, *, if_match_version: int | None = None) -> None:
    requirement = get_requirement(requirement_id)
    access = writes(requirement.procurement_id)
    check_version(requirement.version, if_match=if_match_version, expected=None,
                  refetch=_l("The requirement was changed since you read it; fetch it again."),
                  reopen=_l("The requirement was changed by someone else; open it again."))
    before = snapshot(requirement)
    db.session.delete(requirement)
    db.session.flush()
    audit.record("requirement.deleted", "requirement", requirement_id, tenant_id=access.acting_tenant_id,
                 procurement_id=requirement.procurement_id, changes={"before": before})


# --- the domain plugins' requirement libraries -------------------------------------------

def _library_item(domain: str, raw: Any) -> LibraryItem | None:
    if not isinstance(raw, dict) or not raw.get("ref") or not raw.get("text"):
        return None
    kind = KINDS_FROM_LIBRARY.get(str(raw.get("kind")), RequirementKind.absolute)
    return LibraryItem(key=f"{domain}:{raw['ref']}", ref=str(raw["ref"])[:80], title=str(raw.get("title") or "")[:300],
                       text=str(raw["text"])[:TEXT_MAX], kind=kind, category=str(raw.get("category") or "")[:80],
                       standards=tuple(str(s) for s in raw.get("standards") or ()))


def library(procurement: Procurement) -> list[LibraryItem]:
    """The requirement library for the procurement's domain from the plugins its lead enabled
    (the lead governs); empty for a procurement without a domain."""
    if not procurement.domain:
        return []
    items = []
    for result in call_for_tenant("samspill_requirement_library", procurement.lead_tenant_id,
                                  domain=procurement.domain):
        for raw in as_list(result):
            item = _library_item(procurement.domain, raw)
            if item is not None:
                items.append(item)
    return items


def library_item(procurement: Procurement, key: str) -> LibraryItem:
    item = next((i for i in library(procurement) if i.key == key), None)
    if item is None:
        raise ValidationError(_l("The requirement is not in this procurement's library."),
                              errors={"library_ref": [_l("Choose a requirement from the library.")]})
    return item


# --- seeding from the template ---------------------------------------------------------

def seed_from_template(procurement: Procurement, content: dict[str, Any]) -> int:
    """Copy the template's requirements (source `template`), each traced to the template needs
    it names by key (`needs`); one naming none is kept and shown as not traced yet. Returns the
    number copied. Called inside the transaction that starts the procurement."""
    raw_items = content.get("requirements") or []
    if not raw_items:
        return 0
    needs = list(db.session.execute(select(Need).where(Need.procurement_id == procurement.id)
                                    .order_by(Need.position)).scalars())
    by_key = {raw.get("key"): need for raw, need in zip(content.get("needs") or [], needs, strict=False)
              if raw.get("key")}
    for position, raw in enumerate(raw_items, start=1):
        requirement = Requirement(
            procurement_id=procurement.id, position=position, ref=str(raw.get("ref", ""))[:80],
            title=str(raw.get("title", ""))[:300], text=str(raw.get("text", "")),
            kind=KINDS_FROM_LIBRARY.get(raw.get("kind"), RequirementKind.absolute),
            category=str(raw.get("category", ""))[:80], source=RequirementSource.template,
            source_ref=str(raw.get("ref", ""))[:200], created_by_id=procurement.created_by_id)
        linked = [by_key[key] for key in dict.fromkeys(raw.get("needs") or []) if key in by_key]
        requirement.needs = [RequirementNeed(need_id=need.id, procurement_id=procurement.id) for need in linked]
        db.session.add(requirement)
    db.session.flush()
    return len(raw_items)
