"""The award decision and its letters, the standstill, and the gate items that follow from them.

- The lead decides once every tender in every lot is scored (consensus) or rejected: the chosen
  tender per lot and the reasons (its characteristics and relative advantages).
- In the same transaction: the decision, one letter per tenderer (its own scores and the
  winner's, the reasons, the standstill end, how to complain), their emails in the outbox, one
  contract per buyer and lot, and the audit entry — all of it or none of it.
- The standstill end is the send time plus the days for the procedure (`standstill`).
- A decision in force is changed only while a complaint has suspended the standstill; the new
  letters replace the old ones and the standstill starts again.
"""

from __future__ import annotations

import functools
import uuid
from datetime import datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy import bindparam, delete, select

from core import audit
from core.award import committee, inputs, standstill
from core.award.assessment import GROUNDS, assessments, supplier_people
from core.award.models import AwardDecision, AwardLetter, Contract
from core.award.scoring import LotResult, evaluate, shown
from core.award.tenders import submitted
from core.db import db, utcnow
from core.deadlines import database_clock, database_now
from core.errors import Conflict, ValidationError
from core.i18n import _l, localtime
from core.notifications.service import notify
from core.procurement.gates import Deferred
from core.procurement.models import ParticipantRole, Participation, ParticipationStatus, Phase, Procurement
from tenants.models import Tenant

COMPLAIN = _l("You can complain about the decision in the supplier portal until the standstill period ends. "
              "A complaint should say which part of the decision you disagree with and why. The contract "
              "is not signed before the standstill period has ended and every complaint is answered.")


def decision_of(procurement_id: uuid.UUID) -> AwardDecision | None:
    return db.session.execute(select(AwardDecision).where(
        AwardDecision.procurement_id == procurement_id)).scalar_one_or_none()


def _row(entry: dict[str, Any]) -> dict[str, Any]:
    return {"tender_id": str(entry["tender_id"]), "supplier": entry["supplier"], "price_ore": entry["price_ore"],
            "rank": entry["rank"], "tied": entry["tied"], "total": shown(entry["total"]),
            "points": {k: shown(v) for k, v in entry["points"].items()},
            "consensus": entry["consensus"]}


def snapshot(results: list[LotResult]) -> dict[str, Any]:
    """The evaluation as it stood when decided (JSON)."""
    return {"lots": [{
        "lot_id": str(r.lot_id) if r.lot_id else None, "lot": r.lot_title,
        "criteria": [{"id": str(c.id), "name": c.name, "weight": c.weight, "is_price": c.is_price} for c in r.criteria],
        "ranked": [_row(e) for e in r.ranked],
        "rejected": [{**e, "tender_id": str(e["tender_id"])} for e in r.rejected]} for r in results]}


def _winners(results: list[LotResult], raw: Any) -> list[dict[str, Any]]:
    items = raw if isinstance(raw, list) else []
    errors: dict[str, list] = {}
    chosen = []
    for index, result in enumerate(results):
        key = str(result.lot_id) if result.lot_id else None
        if result.unscored:
            raise Conflict(_l("Every tender must be scored or rejected before the decision."),
                           unscored=[e["supplier"] for e in result.unscored])
        if not result.ranked:
            continue
        item = next((inputs.body(i) for i in items if (inputs.body(i).get("lot_id") or None) == key), None)
        if item is None:
            errors[f"winners.{index}"] = [_l("Choose a tender for %(lot)s.", lot=result.lot_title or _l("the whole"))]
            continue
        tender_id = inputs.uuid_or_none(item.get("tender_id"))
        entry = next((e for e in result.ranked if e["tender_id"] == tender_id), None)
        if entry is None:
            errors[f"winners.{index}.tender_id"] = [_l("Choose a scored tender of this lot.")]
        reason_errors: dict[str, list] = {}
        reason = inputs.text(item, "reason", reason_errors, minimum=10)
        if reason_errors:
            errors[f"winners.{index}.reason"] = reason_errors["reason"]
        if entry is not None:
            chosen.append({"lot_id": key, "lot": result.lot_title, "tender_id": str(tender_id),
                           "supplier": entry["supplier"], "supplier_id": None, "reason": reason})
    if not errors and not chosen:
        raise Conflict(_l("There is no scored tender to choose."))
    if errors:
        raise ValidationError(_l("The decision is not complete."), errors=errors)
    return chosen


