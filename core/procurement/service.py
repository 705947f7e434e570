"""Rules for procurements themselves: create, list, read, update (optimistic concurrency).

Gates and phases live in `gates.py`, needs in `needs.py`, the project group and joint
procurements in `participants.py`, attachments in `attachments.py`, the protocol in
`protocol.py`. Plugins extend a procurement through `extension` (namespaced JSON), checked by
`validate_extension` with the validators of the hook `samspill_extension_validators`. Lifecycle
events go to the plugins in one call: `emit` is `core.plugin_platform.host.emit`.
"""

from __future__ import annotations

import inspect
import logging
import uuid
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, load_only
from sqlalchemy.orm.exc import StaleDataError

from core import audit
from core.access import require_tenant_role
from core.api.preconditions import check_version
from core.auth import current_principal
from core.db import db, utcnow
from core.errors import Conflict, Frozen, ValidationError
from core.i18n import _l
from core.pagination import Page, after_bound, after_params, keyset_page, page_of
from core.plugin_platform.host import current_host, emit
from core.procurement import fields
from core.procurement.access import Action, caller_tenant_ids, require, visible_procurement_ids
from core.procurement.models import (
    ParticipantRole,
    Participation,
    ParticipationStatus,
    Phase,
    Procurement,
    ProjectMember,
    ProjectRole,
)
from tenants.models import Tenant, TenantRole

log = logging.getLogger(__name__)

# Fields a caller may set on create and update, and the function that cleans each.
EDITABLE_FIELDS = {
    "title": fields.clean_title,
    "description": fields.clean_description,
    "domain": fields.clean_domain,
    "estimated_value_ore": fields.clean_value_ore,
    "procedure": fields.clean_procedure,
    "contract_kind": fields.clean_contract_kind,
    "cpv_codes": fields.clean_cpv_codes,
    "key_dates": fields.clean_key_dates,
    "milestones": fields.clean_milestones,
}
AUDITED_FIELDS = (*EDITABLE_FIELDS, "extension", "phase", "status", "lead_tenant_id")


def snapshot(procurement: Procurement) -> dict[str, Any]:
    """The audited state of a procurement (for before/after diffs)."""
    return {name: getattr(procurement, name) for name in AUDITED_FIELDS}


