"""Contract follow-up: meetings with minutes, deviations (avvik) with severity, owner, deadline
and closing, and the contracts' option deadlines (the award package sends their reminders).

Who sees a contract's follow-up is who sees the contract (`core.award.contracts`): that buyer's
people and the lead. Who writes: that buyer's members and up, and the lead's managers. Like the
benefits, follow-up goes on after the procurement is completed (not frozen); a cancelled
procurement takes nothing more.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from core import audit
from core.award import contracts as contract_service
from core.award.models import Contract
from core.benefits.models import SEVERITIES, Deviation, FollowUpMeeting
from core.benefits.service import OSLO, parse_date
from core.db import db
from core.errors import Conflict, Forbidden, NotFound, ValidationError
from core.i18n import _l
from core.procurement.access import Action, ProcurementAccess, require
from core.procurement.models import ProcurementStatus
from tenants.models import ROLE_RANK, TenantRole

MAX_ITEMS = 200


@dataclass
class OptionDeadline:
    description: str
    exercise_by: date
    remind_on: date

    @property
    def passed(self) -> bool:
        return self.exercise_by < datetime.now(OSLO).date()


@dataclass
class ContractFollowUp:
    contract: Contract
    meetings: list[FollowUpMeeting] = field(default_factory=list)
    deviations: list[Deviation] = field(default_factory=list)
    options: list[OptionDeadline] = field(default_factory=list)
    writable: bool = False

    @property
    def open_deviations(self) -> list[Deviation]:
        return [d for d in self.deviations if d.closed_on is None]


def options_of(contract: Contract) -> list[OptionDeadline]:
    found = []
    for option in contract.options or []:
        try:
            by = date.fromisoformat(str(option.get("exercise_by")))
        except (TypeError, ValueError):
            continue
        days = option.get("remind_days") if isinstance(option.get("remind_days"), int) else 30
        found.append(OptionDeadline(str(option.get("description") or ""), by, by - timedelta(days=max(days, 0))))
    return sorted(found, key=lambda o: o.exercise_by)


def _may_write(access: ProcurementAccess, contract: Contract) -> bool:
    if access.can(Action.manage):
        return True
    role = access.principal.role_in(contract.tenant_id)
    return (contract.tenant_id in access.participations and role is not None
            and ROLE_RANK[role] >= ROLE_RANK[TenantRole.member])


def follow_up(procurement_id: uuid.UUID) -> list[ContractFollowUp]:
    """The contracts the caller may see, each with its meetings, deviations and options (four
    queries: access, contracts, meetings, deviations)."""
    access = require(procurement_id)
    visible = contract_service.list_contracts(procurement_id)
    ids = [c.id for c in visible]
    meetings: dict[uuid.UUID, list] = {}
    deviations: dict[uuid.UUID, list] = {}
    if ids:
        for m in db.session.execute(select(FollowUpMeeting).where(FollowUpMeeting.contract_id.in_(ids))
                                    .order_by(FollowUpMeeting.held_on.desc()).limit(MAX_ITEMS)).scalars():
            meetings.setdefault(m.contract_id, []).append(m)
        for d in db.session.execute(select(Deviation).where(Deviation.contract_id.in_(ids))
                                    .order_by(Deviation.deadline, Deviation.id).limit(MAX_ITEMS)).scalars():
            deviations.setdefault(d.contract_id, []).append(d)
    return [ContractFollowUp(c, meetings.get(c.id, []), deviations.get(c.id, []), options_of(c), _may_write(access, c))
            for c in visible]


def _writable_contract(procurement_id: uuid.UUID, contract_id: Any) -> tuple[ProcurementAccess, Contract]:
    access = require(procurement_id)
    try:
        contract_uuid = uuid.UUID(str(contract_id))
    except ValueError:
        raise NotFound(_l("No such contract.")) from None
    contract = contract_service.get(contract_uuid)  # 404 for a contract the caller may not see
    if contract.procurement_id != access.procurement.id:
        raise NotFound(_l("No such contract."))
    if access.procurement.status == ProcurementStatus.cancelled:
        raise Conflict(_l("The procurement is cancelled; no more follow-up is recorded."))
    if not _may_write(access, contract):
        raise Forbidden(_l("Only the contract's municipality and the lead record its follow-up."))
    return access, contract


def _text(data: dict, name: str, limit: int, errors: dict, *, required: bool = True) -> str:
    text = str(data.get(name) or "").strip()
    if len(text) > limit:
        errors[name] = [_l("At most %(max)d characters.", max=limit)]
    elif required and not text:
        errors[name] = [_l("Fill in this field.")]
    return text


def add_meeting(procurement_id: uuid.UUID, contract_id: Any, data: dict[str, Any]) -> FollowUpMeeting:
    access, contract = _writable_contract(procurement_id, contract_id)
    errors: dict[str, list] = {}
    title = _text(data, "title", 200, errors)
    minutes = _text(data, "minutes", 20000, errors)
    held_on = parse_date(data.get("held_on"), "held_on", errors, required=True)
    if held_on and held_on > datetime.now(OSLO).date():
        errors["held_on"] = [_l("Minutes are written for a meeting that was held.")]
    if errors:
        raise ValidationError(_l("The meeting is not complete."), errors=errors)
    meeting = FollowUpMeeting(procurement_id=contract.procurement_id, contract_id=contract.id,
                              tenant_id=contract.tenant_id, held_on=held_on, title=title, minutes=minutes,
                              by_id=access.principal.user.id)
    db.session.add(meeting)
    db.session.flush()
    audit.record("contract.follow_up_meeting", "follow_up_meeting", meeting.id, tenant_id=contract.tenant_id,
                 procurement_id=contract.procurement_id,
                 changes={"after": {"title": title, "held_on": held_on.isoformat()}})
    return meeting


def add_deviation(procurement_id: uuid.UUID, contract_id: Any, data: dict[str, Any]) -> Deviation:
    access, contract = _writable_contract(procurement_id, contract_id)
    errors: dict[str, list] = {}
    title = _text(data, "title", 200, errors)
    description = _text(data, "description", 20000, errors, required=False)
    owner = _text(data, "owner", 200, errors)
    severity = str(data.get("severity") or "")
    if severity not in SEVERITIES:
        errors["severity"] = [_l("Choose a severity.")]
    deadline = parse_date(data.get("deadline"), "deadline", errors, required=True)
    if errors:
        raise ValidationError(_l("The deviation is not complete."), errors=errors)
    deviation = Deviation(procurement_id=contract.procurement_id, contract_id=contract.id,
                          tenant_id=contract.tenant_id, title=title, description=description, owner=owner,
                          severity=severity, deadline=deadline, by_id=access.principal.user.id)
    db.session.add(deviation)
    db.session.flush()
    audit.record("contract.deviation_opened", "deviation", deviation.id, tenant_id=contract.tenant_id,
                 procurement_id=contract.procurement_id,
                 changes={"after": {"title": title, "severity": severity, "owner": owner,
                                    "deadline": deadline.isoformat()}})
    return deviation


def close_deviation(procurement_id: uuid.UUID, deviation_id: Any, note: Any) -> Deviation:
    try:
        deviation = db.session.get(Deviation, uuid.UUID(str(deviation_id)))
    except ValueError:
        deviation = None
    if deviation is None or str(deviation.procurement_id) != str(procurement_id):
        raise NotFound(_l("No such deviation."))
    _writable_contract(procurement_id, deviation.contract_id)
    if deviation.closed_on is not None:
        raise Conflict(_l("The deviation is already closed."))
    note = str(note or "").strip()
    if not note or len(note) > 4000:
        raise ValidationError(_l("Write how the deviation was closed."),
                              errors={"closing_note": [_l("Write how the deviation was closed (1-4000 characters).")]})
    deviation.closed_on, deviation.closing_note = datetime.now(OSLO).date(), note
    db.session.flush()
    audit.record("contract.deviation_closed", "deviation", deviation.id, tenant_id=deviation.tenant_id,
                 procurement_id=deviation.procurement_id, changes={"after": {"closing_note": note}})
    return deviation
