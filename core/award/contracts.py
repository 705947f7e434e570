"""One contract per buyer: made with the award decision (each buyer and the lead, per chosen lot),
filled in and signed by that buyer.

- Who sees: the lead (manage access) sees all; the people of a buyer (or the lead tenant) see
  their own tenant's; observers and everyone else none (404 on one contract).
- Who writes: officers/admins of the contract's tenant, and the lead for anything but the
  signature. Signing needs the standstill to have ended and not be suspended by a complaint.
- The gate item "Each buyer has signed its contract" is met once every contract has a signed date.
"""

from __future__ import annotations

import uuid
from typing import Any, BinaryIO

from sqlalchemy import Select, func, select

from core import audit
from core.award import inputs, standstill
from core.award.decision import decision_of
from core.award.models import Contract
from core.db import db
from core.deadlines import database_now
from core.errors import Conflict, Forbidden, NotFound, ValidationError
from core.i18n import _l
from core.pagination import Page, keyset_page
from core.plugin_platform import host as plugin_manager
from core.procurement import attachments
from core.procurement.access import Action, ProcurementAccess, access_for, require
from core.procurement.models import Attachment, ParticipantRole
from core.procurement.service import ensure_active
from tenants.models import ROLE_RANK, TenantRole

MAX_OPTIONS = 20
MAX_LIST = 200


def _own_tenants(access: ProcurementAccess) -> set[uuid.UUID]:
    return {tid for tid, part in access.participations.items()
            if part in (ParticipantRole.lead, ParticipantRole.buyer)}


def _sees_all(access: ProcurementAccess) -> bool:
    return access.can(Action.manage)


def _visible(procurement_id: uuid.UUID) -> Select:
    access = require(procurement_id, Action.read)
    stmt = select(Contract).where(Contract.procurement_id == procurement_id)
    if not _sees_all(access):
        stmt = stmt.where(Contract.tenant_id.in_(list(_own_tenants(access))))
    return stmt


def list_contracts(procurement_id: uuid.UUID) -> list[Contract]:
    """The contracts the caller may see, oldest first (at most `MAX_LIST`, for pages)."""
    stmt = _visible(procurement_id)
    return list(db.session.execute(stmt.order_by(Contract.created_at, Contract.id).limit(MAX_LIST)).scalars())


def page_contracts(procurement_id: uuid.UUID, cursor: str | None, limit: int) -> Page:
    """One keyset page of the contracts the caller may see, oldest first."""
    return keyset_page(_visible(procurement_id), [(Contract.created_at, False), (Contract.id, False)],
                       limit=limit, cursor=cursor)


def _readable(contract_id: uuid.UUID) -> tuple[ProcurementAccess, Contract]:
    contract = db.session.get(Contract, contract_id)
    if contract is None:
        raise NotFound(_l("No such contract."))
    access = access_for(contract.procurement_id)
    if not (_sees_all(access) or contract.tenant_id in _own_tenants(access)):
        raise NotFound(_l("No such contract."))
    return access, contract


def get(contract_id: uuid.UUID) -> Contract:
    return _readable(contract_id)[1]


def _officer_of(access: ProcurementAccess, tenant_id: uuid.UUID) -> bool:
    role = access.principal.role_in(tenant_id)
    return tenant_id in access.participations and role is not None and ROLE_RANK[role] >= ROLE_RANK[TenantRole.officer]


def signs(access: ProcurementAccess, contract: Contract) -> bool:
    """Whether the caller signs this contract (an officer of its buyer), for the sign form."""
    return _officer_of(access, contract.tenant_id)


def _options(raw: Any, errors: dict) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or len(raw) > MAX_OPTIONS:
        errors["options"] = [_l("At most %(max)d options.", max=MAX_OPTIONS)]
        return []
    result = []
    for i, item in enumerate(raw):
        item = inputs.body(item)
        item_errors: dict[str, list] = {}
        description = inputs.text(item, "description", item_errors, maximum=500)
        exercise_by = inputs.day(item, "exercise_by", item_errors)
        remind = item.get("remind_days", 30)
        if isinstance(remind, bool) or not isinstance(remind, int) or not 0 <= remind <= 365:
            item_errors["remind_days"] = [_l("From 0 to 365 days.")]
        if exercise_by is None and "exercise_by" not in item_errors:
            item_errors["exercise_by"] = [_l("A date (YYYY-MM-DD).")]
        for key, messages in item_errors.items():
            errors[f"options.{i}.{key}"] = messages
        if not item_errors:
            result.append({"description": description, "exercise_by": exercise_by.isoformat(),
                           "remind_days": remind})
    return result


