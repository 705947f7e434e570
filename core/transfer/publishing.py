"""Ready to publish: what a procurement still lacks before its market dialogue opens, and
publishing it in one step.

`readiness(procurement_id)` lists the gate items of every phase before the market dialogue
(done, automatic, waived or open), the dialogue parts (invitation, conference, questionnaire,
one-to-one round) and the reasons publishing would fail now. `publish_dialogue` ticks off the
items the officer confirmed (an automatic item that is not met is waived with the officer's
reason instead: no one ticks it by hand), moves the procurement phase by phase while each gate allows, opens
the dialogue to suppliers and opens the questionnaires — one transaction, so a refusal leaves
nothing half-done. Each step is the ordinary service (`gates.mark_done`, `gates.transition`,
`invitation.open_dialogue`, `questionnaires.open_questionnaire`) with its own audit entry.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from core.db import db, utcnow
from core.dialogue.invitation import get_invitation, open_dialogue
from core.dialogue.models import MeetingRound, Questionnaire
from core.dialogue.questionnaires import open_questionnaire
from core.dialogue.registrations import conference_of
from core.errors import Conflict, ValidationError
from core.i18n import _l
from core.procurement import gates
from core.procurement.access import Action, ProcurementAccess, require
from core.procurement.models import PHASE_ORDER, Phase


@dataclass
class Readiness:
    access: ProcurementAccess
    phases: list[tuple[Phase, list[gates.ItemStatus]]]   # the gates still ahead of the dialogue
    parts: dict[str, Any]                                  # invitation, conference, questionnaires, rounds
    blockers: list[str] = field(default_factory=list)      # why publishing would fail whatever is ticked

    @property
    def procurement(self):
        return self.access.procurement

    @property
    def open_items(self) -> list[gates.ItemStatus]:
        return [s for _, statuses in self.phases for s in statuses if not s.met]

    @property
    def can_publish(self) -> bool:
        return not self.blockers


def _phases_before_dialogue(procurement) -> list[Phase]:
    current = PHASE_ORDER.index(procurement.phase)
    return [p for p in PHASE_ORDER[current:PHASE_ORDER.index(Phase.dialogue)]]


def readiness(procurement_id: uuid.UUID) -> Readiness:
    access = require(procurement_id, Action.read)
    procurement = access.procurement
    phases = [(phase, gates.checklist(procurement, phase)) for phase in _phases_before_dialogue(procurement)]
    questionnaires = list(db.session.execute(select(Questionnaire).where(
        Questionnaire.procurement_id == procurement_id).order_by(Questionnaire.created_at)).scalars())
    rounds = list(db.session.execute(select(MeetingRound).where(
        MeetingRound.procurement_id == procurement_id).order_by(MeetingRound.created_at)).scalars())
    parts = {"invitation": get_invitation(procurement_id), "conference": conference_of(procurement_id),
             "questionnaires": questionnaires, "rounds": rounds}
    result = Readiness(access, phases, parts)
    if not access.can(Action.manage):
        result.blockers.append(_l("Only the procurement's lead can publish the dialogue."))
    if procurement.dialogue_open:
        result.blockers.append(_l("The dialogue is already published."))
    elif PHASE_ORDER.index(procurement.phase) > PHASE_ORDER.index(Phase.dialogue):
        result.blockers.append(_l("The market-dialogue phase is over."))
    if parts["invitation"].unknown:
        result.blockers.append(_l("The invitation text has placeholders that cannot be filled: %(names)s",
                                  names=", ".join(parts["invitation"].unknown)))
    return result


def publish_dialogue(procurement_id: uuid.UUID, confirmed: list[str], reasons: dict[str, str] | None = None) -> None:
    """Tick the confirmed items, waive the unmet automatic items the officer wrote a reason for
    (only the procurement's data meets them — the baselines, say — so going on without one is a
    waiver, never a tick), pass the gates up to the market dialogue, open the dialogue and its
    questionnaires. Every open item neither confirmed nor given a reason is reported next to its
    field."""
    state = readiness(procurement_id)
    if state.blockers:
        raise Conflict(_l("The dialogue cannot be published yet."),
                       errors={"form": [str(b) for b in state.blockers]})
    confirmed_keys = set(confirmed)
    reasons = {key: (text or "").strip() for key, text in (reasons or {}).items()}
    problems: dict[str, list] = {}
    for status in state.open_items:
        key = status.item.key
        if status.item.check is None:
            if key not in confirmed_keys:
                problems[f"item-{key}"] = [_l("Confirm this item, or waive it with a reason on the gates page.")]
        elif not reasons.get(key):
            problems[f"waive-{key}"] = [_l("This item is met by the procurement's data: fill it in first, "
                                           "or write why the procurement goes on without it.")]
        elif not gates.MIN_REASON <= len(reasons[key]) <= 2000:
            problems[f"waive-{key}"] = [_l("Write why (%(min)d-2000 characters).", min=gates.MIN_REASON)]
    if problems:
        raise ValidationError(_l("Some gate items are not confirmed."), errors=problems)
    procurement = state.procurement
    for phase, statuses in state.phases:
        for status in statuses:
            if status.met:
                continue
            if status.item.check is None:
                gates.mark_done(procurement_id, status.item.key)
            else:
                gates.waive(procurement_id, status.item.key, reasons[status.item.key])
        if procurement.phase == phase:
            gates.transition(procurement_id)
    open_dialogue(procurement_id)
    for questionnaire in state.parts["questionnaires"]:
        if questionnaire.opened_at is None and questionnaire.deadline > utcnow():
            open_questionnaire(questionnaire.id)
