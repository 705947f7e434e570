"""The opened tenders as the award package sees them: who tendered and at what price per lot.

Reads through the competition's services (the competition's row, the sealed content); nothing
here is visible before the tenders are opened.
"""

from __future__ import annotations

import uuid
from fractions import Fraction

from sqlalchemy import select

from core import audit
from core.competition import sealing
from core.competition import tenders as competition_tenders
from core.competition.models import Competition, Tender, TenderStatus
from core.competition.settings import competition_of
from core.db import db
from core.errors import Conflict, NotFound
from core.i18n import _l
from core.procurement.access import ProcurementAccess

MAX_TENDERS = 200


def opened_competition(procurement_id: uuid.UUID) -> Competition:
    """The opened competition, its data key read along (the caller reads tender content next)."""
    competition = sealing.competition_with_key(procurement_id)
    if competition is None or competition.opened_at is None:
        raise Conflict(_l("The tenders are not opened yet."))
    return competition


def submitted_query(procurement_id: uuid.UUID):
    """The submitted tenders, oldest first, at most `MAX_TENDERS` (a statement to add to)."""
    return (select(Tender).where(Tender.procurement_id == procurement_id, Tender.status == TenderStatus.submitted)
            .order_by(Tender.submitted_at, Tender.id).limit(MAX_TENDERS))


def submitted(procurement_id: uuid.UUID) -> list[Tender]:
    return list(db.session.execute(submitted_query(procurement_id)).scalars())


def tender_in(tender_id: uuid.UUID) -> Tender:
    """A submitted tender of an opened competition the caller's procurement access may see
    (checked by the caller); 404 otherwise."""
    tender = db.session.get(Tender, tender_id)
    if tender is None or tender.status != TenderStatus.submitted:
        raise NotFound(_l("No such tender."))
    competition = competition_of(tender.procurement_id)
    if competition is None or competition.opened_at is None:
        raise NotFound(_l("No such tender."))
    return tender


def qualification_answers(access: ProcurementAccess, tender: Tender) -> list[dict]:
    """The competition's declared exclusion grounds and qualification requirements with this
    tenderer's declaration (`answer`: True, False or None; `text`), in the declared order. The
    caller has checked the committee member's access; the read is on the record like the
    competition's own reads of tender content."""
    competition = opened_competition(tender.procurement_id)
    content = competition_tenders.read_content(competition, tender, own_supplier=False)
    audit.record("competition.tenders_read", "competition", competition.id, tenant_id=access.acting_tenant_id,
                 procurement_id=tender.procurement_id, changes={"after": {"tenders": [str(tender.id)]}})
    given = {item.get("key"): item for item in content.get("qualification") or []}
    result = []
    for question in competition.qualification or []:
        declared = given.get(question.get("key")) or {}
        result.append({"kind": question.get("kind"), "requirement": question.get("text", ""),
                       "answer": declared.get("answer"), "text": declared.get("text", "")})
    return result


def prices(competition: Competition, tender: Tender) -> dict[uuid.UUID | None, Fraction]:
    """The tender's price per lot (None: the whole), in øre."""
    content = competition_tenders.read_content(competition, tender, own_supplier=False)
    result: dict[uuid.UUID | None, Fraction] = {}
    for item in content.get("prices") or []:
        lot = item.get("lot_id")
        if item.get("price_ore") is not None:
            result[uuid.UUID(lot) if lot else None] = Fraction(int(item["price_ore"]))
    return result
