"""Cancelling (avlysning) a procurement at any phase, with a reason.

The lead cancels; every supplier registered in the dialogue or taking part in the competition
is told (outbox), the protocol records why, and from then on the procurement is read-only:
`core.procurement.access.require` refuses every action but reading (409) for a cancelled one.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask_babel import gettext

from core import audit
from core.award import inputs
from core.competition.audience import competition_supplier_people
from core.db import db
from core.dialogue.audience import project_group_people
from core.errors import Conflict, Forbidden, ValidationError
from core.i18n import _l
from core.notifications.service import notify
from core.procurement.access import Action, require
from core.procurement.models import Procurement, ProcurementStatus, ProjectRole


def cancel(procurement_id: uuid.UUID, data: Any) -> Procurement:
    access = require(procurement_id, Action.manage)
    if access.project_role != ProjectRole.lead:
        raise Forbidden(_l("Only the procurement's lead can cancel it."))
    procurement = access.procurement
    if not procurement.is_active:
        raise Conflict(_l("The procurement is completed or cancelled."))
    errors: dict[str, list] = {}
    reason = inputs.text(inputs.body(data), "reason", errors, minimum=10)
    if errors:
        raise ValidationError(_l("Write why the procurement is cancelled."), errors=errors)
    suppliers = competition_supplier_people(procurement_id)
    group = project_group_people(procurement_id)
    phase = procurement.phase.value
    procurement.status = ProcurementStatus.cancelled
    db.session.flush()
    audit.record("procurement.cancelled", "procurement", procurement.id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id,
                 changes={"before": {"status": "active"}, "after": {"status": "cancelled", "phase": phase,
                                                                    "reason": reason,
                                                                    "suppliers_told": len(suppliers)}})
    title = procurement.title
    notify(suppliers + group, lambda: gettext("%(title)s is cancelled", title=title),
           lambda: gettext("The procurement %(title)s is cancelled.\n\nReason: %(reason)s", title=title,
                           reason=reason))
    return procurement
