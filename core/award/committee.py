"""The evaluation committee: who may evaluate, and their impartiality declarations.

- The committee is the lead and the people with the project role `evaluator` (`Action.evaluate`).
- Each member declares impartiality (habilitetserklæring) naming the tenderers; a declared
  conflict keeps that person out of the evaluation, and the declaration is on the record.
- A committee member (an evaluator or the lead) sees no tender content before declaring without
  conflict (404, answered to the competition's read path — pages, API, files — through
  `samspill_tender_content_refused`); anyone who declared a conflict sees none. The lead opens
  the tenders (the opening protocol names no content) and then declares like everyone else.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from core import audit
from core.award import inputs
from core.award import tenders as award_tenders
from core.award.models import Declaration
from core.db import db
from core.errors import Forbidden, NotFound, ValidationError
from core.i18n import _l
from core.procurement.access import Action, ProcurementAccess, require
from core.procurement.models import ProjectRole

MAX_STATEMENT = 4000


def declaration_of(procurement_id: uuid.UUID, user_id: uuid.UUID) -> Declaration | None:
    return db.session.execute(select(Declaration).where(
        Declaration.procurement_id == procurement_id, Declaration.user_id == user_id)).scalar_one_or_none()


def content_refused(access: ProcurementAccess) -> bool:
    """True when the caller may not see tender content: a committee member (an evaluator or the
    lead) without a declaration, or anyone who declared a conflict."""
    declaration = declaration_of(access.procurement.id, access.principal.user.id)
    if declaration is not None and declaration.conflict:
        return True
    return access.project_role in (ProjectRole.evaluator, ProjectRole.lead) and declaration is None


def declare(procurement_id: uuid.UUID, data: Any) -> Declaration:
    """Record the caller's declaration (once; a conflict cannot be taken back)."""
    access = require(procurement_id, Action.evaluate)
    award_tenders.opened_competition(procurement_id)
    names = sorted(t.supplier.name for t in award_tenders.submitted(procurement_id))
    data = inputs.body(data)
    errors: dict[str, list] = {}
    conflict = data.get("conflict")
    if not isinstance(conflict, bool):
        errors["conflict"] = [_l("Say whether you have a conflict of interest.")]
    statement = inputs.text(data, "statement", errors, required=conflict is True, minimum=5,
                            maximum=MAX_STATEMENT)
    if errors:
        raise ValidationError(_l("The declaration is not complete."), errors=errors)
    existing = declaration_of(procurement_id, access.principal.user.id)
    if existing is not None and existing.conflict and not conflict:
        raise Forbidden(_l("A declared conflict of interest stays on the record."))
    if existing is None:
        existing = Declaration(procurement_id=procurement_id, user_id=access.principal.user.id)
        db.session.add(existing)
    existing.tenderers, existing.conflict, existing.statement = names, conflict, statement
    db.session.flush()
    audit.record("award.impartiality_declared", "award_declaration", existing.id,
                 tenant_id=access.acting_tenant_id, procurement_id=procurement_id,
                 changes={"after": {"tenderers": names, "conflict": conflict, "statement": statement}})
    return existing


def require_evaluator(procurement_id: uuid.UUID) -> ProcurementAccess:
    """A committee member who declared without conflict (404 for anyone else)."""
    access = require(procurement_id, Action.evaluate)
    declaration = declaration_of(procurement_id, access.principal.user.id)
    if declaration is None or declaration.conflict:
        raise NotFound(_l("No such tender."))
    return access


def require_lead(procurement_id: uuid.UUID) -> ProcurementAccess:
    """The lead, declared without conflict (403 for other committee members)."""
    access = require_evaluator(procurement_id)
    if access.project_role != ProjectRole.lead:
        raise Forbidden(_l("Only the procurement's lead can do this."))
    return access
