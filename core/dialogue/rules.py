"""Who may touch the dialogue, and the freeze — decided here for every dialogue service.

- Project group (every participant tenant's members, by procurement role): through
  `core.procurement.access.require(procurement_id, Action.read|write)`.
- Suppliers: only when the procurement's dialogue is open, and most things only once their
  organisation is registered in it. Supplier-facing reads always name the supplier
  explicitly; nothing relies on tenant scope (suppliers have none).
- The freeze: `refuse_if_frozen()` is the ONE check that makes dialogue artefacts read-only
  once the competition is announced (or the procurement is closed). Every write path goes
  through `group_writes()` or `supplier_writes()`, which call it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from core.db import db
from core.dialogue.models import DialogueRegistration
from core.errors import Frozen, NotFound
from core.i18n import _l
from core.procurement.access import Action, ProcurementAccess, require
from core.procurement.models import Procurement, ProcurementStatus
from core.suppliers.service import SupplierContext, require_supplier, supplier_context


def refuse_if_frozen(procurement: Procurement) -> None:
    """Every dialogue write: refused once the competition is announced or the procurement closed."""
    if procurement.is_frozen_for_dialogue or procurement.status != ProcurementStatus.active:
        raise Frozen(_l("The market dialogue is closed: its records are read-only now."))


def group_reads(procurement_id: uuid.UUID) -> ProcurementAccess:
    """A project-group member (any participant tenant) reading the dialogue."""
    return require(procurement_id, Action.read)


def group_writes(procurement_id: uuid.UUID, action: Action = Action.write) -> ProcurementAccess:
    """A project-group member changing the dialogue (refused after the freeze)."""
    access = require(procurement_id, action)
    refuse_if_frozen(access.procurement)
    return access


@dataclass(frozen=True)
class SupplierInDialogue:
    """A supplier acting in one procurement's dialogue."""

    context: SupplierContext
    procurement: Procurement
    registration: DialogueRegistration | None

    @property
    def supplier_id(self) -> uuid.UUID:
        return self.context.supplier_id


def _check_open(procurement: Procurement | None) -> Procurement:
    if procurement is None or not procurement.dialogue_open:
        raise NotFound(_l("No such market dialogue."))
    return procurement


def _open_procurement(procurement_id: uuid.UUID) -> Procurement:
    return _check_open(db.session.get(Procurement, procurement_id))


def registration_of(procurement_id: uuid.UUID, supplier_id: uuid.UUID) -> DialogueRegistration | None:
    return db.session.execute(select(DialogueRegistration).where(
        DialogueRegistration.procurement_id == procurement_id,
        DialogueRegistration.supplier_id == supplier_id)).scalar_one_or_none()


def _in_dialogue(context: SupplierContext, procurement: Procurement, registration: DialogueRegistration | None,
                 registered: bool) -> SupplierInDialogue:
    if registered and registration is None:
        raise NotFound(_l("Register for the market dialogue first."))
    return SupplierInDialogue(context, procurement, registration)


def supplier_reads(procurement_id: uuid.UUID, *, registered: bool = True) -> SupplierInDialogue:
    """A supplier reading an open dialogue; most pages need its registration (else 404)."""
    context = require_supplier()
    procurement = _open_procurement(procurement_id)
    return _in_dialogue(context, procurement, registration_of(procurement_id, context.supplier_id), registered)


def supplier_writes(procurement_id: uuid.UUID, *, registered: bool = True) -> SupplierInDialogue:
    """A supplier acting in an open dialogue (refused after the freeze)."""
    actor = supplier_reads(procurement_id, registered=registered)
    refuse_if_frozen(actor.procurement)
    return actor


def supplier_writes_read(procurement: Procurement | None,
                         registration: DialogueRegistration | None) -> SupplierInDialogue:
    """`supplier_writes` on the procurement and the caller's registration the caller read
    together with its own object (one statement on a hot path): the same checks in the same
    order — supplier, open dialogue, registration, freeze."""
    context = require_supplier()
    actor = _in_dialogue(context, _check_open(procurement), registration, True)
    refuse_if_frozen(actor.procurement)
    return actor


@dataclass(frozen=True)
class Reader:
    """Either the project group or a registered supplier, for pages both sides read."""

    group: ProcurementAccess | None = None
    supplier: SupplierInDialogue | None = None

    @property
    def procurement(self) -> Procurement:
        return self.group.procurement if self.group else self.supplier.procurement


def reader(procurement_id: uuid.UUID, *, prefer_supplier: bool = False) -> Reader:
    """The project group if the caller belongs to it, else the caller's registered supplier.

    `prefer_supplier` is used by supplier-portal pages, where a person who is both sees the
    supplier's view.
    """
    if prefer_supplier and supplier_context() is not None:
        return Reader(supplier=supplier_reads(procurement_id))
    try:
        return Reader(group=group_reads(procurement_id))
    except NotFound:
        if supplier_context() is None:
            raise
    return Reader(supplier=supplier_reads(procurement_id))
