"""The "next step" on every procurement page: one sentence and one link, from the phase and the
state of the market dialogue (no extra query: the procurement row says enough)."""

from __future__ import annotations

from dataclasses import dataclass

from core.i18n import _l
from core.procurement.models import Phase, Procurement, ProcurementStatus
from core.procurement.urls import page_url


@dataclass(frozen=True)
class NextStep:
    text: str
    url: str
    key: str  # stable id for tests and styling


def next_step(procurement: Procurement) -> NextStep | None:
    if procurement.status != ProcurementStatus.active:
        return None
    pid = procurement.id
    if procurement.phase in (Phase.anchoring, Phase.needs) or (
            procurement.phase == Phase.dialogue and not procurement.dialogue_open):
        return NextStep(str(_l("Get the market dialogue ready and publish it")),
                        page_url("transfer.ready", pid), "publish-dialogue")
    if procurement.phase == Phase.dialogue:
        return NextStep(str(_l("Follow the dialogue: registrations, questions, feedback and one-to-one meetings")),
                        page_url("dialogue.overview", pid), "follow-dialogue")
    return NextStep(str(_l("Complete the gate of this phase")),
                    page_url("procurement_gates.show", pid), "gate")