def _letter(procurement: Procurement, results: list[LotResult], winners: list[dict[str, Any]],
            tender_id: uuid.UUID, sent_at: datetime, ends: datetime | None, rejection: dict | None) -> dict[str, Any]:
    lots = []
    for result in results:
        key = str(result.lot_id) if result.lot_id else None
        winner = next((w for w in winners if w["lot_id"] == key), None)
        own = next((e for e in result.ranked if e["tender_id"] == tender_id), None)
        in_lot = own is not None or any(e["tender_id"] == tender_id for e in result.rejected)
        if winner is None or not in_lot:
            continue
        best = next(e for e in result.ranked if str(e["tender_id"]) == winner["tender_id"])
        lots.append({"lot_id": key, "lot": result.lot_title, "chosen": str(tender_id) == winner["tender_id"],
                     "criteria": [{"id": str(c.id), "name": c.name, "weight": c.weight, "is_price": c.is_price}
                                  for c in result.criteria],
                     "own": _row(own) if own else None, "winner": _row(best), "winner_supplier": winner["supplier"],
                     "reason": winner["reason"], "tenderers": len(result.ranked) + len(result.rejected)})
    return {"procurement": procurement.title, "sent_at": sent_at.isoformat(),
            "standstill_ends_at": ends.isoformat() if ends else None, "lots": lots, "rejection": rejection}


def _email_body(title: str, content: dict[str, Any]) -> str:
    lines = [gettext("The award decision in %(title)s is made.", title=title), ""]
    for lot in content["lots"]:
        if lot["lot"]:
            lines.append(lot["lot"])
        lines.append(gettext("Chosen tenderer: %(supplier)s (%(total)s points).", supplier=lot["winner_supplier"],
                             total=lot["winner"]["total"]))
        if lot["own"] and not lot["chosen"]:
            lines.append(gettext("Your tender: %(total)s points, rank %(rank)s.", total=lot["own"]["total"],
                                 rank=lot["own"]["rank"]))
        lines.append(gettext("Reasons: %(reason)s", reason=lot["reason"]))
        lines.append("")
    if content["standstill_ends_at"]:
        lines.append(gettext("The standstill period ends %(time)s.",
                             time=localtime(datetime.fromisoformat(content["standstill_ends_at"]))))
    lines.append(str(COMPLAIN))
    lines.append(gettext("The whole letter with every score is in the supplier portal."))
    return "\n".join(lines)


def _buyers(procurement_id: uuid.UUID) -> list[uuid.UUID]:
    return list(db.session.execute(select(Participation.tenant_id).where(
        Participation.procurement_id == procurement_id, Participation.status == ParticipationStatus.active,
        Participation.role.in_([ParticipantRole.lead, ParticipantRole.buyer]))
        .order_by(Participation.created_at, Participation.id)).scalars())


def decide(procurement_id: uuid.UUID, data: Any) -> AwardDecision:
    """Make (or, while suspended by a complaint, change) the award decision; letters to all."""
    access = committee.require_lead(procurement_id)
    procurement = access.procurement
    if not procurement.is_active:
        raise Conflict(_l("The procurement is completed or cancelled."))
    if procurement.phase != Phase.evaluation:
        raise Conflict(_l("The award decision is made in the evaluation phase."))
    existing = decision_of(procurement_id)
    if existing is not None and existing.suspended_at is None:
        raise Conflict(_l("The award decision is made; it can be changed only while a complaint has suspended "
                          "the standstill period."))
    data = inputs.body(data)
    results = evaluate(procurement_id)
    winners = _winners(results, data.get("winners"))
    tenders = submitted(procurement_id)
    by_id = {str(t.id): t for t in tenders}
    for winner in winners:
        winner["supplier_id"] = str(by_id[winner["tender_id"]].supplier_id)
    marks = assessments(procurement_id)
    now = database_now(db.session)
    ends = standstill.ends_at(now, procurement.procedure.value if procurement.procedure else None)
    if existing is not None:  # a changed decision: the new letters replace the old ones
        db.session.execute(delete(AwardLetter).where(AwardLetter.procurement_id == procurement_id))
        db.session.execute(delete(Contract).where(Contract.procurement_id == procurement_id,
                                                  Contract.signed_on.is_(None)))
        decision = existing
    else:
        decision = AwardDecision(procurement_id=procurement_id)
        db.session.add(decision)
    decision.winners, decision.evaluation = winners, snapshot(results)
    decision.decided_by_id, decision.letters_sent_at = access.principal.user.id, now
    decision.standstill_ends_at, decision.suspended_at = ends, None
    for tender in tenders:
        mark = marks.get(tender.id)
        rejection = ({"ground": mark.rejection_ground, "text": str(GROUNDS[mark.rejection_ground]),
                      "reason": mark.rejection_reason} if mark is not None and mark.rejected_at else None)
        content = _letter(procurement, results, winners, tender.id, now, ends, rejection)
        db.session.add(AwardLetter(procurement_id=procurement_id, supplier_id=tender.supplier_id,
                                   tender_id=tender.id, content=content, sent_at=now))
        notify(supplier_people(tender.supplier_id),
               lambda: gettext("Award decision in %(title)s", title=procurement.title),
               lambda content=content: _email_body(procurement.title, content))
    for winner in winners:
        for tenant_id in _buyers(procurement_id):
            db.session.add(Contract(procurement_id=procurement_id, tenant_id=tenant_id,
                                    supplier_id=uuid.UUID(winner["supplier_id"]),
                                    lot_id=uuid.UUID(winner["lot_id"]) if winner["lot_id"] else None, options=[]))
    db.session.flush()  # everything above at once: a failure leaves no letter, email or decision
    audit.record("award.changed" if existing is not None else "award.decided", "award_decision", decision.id,
                 tenant_id=access.acting_tenant_id, procurement_id=procurement_id,
                 changes={"after": {"winners": [{k: w[k] for k in ("lot", "supplier", "reason")} for w in winners],
                                    "letters": len(tenders), "sent_at": now.isoformat(),
                                    "standstill_ends_at": ends.isoformat() if ends else None}})
    return decision