def _takes_procurement(validator) -> bool:
    try:
        params = [p for p in inspect.signature(validator).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return False
    return len(params) >= 2


def validate_extension(procurement: Procurement | None, data: Any) -> dict[str, Any]:
    """Namespaced plugin data: {namespace: {...}}; each namespace needs a validator from the hook
    `samspill_extension_validators` (`{namespace: validator}`), called as `validator(data)` or
    `validator(procurement, data)` and returning the cleaned data (or raising ValidationError)."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ValidationError(_l("extension must be an object."), errors={"extension": [_l("An object is expected.")]})
    validators = {namespace: validator
                  for found in current_host().call("samspill_extension_validators")
                  for namespace, validator in (found or {}).items()}
    cleaned: dict[str, Any] = {}
    for namespace, value in data.items():
        validator = validators.get(namespace)
        if validator is None:
            raise ValidationError(_l("Unknown extension namespace %(namespace)s.", namespace=namespace),
                                  errors={"extension": [_l("No plugin validates %(namespace)s.", namespace=namespace)]})
        try:
            cleaned[namespace] = validator(procurement, value) if _takes_procurement(validator) else validator(value)
        except ValidationError as exc:
            raise ValidationError(exc.detail, errors={"extension": {namespace: exc.errors or [exc.detail]}}) from None
    return cleaned


def clean_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Clean every given editable field; collects all field errors into one ValidationError."""
    cleaned, errors = {}, {}
    for name, value in data.items():
        if name not in EDITABLE_FIELDS:
            continue
        try:
            cleaned[name] = EDITABLE_FIELDS[name](value)
        except ValidationError as exc:
            for key, messages in exc.errors.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(_l("Some fields are invalid."), errors=errors)
    return cleaned


def ensure_active(procurement: Procurement) -> None:
    if not procurement.is_active:
        raise Frozen(_l("The procurement is completed or cancelled and can no longer be changed."))


def create_procurement(tenant: Tenant, *, title: str, description: str = "", extension: Any = None,
                       **data: Any) -> Procurement:
    """A new procurement led by `tenant`; the creator joins the project group as lead."""
    principal = require_tenant_role(tenant.id, TenantRole.officer)
    unknown = set(data) - set(EDITABLE_FIELDS) - {"template_version_id", "custom_gate_items"}
    if unknown:
        raise ValidationError(_l("Unknown fields."), errors={k: [_l("Unknown field.")] for k in sorted(unknown)})
    values = clean_fields({"title": title, "description": description,
                           **{k: v for k, v in data.items() if k in EDITABLE_FIELDS}})
    procurement = Procurement(lead_tenant_id=tenant.id, created_by_id=principal.user.id, **values,
                              template_version_id=data.get("template_version_id"),
                              custom_gate_items=list(data.get("custom_gate_items") or []))
    procurement.extension = validate_extension(procurement, extension)
    db.session.add(procurement)
    db.session.flush()
    db.session.add(Participation(procurement_id=procurement.id, tenant_id=tenant.id,
                                 role=ParticipantRole.lead, status=ParticipationStatus.active,
                                 responded_at=utcnow(), procurement_created_at=procurement.created_at))
    db.session.add(ProjectMember(procurement_id=procurement.id, user_id=principal.user.id,
                                 tenant_id=tenant.id, role=ProjectRole.lead))
    audit.record("procurement.created", "procurement", procurement.id, tenant_id=tenant.id,
                 procurement_id=procurement.id, changes={"after": snapshot(procurement)})
    emit("procurement_created", procurement)
    return procurement


# What a list row shows (API summary, list page, dashboard panel): the JSON columns (CPV codes,
# key dates, milestones, gate items, extension data) are not decoded for every row of a page.
SUMMARY_COLUMNS = (
    load_only(Procurement.id, Procurement.title, Procurement.phase, Procurement.status,
              Procurement.created_at, Procurement.version, Procurement.lead_tenant_id, Procurement.dialogue_open),
    joinedload(Procurement.lead_tenant).load_only(Tenant.id, Tenant.slug, Tenant.name),
)


def list_page(tenant: Tenant, *, cursor: str | None = None, limit: int = 20) -> Page:
    """Procurements the tenant leads or actively takes part in, newest first, one query.

    Items are rows (Procurement, the tenant's part in it)."""
    require_tenant_role(tenant.id, TenantRole.viewer)
    ids = caller_tenant_ids(current_principal()) & {tenant.id}
    stmt = (
        select(Procurement, Participation.role.label("part"))
        .join(Participation, Participation.procurement_id == Procurement.id)
        .where(Participation.tenant_id.in_(list(ids)), Participation.status == ParticipationStatus.active)
        .options(*SUMMARY_COLUMNS)
    )
    # Ordered by the participation's copy of the creation time: the index walk stops after a page.
    return keyset_page(stmt, [(Participation.procurement_created_at, True), (Participation.procurement_id, True)],
                       limit=limit, cursor=cursor, scalars=False,
                       key=lambda row: [row.Procurement.created_at, row.Procurement.id])


_procurements, _participations, _tenants = Procurement.__table__, Participation.__table__, Tenant.__table__
_SUMMARY_ORDER = (_participations.c.procurement_created_at, _participations.c.procurement_id)
# Built once: a Core statement of plain columns, bound per call (tenant, limit, cursor). Neither
# table is tenant-owned (`core.isolation`); a tenant sees the rows of its active participations,
# and on PostgreSQL row-level security filters them again.
_SUMMARY = (
    select(_procurements.c.id, _procurements.c.title, _procurements.c.phase, _procurements.c.status,
           _procurements.c.created_at, _procurements.c.version, _tenants.c.slug.label("lead_slug"),
           _tenants.c.name.label("lead_name"), _participations.c.role.label("part"))
    .select_from(_procurements
                 .join(_participations, _participations.c.procurement_id == _procurements.c.id)
                 .join(_tenants, _tenants.c.id == _procurements.c.lead_tenant_id))
    .where(_participations.c.tenant_id == bindparam("tenant_id"),
           _participations.c.status == ParticipationStatus.active)
    .order_by(*[column.desc() for column in _SUMMARY_ORDER])
    .limit(bindparam("limit"))
)
_SUMMARY_AFTER = _SUMMARY.where(after_bound(_SUMMARY_ORDER, descending=True))


def list_summary_page(tenant: Tenant, *, cursor: str | None = None, limit: int = 20) -> Page:
    """The rows of `list_page` (same order, filter and cursors) as plain rows of the columns the
    API's list shows — `id`, `title`, `phase`, `status`, `created_at`, `version`, `lead_slug`,
    `lead_name`, `part` — so no ORM entity is built for them (the API list and the dashboard)."""
    require_tenant_role(tenant.id, TenantRole.viewer)
    params = after_params(cursor, _SUMMARY_ORDER) if cursor else {}
    if tenant.id not in caller_tenant_ids(current_principal()):
        return Page(items=[], next_cursor=None, limit=limit)
    params.update(tenant_id=tenant.id, limit=limit + 1)
    rows = db.session.connection().execute(_SUMMARY_AFTER if cursor else _SUMMARY, params).all()
    return page_of(rows, limit, key=lambda row: [row.created_at, row.id])


def list_for_tenant(tenant: Tenant, limit: int = 50, phase: Phase | None = None) -> list[Procurement]:
    """Procurements the tenant leads or actively takes part in (in `phase`, if given), newest first."""
    require_tenant_role(tenant.id, TenantRole.viewer)
    ids = caller_tenant_ids(current_principal()) & {tenant.id}
    stmt = select(Procurement).where(Procurement.id.in_(visible_procurement_ids(ids))).options(*SUMMARY_COLUMNS)
    if phase is not None:
        stmt = stmt.where(Procurement.phase == phase)
    return list(db.session.execute(
        stmt.order_by(Procurement.created_at.desc(), Procurement.id.desc()).limit(limit)
    ).scalars())


def get(procurement_id: uuid.UUID) -> Procurement:
    return require(procurement_id).procurement


def update_procurement(procurement_id: uuid.UUID, changes: dict[str, Any], *,
                       expected_version: int | None = None, if_match_version: int | None = None) -> Procurement:
    """Change fields of a procurement, refusing to overwrite someone else's newer change.

    `expected_version` (a `version` field sent back) → 409 when stale; `if_match_version` (from
    an `If-Match` ETag) → 412 when stale. A concurrent writer caught at flush time → 409.
    """
    access = require(procurement_id, Action.write)
    procurement = access.procurement
    ensure_active(procurement)
    check_version(procurement.version, if_match=if_match_version, expected=expected_version,
                  refetch=_l("The procurement was changed by someone else; fetch it again."),
                  reopen=_l("The procurement was changed by someone else since you opened it."))
    unknown = set(changes) - set(EDITABLE_FIELDS) - {"extension"}
    if unknown:
        raise ValidationError(_l("These fields cannot be changed here."),
                              errors={k: [_l("Not editable.")] for k in sorted(unknown)})
    before = snapshot(procurement)
    values = clean_fields(changes)
    if "extension" in changes:
        merged = dict(procurement.extension or {})
        patch = changes["extension"]
        if not isinstance(patch, dict):
            raise ValidationError(_l("extension must be an object."),
                                  errors={"extension": [_l("An object is expected.")]})
        for namespace, value in patch.items():
            if value is None:
                merged.pop(namespace, None)
            else:
                merged[namespace] = value
        values["extension"] = validate_extension(procurement, merged)
    for name, value in values.items():
        setattr(procurement, name, value)
    after = snapshot(procurement)
    change = audit.diff(before, after)
    if not change["after"]:
        return procurement
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_l("The procurement was changed by someone else at the same time; try again.")) from None
    audit.record("procurement.updated", "procurement", procurement.id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement.id, changes=change)
    return procurement
