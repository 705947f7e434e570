"""Phases and gates: each phase ends at a checklist that must be done or waived before moving on.

A phase's checklist is built from three sources, in this order (the first item with a key wins):

1. core items (`CORE_ITEMS` below; some are checked automatically from the procurement's data),
2. items the procurement got from its template (`Procurement.custom_gate_items`),
3. items from the hook `samspill_gate_items` (`core.plugin_platform.wiring.gate_items_for`):
   the platform's own packages and the plugins the lead tenant enabled. One that raises adds
   one blocking item naming it, so a broken plugin can never let a procurement slip through
   its gate.

Ticking an item off needs write access; waiving needs manage access and a written reason. An
item with a check (automatic) is never ticked or unticked by hand (409): only the data meets it,
and only its waiver can be undone.
Only items of the current phase can change; earlier phases are history.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from flask import has_request_context
from flask_babel import gettext
from flask_babel.speaklater import LazyString
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm.exc import StaleDataError

from core import audit
from core.audit import current_actor
from core.db import db, utcnow
from core.errors import Conflict, Forbidden, NotFound, ValidationError
from core.i18n import _l
from core.plugin_platform.host import current_host
from core.plugin_platform.wiring import gate_items_for
from core.procurement.access import Action, require
from core.procurement.labels import LABELS
from core.procurement.models import (
    PHASE_ORDER,
    GateCheck,
    GateState,
    Need,
    Phase,
    PhaseTransition,
    Procurement,
    ProcurementStatus,
)
from core.procurement.service import emit, ensure_active

log = logging.getLogger(__name__)
COMPLETED = "completed"
MIN_REASON = 5


def plain_text(text: Any) -> str:
    """A (lazy) text in the request's language; outside a request (command line, demo seed)
    the English message id."""
    if isinstance(text, str) or has_request_context():
        return str(text)
    return record_text(text)


def record_text(text: Any) -> str:
    """The text of an item as the record keeps it (audit entries, the phase history): the
    English message id with its values, never the language of whoever acted — readers see it
    in theirs (`shown_text`)."""
    if isinstance(text, str):
        return text
    message = text._args[0] if getattr(text, "_args", None) else str(text)
    return message % text._kwargs if getattr(text, "_kwargs", None) else message


def shown_text(text: Any) -> str:
    """A recorded item text in the reader's language (a core or plugin message id is
    translated; any other text is shown as it was written)."""
    return gettext(text) if isinstance(text, str) and text else str(text or "")


@dataclass(frozen=True)
class GateItem:
    phase: Phase
    key: str
    text: str
    source: str = "core"
    # Automatic items: True/False, or the list of what is missing (empty: met).
    check: Callable[[Procurement], bool | list[str]] | None = None


def _has_needs(procurement: Procurement) -> bool:
    return bool(db.session.execute(
        select(func.count(Need.id)).where(Need.procurement_id == procurement.id)).scalar())


class Deferred(Mapping):
    """A package's answer to `samspill_gate_checks` whose items are worked out when a checklist
    reads them, once each: the procurement page counts only the current phase's items, so a
    later phase's check (scoring every tender, say) costs nothing before that phase. A plain
    dict answers just as well (the hook's contract is unchanged)."""

    def __init__(self, checks: dict[str, Callable[[], list]]):
        self._checks, self._found = checks, {}

    def __getitem__(self, key: str) -> list:
        if key not in self._found:
            self._found[key] = list(self._checks[key]())
        return self._found[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._checks)

    def __len__(self) -> int:
        return len(self._checks)


def hook_answers(procurement: Procurement) -> list[Any]:
    """One round of `samspill_gate_checks` for `procurement` (every answering package)."""
    return current_host().call("samspill_gate_checks", procurement=procurement) or []


def by_hook(key: str) -> Callable[..., list[str]]:
    """A check answered by a higher package through `samspill_gate_checks` (the specification
    checks the requirement and award-criteria items). No answer for `key` — or an answer that
    could not be read — leaves the item open with a note saying so. `checklist` asks the hook
    once for all such items (`answers`)."""
    def check(procurement: Procurement, answers: list[Any] | None = None) -> list[str]:
        for answer in answers if answers is not None else hook_answers(procurement):
            if isinstance(answer, Mapping) and key in answer:
                return [str(text) for text in answer[key]]
        return [gettext("This item could not be checked.") if has_request_context()
                else "This item could not be checked."]
    check.hook_key = key  # type: ignore[attr-defined]
    return check


CORE_ITEMS: list[GateItem] = [
    GateItem(Phase.anchoring, "core-mandate", _l("The mandate is approved by management")),
    GateItem(Phase.anchoring, "core-budget", _l("An estimated value (budget) is recorded"),
             check=lambda p: p.estimated_value_ore is not None),
    GateItem(Phase.anchoring, "core-project-group", _l("The project group is set up with the right competence")),
    GateItem(Phase.anchoring, "core-procedure", _l("A procedure is considered and recorded"),
             check=lambda p: p.procedure is not None),
    GateItem(Phase.needs, "core-needs-recorded", _l("Needs are recorded"), check=_has_needs),
    GateItem(Phase.needs, "core-needs-prioritised", _l("Needs are prioritised with users and staff")),
    # Met by itself once every KPI × buyer pair has a baseline or a waiver with a reason (the
    # benefits package answers through `samspill_gate_checks` with the missing pairs in words).
    GateItem(Phase.needs, "core-benefits-baseline", _l("A baseline for the benefits to be realised is recorded"),
             check=by_hook("core-benefits-baseline")),
    GateItem(Phase.dialogue, "core-dialogue-invitation",
             _l("The prior information notice inviting to dialogue is published")),
    GateItem(Phase.dialogue, "core-dialogue-conference",
             _l("The dialogue conference is held and minutes are published to all")),
    GateItem(Phase.dialogue, "core-one-to-one",
             _l("One-to-one meetings were offered equally to every registered supplier")),
    GateItem(Phase.dialogue, "core-dialogue-summary", _l("What was learned in the dialogue is summarised")),
    GateItem(Phase.competition, "core-requirements", _l("The requirement specification is complete"),
             check=by_hook("core-requirements")),
    GateItem(Phase.competition, "core-award-criteria", _l("Award criteria and weights are set"),
             check=by_hook("core-award-criteria")),
    GateItem(Phase.competition, "core-competition-notice", _l("The competition is announced"),
             check=by_hook("core-competition-notice")),
    GateItem(Phase.evaluation, "core-evaluation-complete", _l("Every tender is scored"),
             check=by_hook("core-evaluation-complete")),
    GateItem(Phase.evaluation, "core-award-decision", _l("The award decision is made and notified"),
             check=by_hook("core-award-decision")),
    GateItem(Phase.evaluation, "core-standstill", _l("The standstill period has expired"),
             check=by_hook("core-standstill")),
    GateItem(Phase.contract, "core-contracts-signed", _l("Each buyer has signed its contract"),
             check=by_hook("core-contracts-signed")),
    GateItem(Phase.contract, "core-kpis", _l("KPIs and benefit follow-up are agreed")),
    # Completing the procurement: a lesson learned is written (or the item waived with a reason);
    # the benefits package answers through `samspill_gate_checks`.
    GateItem(Phase.contract, "core-lesson-learned", _l("A lesson learned is written for the learning arena"),
             check=by_hook("core-lesson-learned")),
]


@dataclass
class ItemStatus:
    item: GateItem
    state: str  # "open", "done", "waived", "auto"
    reason: str = ""
    by: str = ""
    at: Any = None
    missing: list[str] | None = None  # an automatic item's open points (e.g. uncovered needs)

    @property
    def met(self) -> bool:
        return self.state != "open"

    def as_dict(self) -> dict[str, Any]:
        return {"phase": self.item.phase.value, "key": self.item.key, "text": plain_text(self.item.text),
                "source": self.item.source, "automatic": self.item.check is not None,
                "state": self.state, "reason": self.reason, "by": self.by, "at": self.at,
                "missing": list(self.missing or [])}


def _as_item(raw: Any, source: str) -> GateItem:
    if isinstance(raw, GateItem):
        return raw
    text = raw["text"] if isinstance(raw["text"], LazyString) else str(raw["text"])  # lazy: recorded as its id
    return GateItem(Phase(raw["phase"]), str(raw["key"]), text, source=raw.get("source", source))


def gate_items(procurement: Procurement) -> list[GateItem]:
    """Every gate item of every phase, deduplicated by key, in phase order."""
    items: list[GateItem] = list(CORE_ITEMS)
    items += [_as_item(raw, "template") for raw in procurement.custom_gate_items or []]
    items += [_as_item(raw, raw["source"]) for raw in gate_items_for(procurement)]
    seen: dict[str, GateItem] = {}
    for item in items:  # the first of a key wins
        if item.key not in seen:
            seen[item.key] = item
    # in phase order, each phase's items in the order found (what a stable sort by phase gives),
    # without a key function call per item
    return [item for phase in PHASE_ORDER for item in seen.values() if item.phase == phase]


def checklist(procurement: Procurement, phase: Phase | None = None) -> list[ItemStatus]:
    """The items of `phase` (default: all phases) with their state; one query for the checks."""
    checks = {c.item_key: c for c in db.session.execute(
        select(GateCheck).where(GateCheck.procurement_id == procurement.id)).scalars()}
    return [ItemStatus(item, check.state.value, check.reason, check.by.email if check.by else "", check.created_at)
            if check is not None else ItemStatus(item, state, missing=missing)
            for item, check, state, missing in _assess(procurement, phase, checks)]


_checks = GateCheck.__table__
# Built once, bound per call (gate checks are not tenant-owned rows; the caller can read the
# procurement, and row-level security checks it again on PostgreSQL).
_CHECK_STATES = (select(_checks.c.item_key, _checks.c.state)
                 .where(_checks.c.procurement_id == bindparam("procurement_id")))


def progress(procurement: Procurement, phase: Phase | None = None) -> tuple[int, int]:
    """(items done or waived, items) of `phase`, as `checklist` counts them, reading only each
    check's key and state (the procurement page shows no more than these two numbers)."""
    states = dict(db.session.connection().execute(_CHECK_STATES, {"procurement_id": procurement.id}).all())
    met = [check is not None or state != "open"
           for _item, check, state, _missing in _assess(procurement, phase, states)]
    return sum(met), len(met)


def _assess(procurement: Procurement, phase: Phase | None, checks: dict[str, Any]):
    """For each item of `phase`: (item, its recorded check or None, the state when no check
    counts, the open points). `checks` maps item keys to recorded checks or to their states; a
    recorded check counts when it waives the item or the item is not checked automatically."""
    answers: list[Any] | None = None  # the hook's answers, asked once for every item checked by it
    for item in gate_items(procurement):
        if phase is not None and item.phase != phase:
            continue
        check = checks.get(item.key)
        state = getattr(check, "state", check)
        if check is not None and (state == GateState.waived or item.check is None):
            yield item, check, "", None
        elif item.check is not None:
            if getattr(item.check, "hook_key", None):
                answers = hook_answers(procurement) if answers is None else answers
                outcome = item.check(procurement, answers)
            else:
                outcome = item.check(procurement)
            missing = [] if isinstance(outcome, bool) else list(outcome)
            met = outcome if isinstance(outcome, bool) else not missing
            yield item, None, "auto" if met else "open", missing
        else:
            yield item, None, "open", None


def _find_item(procurement: Procurement, key: str) -> GateItem:
    item = next((i for i in gate_items(procurement) if i.key == key), None)
    if item is None:
        raise NotFound(_l("No such gate item."))
    if item.phase != procurement.phase:
        raise Conflict(_l("Only the current phase's checklist can be changed."))
    return item


def _existing(procurement_id: uuid.UUID, key: str) -> GateCheck | None:
    return db.session.execute(select(GateCheck).where(
        GateCheck.procurement_id == procurement_id, GateCheck.item_key == key)).scalar_one_or_none()


def mark_done(procurement_id: uuid.UUID, key: str) -> GateCheck:
    access = require(procurement_id, Action.write)
    procurement = access.procurement
    ensure_active(procurement)
    item = _find_item(procurement, key)
    if item.check is not None:
        raise Conflict(_l("This item is checked automatically from the procurement's data; it can only be waived."))
    check = _existing(procurement_id, key)
    if check is not None:
        raise Conflict(_l("The item is already done or waived."))
    check = GateCheck(procurement_id=procurement_id, item_key=key, phase=item.phase, state=GateState.done,
                      by_id=access.principal.user.id)
    db.session.add(check)
    db.session.flush()
    audit.record("gate.item_done", "gate_item", key, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id, changes={"after": {"state": "done", "text": record_text(item.text)}})
    return check


def waive(procurement_id: uuid.UUID, key: str, reason: str) -> GateCheck:
    access = require(procurement_id, Action.manage)
    procurement = access.procurement
    ensure_active(procurement)
    item = _find_item(procurement, key)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON or len(reason) > 2000:
        raise ValidationError(_l("A written reason is required to waive an item."),
                              errors={"reason": [_l("Write why (%(min)d-2000 characters).", min=MIN_REASON)]})
    check = _existing(procurement_id, key)
    if check is not None and check.state == GateState.waived:
        raise Conflict(_l("The item is already waived."))
    if check is None:
        check = GateCheck(procurement_id=procurement_id, item_key=key, phase=item.phase)
        db.session.add(check)
    check.state, check.reason, check.by_id = GateState.waived, reason, access.principal.user.id
    db.session.flush()
    audit.record("gate.item_waived", "gate_item", key, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id,
                 changes={"after": {"state": "waived", "reason": reason, "text": record_text(item.text)}})
    return check


def reopen(procurement_id: uuid.UUID, key: str) -> None:
    """Undo a tick or a waiver of the current phase (waivers need manage access to undo). An
    automatic item is never ticked by hand, so only its waiver can be undone."""
    access = require(procurement_id, Action.write)
    procurement = access.procurement
    ensure_active(procurement)
    item = _find_item(procurement, key)
    check = _existing(procurement_id, key)
    if item.check is not None and (check is None or check.state != GateState.waived):
        raise Conflict(_l("This item is checked automatically from the procurement's data; it can only be waived."))
    if check is None:
        raise NotFound(_l("The item is not done or waived."))
    if check.state == GateState.waived and not access.can(Action.manage):
        raise Forbidden(_l("Only the procurement's lead can undo a waiver."))
    before = {"state": check.state.value, "reason": check.reason}
    db.session.delete(check)
    db.session.flush()
    audit.record("gate.item_reopened", "gate_item", key, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id, changes={"before": before, "after": {"state": "open"}})


def transition(procurement_id: uuid.UUID, to: str | None = None) -> PhaseTransition:
    """Move to the next phase (from the contract phase: complete the procurement).

    Refused with 409 and the list of unmet items (`missing`) while any item of the current
    phase is neither done nor waived."""
    access = require(procurement_id, Action.manage)
    procurement = access.procurement
    ensure_active(procurement)
    target = procurement.next_phase.value if procurement.next_phase else COMPLETED
    if to not in (None, "", target):
        phases = LABELS["phase"]
        raise Conflict(_l("The procurement can only move from %(phase)s to %(target)s.",
                          phase=phases[procurement.phase.value], target=phases[target]), allowed=target)
    refusal = current_host().call("samspill_transition_refused", procurement=procurement, target=target)
    if refusal is not None:  # a rule of a higher package (the standstill), never waivable
        raise refusal
    statuses = checklist(procurement, procurement.phase)
    missing = [s.as_dict() for s in statuses if not s.met]
    if missing:
        raise Conflict(_l("Some gate items are neither done nor waived."),
                       missing=[{k: m[k] for k in ("key", "phase", "text", "source", "missing")} for m in missing])
    waived = [{"key": s.item.key, "text": record_text(s.item.text), "reason": s.reason}
              for s in statuses if s.state == "waived"]
    from_phase = procurement.phase
    if target == COMPLETED:
        procurement.status = ProcurementStatus.completed
    else:
        procurement.phase = Phase(target)
    _, actor_label = current_actor()
    record = PhaseTransition(procurement_id=procurement.id, from_phase=from_phase.value, to_phase=target,
                             at=utcnow(), by_id=access.principal.user.id, by_label=actor_label, waived=waived)
    db.session.add(record)
    try:
        db.session.flush()
    except StaleDataError:  # another transition or an edit committed in between (the version moved)
        db.session.rollback()
        raise Conflict(_l("The procurement was changed by someone else at the same time; try again.")) from None
    audit.record("procurement.phase_changed", "procurement", procurement.id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement.id,
                 changes={"before": {"phase": from_phase.value},
                          "after": {"phase": target}, "waived": waived})
    emit("phase_changed", procurement, from_phase=from_phase.value, to_phase=target)
    return record


def history(procurement_id: uuid.UUID) -> list[PhaseTransition]:
    require(procurement_id)
    return list(db.session.execute(
        select(PhaseTransition).where(PhaseTransition.procurement_id == procurement_id)
        .order_by(PhaseTransition.at, PhaseTransition.id)).scalars())
