"""Contract follow-up: meetings with minutes, deviations (avvik) with severity, owner, deadline
and closing, and the contracts' option deadlines (the award package sends their reminders).

Who sees a contract's follow-up is who sees the contract (`core.award.contracts`): that buyer's
people and the lead. Who writes: that buyer's members and up, and the lead's managers. Like the
benefits, follow-up goes on after the procurement is completed (not frozen); a cancelled
procurement takes nothing more.

The JSON API works per contract (`contract_meetings`, `contract_deviations`: keyset pages,
newest first) and per row (`update_meeting`, `update_deviation`: the row's `version` is the
ETag; a stale `If-Match` is 412, a stale `version` 409). A closed deviation is history: it
takes no more changes (409).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from core import audit
from core.api.preconditions import check_version
from core.award import contracts as contract_service
from core.award.models import Contract
from core.benefits.models import SEVERITIES, Deviation, FollowUpMeeting
from core.benefits.service import OSLO, parse_date
from core.db import db
from core.errors import Conflict, Forbidden, NotFound, ValidationError
from core.i18n import _l
from core.pagination import Page, keyset_page
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


# --- the JSON API: per contract and per row ---------------------------------------------------

def _contract(contract_id: uuid.UUID) -> tuple[ProcurementAccess, Contract]:
    """The contract if the caller sees it (that buyer's people and the lead), else 404."""
    contract = contract_service.get(contract_id)
    return require(contract.procurement_id), contract


def contract_meetings(contract_id: uuid.UUID, *, cursor: str | None, limit: int) -> Page:
    """A contract's meetings, the newest recorded first (one query after access)."""
    _, contract = _contract(contract_id)
    return keyset_page(select(FollowUpMeeting).where(FollowUpMeeting.contract_id == contract.id),
                       [(FollowUpMeeting.created_at, True), (FollowUpMeeting.id, True)], limit=limit, cursor=cursor)


def contract_deviations(contract_id: uuid.UUID, *, cursor: str | None, limit: int) -> Page:
    """A contract's deviations, the newest recorded first (one query after access)."""
    _, contract = _contract(contract_id)
    return keyset_page(select(Deviation).where(Deviation.contract_id == contract.id),
                       [(Deviation.created_at, True), (Deviation.id, True)], limit=limit, cursor=cursor)


def add_contract_meeting(contract_id: uuid.UUID, data: dict[str, Any]) -> FollowUpMeeting:
    _, contract = _contract(contract_id)
    return add_meeting(contract.procurement_id, contract.id, data)


def add_contract_deviation(contract_id: uuid.UUID, data: dict[str, Any]) -> Deviation:
    _, contract = _contract(contract_id)
    return add_deviation(contract.procurement_id, contract.id, data)


def _row(model: type, row_id: uuid.UUID, message: Any) -> Any:
    row = db.session.get(model, row_id)
    if row is None:
        raise NotFound(message)
    try:
        contract_service.get(row.contract_id)  # who cannot see the contract learns nothing of the row
    except NotFound:
        raise NotFound(message) from None
    return row


def readable_meeting(meeting_id: uuid.UUID) -> FollowUpMeeting:
    return _row(FollowUpMeeting, meeting_id, _l("No such meeting."))


def readable_deviation(deviation_id: uuid.UUID) -> Deviation:
    return _row(Deviation, deviation_id, _l("No such deviation."))


def _stale_check(row: Any, if_match: int | None, expected: int | None) -> None:
    check_version(row.version, if_match=if_match, expected=expected,
                  refetch=_l("Someone changed it since you read it; read it again (GET) and retry."),
                  reopen=_l("Someone changed it since you read it; read it again and retry."))


def update_meeting(meeting_id: uuid.UUID, data: dict[str, Any], *, if_match: int | None = None,
                   expected: int | None = None) -> FollowUpMeeting:
    """Change a meeting's title, date or minutes (the fields sent); that buyer's members or the
    lead's managers."""
    meeting = readable_meeting(meeting_id)
    _writable_contract(meeting.procurement_id, meeting.contract_id)
    _stale_check(meeting, if_match, expected)
    errors: dict[str, list] = {}
    changes: dict[str, Any] = {}
    if "title" in data:
        changes["title"] = _text(data, "title", 200, errors)
    if "minutes" in data:
        changes["minutes"] = _text(data, "minutes", 20000, errors)
    if "held_on" in data:
        held_on = parse_date(data.get("held_on"), "held_on", errors, required=True)
        if held_on and held_on > datetime.now(OSLO).date():
            errors["held_on"] = [_l("Minutes are written for a meeting that was held.")]
        changes["held_on"] = held_on
    if errors:
        raise ValidationError(_l("The meeting is not complete."), errors=errors)
    before = {name: _plain(getattr(meeting, name)) for name in changes}
    for name, value in changes.items():
        setattr(meeting, name, value)
    _flush_versioned()
    audit.record("contract.follow_up_meeting_changed", "follow_up_meeting", meeting.id, tenant_id=meeting.tenant_id,
                 procurement_id=meeting.procurement_id,
                 changes=audit.diff(before, {name: _plain(v) for name, v in changes.items()}))
    return meeting


def update_deviation(deviation_id: uuid.UUID, data: dict[str, Any], *, if_match: int | None = None,
                     expected: int | None = None) -> Deviation:
    """Change an open deviation's fields (those sent), or close it (`closed: true` with a
    `closing_note`). A closed deviation takes no more changes (409)."""
    deviation = readable_deviation(deviation_id)
    _writable_contract(deviation.procurement_id, deviation.contract_id)
    _stale_check(deviation, if_match, expected)
    if deviation.closed_on is not None:
        raise Conflict(_l("The deviation is already closed."))
    errors: dict[str, list] = {}
    changes: dict[str, Any] = {}
    for name, limit in (("title", 200), ("owner", 200)):
        if name in data:
            changes[name] = _text(data, name, limit, errors)
    if "description" in data:
        changes["description"] = _text(data, "description", 20000, errors, required=False)
    if "severity" in data:
        if data.get("severity") not in SEVERITIES:
            errors["severity"] = [_l("Choose a severity.")]
        changes["severity"] = data.get("severity")
    if "deadline" in data:
        changes["deadline"] = parse_date(data.get("deadline"), "deadline", errors, required=True)
    closing = bool(data.get("closed"))
    if closing:
        note = _text(data, "closing_note", 4000, errors)
        if "closing_note" in errors:
            errors["closing_note"] = [_l("Write how the deviation was closed (1-4000 characters).")]
        changes["closing_note"], changes["closed_on"] = note, datetime.now(OSLO).date()
    elif "closing_note" in data:
        errors["closing_note"] = [_l("A closing note is written when the deviation is closed (closed: true).")]
    if errors:
        raise ValidationError(_l("The deviation is not complete."), errors=errors)
    before = {name: _plain(getattr(deviation, name)) for name in changes}
    for name, value in changes.items():
        setattr(deviation, name, value)
    _flush_versioned()
    audit.record("contract.deviation_closed" if closing else "contract.deviation_changed", "deviation", deviation.id,
                 tenant_id=deviation.tenant_id, procurement_id=deviation.procurement_id,
                 changes=audit.diff(before, {name: _plain(v) for name, v in changes.items()}))
    return deviation


def _flush_versioned() -> None:
    """Flush a versioned row; another change committed in between (its version moved) is 409."""
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(_l("Someone changed it since you read it; read it again and retry.")) from None


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value