def own_letter(procurement_id: uuid.UUID, supplier_id: uuid.UUID) -> AwardLetter | None:
    return db.session.execute(select(AwardLetter).where(
        AwardLetter.procurement_id == procurement_id, AwardLetter.supplier_id == supplier_id)).scalar_one_or_none()


# --- answers to the platform's hooks ----------------------------------------------------------

def transition_refused(procurement: Procurement, target: str) -> Conflict | None:
    """The move to the contract phase before the standstill of a decision made here ends (or
    while suspended). Without a decision in Samspill the (waivable) gate items decide."""
    if procurement.phase != Phase.evaluation or target != Phase.contract.value:
        return None
    decision = decision_of(procurement.id)
    if decision is None:
        return None
    reason = standstill.blocking(decision, database_now(db.session))
    if reason is None:
        return None
    extra = {"standstill_ends_at": decision.standstill_ends_at.isoformat()} if decision.standstill_ends_at else {}
    return Conflict(reason, **extra)


def gate_checks(procurement: Procurement) -> Deferred:
    """The evaluation's, award's and contracts' gate items, each worked out when a checklist
    reads it (`Deferred`): the procurement page of an earlier phase scores no tender."""
    decision_and_now = functools.cache(lambda: _decision_and_now(procurement.id))

    def standstill_missing() -> list[str]:
        reason = standstill.blocking(*decision_and_now())
        return [reason] if reason else []

    return Deferred({
        "core-evaluation-complete": lambda: _evaluation_missing(procurement.id),
        "core-award-decision": lambda: [] if decision_and_now()[0] is not None
        else [str(_l("No award decision is made."))],
        "core-standstill": standstill_missing,
        "core-contracts-signed": lambda: _unsigned(procurement.id)})


def _decision_and_now(procurement_id: uuid.UUID) -> tuple[AwardDecision | None, datetime]:
    """The decision and the database clock (`database_now`), in one statement when there is a
    decision; without one the standstill needs no clock and the app's stands in."""
    clock = database_clock(db.session)
    if clock is None:
        return decision_of(procurement_id), utcnow()
    row = db.session.execute(select(AwardDecision, clock).where(AwardDecision.procurement_id == procurement_id)).first()
    return (row[0], row[1]) if row is not None else (None, utcnow())


def _evaluation_missing(procurement_id: uuid.UUID) -> list[str]:
    try:
        results = evaluate(procurement_id)
    except Conflict:
        return [str(_l("The tenders are not opened yet."))]
    except ValidationError:
        return [str(_l("The award criteria are not complete."))]
    if not results:
        return [str(_l("No tender is evaluated."))]
    return [e["supplier"] for r in results for e in r.unscored]


_contracts, _tenants = Contract.__table__, Tenant.__table__
# Built once, bound per call: of each contract only whether it is signed and its buyer's name
# (the join a contract's `tenant` is loaded with). Contracts are not tenant-owned rows; the
# caller reads the procurement, and row-level security checks it again on PostgreSQL.
_SIGNED_AND_BUYER = (select(_contracts.c.signed_on, _tenants.c.name)
                     .join(_tenants, _tenants.c.id == _contracts.c.tenant_id)
                     .where(_contracts.c.procurement_id == bindparam("procurement_id")))


def _unsigned(procurement_id: uuid.UUID) -> list[str]:
    contracts = db.session.connection().execute(_SIGNED_AND_BUYER, {"procurement_id": procurement_id}).all()
    return [name for signed_on, name in contracts if signed_on is None] if contracts else [
        str(_l("No contract is recorded."))]