def update(contract_id: uuid.UUID, data: Any) -> Contract:
    access, contract = _readable(contract_id)
    ensure_active(access.procurement)  # completed or cancelled: read-only
    own = _officer_of(access, contract.tenant_id)
    if not (own or _sees_all(access)):
        raise Forbidden(_l("Only the buyer's officers or the lead can change this contract."))
    data = inputs.body(data)
    errors: dict[str, list] = {}
    changes: dict[str, Any] = {}
    if "value_ore" in data:
        changes["value_ore"] = inputs.amount_ore(data, "value_ore", errors)
    for key in ("starts_on", "ends_on"):
        if key in data:
            changes[key] = inputs.day(data, key, errors)
    if "options" in data:
        changes["options"] = _options(data["options"], errors)
    if "document_id" in data:
        document = db.session.get(Attachment, inputs.uuid_or_none(data["document_id"]) or uuid.uuid4())
        if document is None or document.procurement_id != contract.procurement_id:
            errors["document_id"] = [_l("Attach the signed document to the procurement first.")]
        changes["document_id"] = document.id if document else None
    if "signed_on" in data:
        changes["signed_on"] = inputs.day(data, "signed_on", errors)
    starts, ends = changes.get("starts_on", contract.starts_on), changes.get("ends_on", contract.ends_on)
    if starts and ends and ends < starts:
        errors["ends_on"] = [_l("The end is after the start.")]
    if errors:
        raise ValidationError(_l("Some fields are invalid."), errors=errors)
    if "signed_on" in changes:
        if not own:
            raise Forbidden(_l("Only the buyer's own officers sign its contract."))
        if changes["signed_on"] is not None:
            reason = standstill.blocking(decision_of(contract.procurement_id), database_now(db.session))
            if reason is not None:
                raise Conflict(reason)
        contract.signed_by_id = access.principal.user.id if changes["signed_on"] else None
    for key, value in changes.items():
        setattr(contract, key, value)
    db.session.flush()
    shown = {k: (v.isoformat() if hasattr(v, "isoformat") else str(v) if isinstance(v, uuid.UUID) else v)
             for k, v in changes.items()}
    audit.record("award.contract_signed" if changes.get("signed_on") else "award.contract_changed", "award_contract",
                 contract.id, tenant_id=contract.tenant_id, procurement_id=contract.procurement_id,
                 changes={"after": {"buyer": contract.tenant.name, **shown}})
    if contract.signed_on is not None:
        # A signed contract is a public fact (after the standstill): publication stores its OCDS
        # contract release for the open-data feed in this transaction.
        plugin_manager.emit("artefact_published", access.procurement, artefact_type="contract", artefact=contract)
    return contract


def sign(contract_id: uuid.UUID, signed_on: Any, stream: BinaryIO | None = None, filename: str = "") -> Contract:
    """The buyer's officer signs its contract (the date) and may attach the signed document; the
    file is stored only once the signature is accepted (the form's one transaction)."""
    contract = update(contract_id, {"signed_on": signed_on})
    if stream is not None and filename:
        document = attachments.upload(contract.procurement_id, stream, filename)
        contract = update(contract_id, {"document_id": str(document.id)})
    return contract


def add(procurement_id: uuid.UUID, data: Any) -> Contract:
    """The lead adds a buyer's contract for a chosen lot (e.g. a buyer that joined late)."""
    access = require(procurement_id, Action.manage)
    ensure_active(access.procurement)
    decision = decision_of(procurement_id)
    if decision is None:
        raise Conflict(_l("No award decision is made."))
    data = inputs.body(data)
    tenant_id = inputs.uuid_or_none(data.get("tenant_id"))
    buyers = {p.tenant_id for p in access.all_participations
              if p.role in (ParticipantRole.lead, ParticipantRole.buyer) and p.status.value == "active"}
    errors: dict[str, list] = {}
    if tenant_id not in buyers:
        errors["tenant_id"] = [_l("Choose a buyer of this procurement.")]
    lot = data.get("lot_id") or None
    winner = next((w for w in decision.winners if w["lot_id"] == (str(lot) if lot else None)), None)
    if winner is None:
        errors["lot_id"] = [_l("Choose a lot with an award.")]
    if errors:
        raise ValidationError(_l("Some fields are invalid."), errors=errors)
    lot_id = uuid.UUID(winner["lot_id"]) if winner["lot_id"] else None
    same_lot = Contract.lot_id == lot_id if lot_id else Contract.lot_id.is_(None)
    exists = db.session.execute(select(Contract.id).where(
        Contract.procurement_id == procurement_id, Contract.tenant_id == tenant_id, same_lot)).first()
    if exists:
        raise Conflict(_l("This buyer already has a contract for this lot."))
    contract = Contract(procurement_id=procurement_id, tenant_id=tenant_id, lot_id=lot_id, options=[],
                        supplier_id=uuid.UUID(winner["supplier_id"]))
    db.session.add(contract)
    db.session.flush()
    audit.record("award.contract_added", "award_contract", contract.id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id, changes={"after": {"buyer": contract.tenant.name}})
    return contract


def start_of(procurement_id: uuid.UUID, tenant_id: uuid.UUID):
    """The earliest start among `tenant_id`'s *signed* contracts in the procurement (the start
    date, or the signing date when none is set), or None while no contract is signed."""
    return db.session.execute(select(func.min(func.coalesce(Contract.starts_on, Contract.signed_on))).where(
        Contract.procurement_id == procurement_id, Contract.tenant_id == tenant_id,
        Contract.signed_on.is_not(None))).scalar()
