"""Complaints (klage) on the award decision.

- A tenderer that got a letter files a complaint in the portal while the standstill runs.
- The project group sees every complaint; the lead suspends the standstill (no contract is
  signed and the contract phase is refused while suspended), answers, and resumes — or changes
  the decision (`decision.decide`), which sends new letters and starts a new standstill.
- Every step is audited and so in the procurement protocol; a tenderer sees only its own.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask_babel import gettext
from sqlalchemy import Select, select

from core import audit, isolation
from core.award import committee, inputs
from core.award.assessment import supplier_people
from core.award.decision import decision_of, own_letter
from core.award.models import AwardDecision, Complaint, ComplaintStatus
from core.db import db
from core.deadlines import database_now
from core.dialogue.audience import project_group_people
from core.errors import Conflict, NotFound, ValidationError
from core.i18n import _l
from core.notifications.service import notify
from core.pagination import Page, keyset_page
from core.procurement.access import Action, require
from core.procurement.models import Procurement
from core.suppliers.service import require_supplier, supplier_context

MAX_LIST = 200
ORDER = [(Complaint.created_at, False), (Complaint.id, False)]


def _caller_stmt(procurement_id: uuid.UUID) -> tuple[Select, bool]:
    """The complaints the caller may read and whether the caller is the project group: the group
    every complaint, a tenderer its own (404 for anyone else)."""
    try:
        require(procurement_id, Action.read)
        return select(Complaint).where(Complaint.procurement_id == procurement_id), True
    except NotFound:
        if supplier_context() is None:
            raise
    context = require_supplier()
    if own_letter(procurement_id, context.supplier_id) is None:
        raise NotFound(_l("No such procurement."))
    return select(Complaint).where(Complaint.procurement_id == procurement_id,
                                   Complaint.supplier_id == context.supplier_id), False


def list_for_caller(procurement_id: uuid.UUID) -> list[Complaint]:
    """The complaints the caller may read, oldest first (at most `MAX_LIST`, for pages)."""
    stmt, _group = _caller_stmt(procurement_id)
    return list(db.session.execute(stmt.order_by(Complaint.created_at, Complaint.id).limit(MAX_LIST)).scalars())


def page_for_caller(procurement_id: uuid.UUID, cursor: str | None, limit: int) -> tuple[Page, bool]:
    """One keyset page of the complaints the caller may read, oldest first, and whether the caller
    is the project group (who sees the tenderers' names)."""
    stmt, group = _caller_stmt(procurement_id)
    return keyset_page(stmt, ORDER, limit=limit, cursor=cursor), group


def _decision_for_supplier(procurement_id: uuid.UUID) -> AwardDecision | None:
    with isolation.system_scope():  # the standstill's end is in the tenderer's own letter
        return decision_of(procurement_id)


def _standstill_running(decision: AwardDecision | None) -> bool:
    return (decision is not None and decision.standstill_ends_at is not None
            and database_now(db.session) < decision.standstill_ends_at)


def may_file(procurement_id: uuid.UUID) -> bool:
    """Whether the calling tenderer may file a complaint now (for the portal's form)."""
    return _standstill_running(_decision_for_supplier(procurement_id))


def file(procurement_id: uuid.UUID, data: Any) -> Complaint:
    """A tenderer's complaint, during the standstill only."""
    context = require_supplier()
    letter = own_letter(procurement_id, context.supplier_id)
    if letter is None:
        raise NotFound(_l("No such procurement."))
    if not _standstill_running(_decision_for_supplier(procurement_id)):
        raise Conflict(_l("Complaints are filed during the standstill period."))
    errors: dict[str, list] = {}
    text = inputs.text(inputs.body(data), "text", errors, minimum=10)
    if errors:
        raise ValidationError(_l("Write the complaint."), errors=errors)
    complaint = Complaint(procurement_id=procurement_id, supplier_id=context.supplier_id, text=text,
                          filed_by_id=context.user.id)
    db.session.add(complaint)
    db.session.flush()
    with isolation.system_scope():
        title = db.session.get(Procurement, procurement_id).title
        audit.record("award.complaint_filed", "award_complaint", complaint.id, procurement_id=procurement_id,
                     changes={"after": {"tenderer": letter.supplier.name, "text": text}})
    notify(project_group_people(procurement_id),
           lambda: gettext("A complaint in %(title)s", title=title),
           lambda: gettext("A tenderer has complained about the award decision in %(title)s. Read it and decide "
                           "whether to suspend the standstill period.", title=title))
    return complaint


def act(procurement_id: uuid.UUID, data: Any) -> AwardDecision | Complaint:
    """The lead: `{"action": "suspend"|"resume"}` on the standstill, or `{"action": "answer",
    "complaint_id", "answer"}` (the tenderer is told)."""
    access = committee.require_lead(procurement_id)
    if not access.procurement.is_active:
        raise Conflict(_l("The procurement is completed or cancelled."))
    data = inputs.body(data)
    action = data.get("action")
    decision = decision_of(procurement_id)
    if decision is None:
        raise Conflict(_l("No award decision is made."))
    if action in ("suspend", "resume"):
        if (action == "suspend") == (decision.suspended_at is not None):
            raise Conflict(_l("The standstill period is already suspended.") if action == "suspend"
                           else _l("The standstill period is not suspended."))
        decision.suspended_at = database_now(db.session) if action == "suspend" else None
        db.session.flush()
        audit.record(f"award.standstill_{action}ed", "award_decision", decision.id,
                     tenant_id=access.acting_tenant_id, procurement_id=procurement_id,
                     changes={"after": {"suspended": action == "suspend"}})
        return decision
    if action != "answer":
        raise ValidationError(_l("Choose what to do."), errors={"action": [_l("suspend, resume or answer.")]})
    complaint = db.session.get(Complaint, inputs.uuid_or_none(data.get("complaint_id")) or uuid.uuid4())
    if complaint is None or complaint.procurement_id != procurement_id:
        raise NotFound(_l("No such complaint."))
    errors: dict[str, list] = {}
    answer = inputs.text(data, "answer", errors, minimum=10)
    if errors:
        raise ValidationError(_l("Write the answer."), errors=errors)
    complaint.answer, complaint.status = answer, ComplaintStatus.answered
    complaint.answered_at, complaint.answered_by_id = database_now(db.session), access.principal.user.id
    db.session.flush()
    audit.record("award.complaint_answered", "award_complaint", complaint.id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id,
                 changes={"after": {"tenderer": complaint.supplier.name, "answer": answer}})
    title = access.procurement.title
    notify(supplier_people(complaint.supplier_id),
           lambda: gettext("Answer to your complaint in %(title)s", title=title),
           lambda: gettext("The contracting authority has answered your complaint in %(title)s:\n\n%(answer)s",
                           title=title, answer=answer))
    return complaint
