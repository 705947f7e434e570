"""Shared rules of the specification: who may read and write it, and until when.

The specification can be changed until the competition is announced: in the anchoring, needs,
dialogue and competition phases, while no package answers `samspill_competition_announced`
with True (the competition package does once it announces), and only while the procurement is
active. `editable(procurement)` is the one place that decides it.
"""

from __future__ import annotations

import uuid

from core.errors import Frozen
from core.i18n import _l
from core.plugin_platform.host import current_host
from core.procurement.access import Action, ProcurementAccess, require
from core.procurement.models import PHASE_ORDER, Phase, Procurement


def announced(procurement: Procurement) -> bool:
    """Whether the competition of `procurement` is announced (asked of the competition package)."""
    return bool(current_host().call("samspill_competition_announced", procurement=procurement))


def editable(procurement: Procurement) -> bool:
    """True while requirements, criteria and lots may change: an active procurement not past the
    competition phase whose competition is not announced yet."""
    if not procurement.is_active:
        return False
    index = PHASE_ORDER.index(procurement.phase)
    competition = PHASE_ORDER.index(Phase.competition)
    if index > competition:
        return False
    return not (index == competition and announced(procurement))


def reads(procurement_id: uuid.UUID) -> ProcurementAccess:
    """The caller's access for reading the specification (the procurement's participants); 404
    for anyone else, suppliers included."""
    return require(procurement_id, Action.read)


def writes(procurement_id: uuid.UUID) -> ProcurementAccess:
    """Write access (project group / officers of lead and buyers) while the specification is
    editable; 409 once the competition is announced or the procurement moved on."""
    access = require(procurement_id, Action.write)
    if not editable(access.procurement):
        raise Frozen(_l("The requirement specification and award criteria are fixed once the competition "
                        "is announced."))
    return access
