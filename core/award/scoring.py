"""Scores: each evaluator's own (blind), the lead's consensus, and the evaluation that follows.

- An evaluator scores each non-price criterion (leaf) of the lots a tender is in, 0–10 with a
  written justification; saving keeps a draft, `submit` fixes it. Others' submitted scores of a
  tender are shown only to someone who submitted their own for that tender.
- The lead records the consensus score per criterion with its motivation.
- The evaluation (weighted points, totals, ranking with ties) is computed by the
  specification's simulation from the consensus scores and the tendered prices — the same
  price model, weights and tie rule the suppliers were shown.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from core import audit
from core.award import committee, inputs
from core.award import tenders as award_tenders
from core.award.assessment import assessment_of, submitted_with_assessments
from core.award.models import EvaluatorScores
from core.competition.models import Tender
from core.db import db
from core.deadlines import database_now
from core.errors import Conflict, NotFound, ValidationError
from core.i18n import _l
from core.specification import criteria as spec_criteria
from core.specification import pricing
from core.specification.criteria import CriteriaSet
from core.specification.models import AwardCriterion


def _set_for(sets: list[CriteriaSet], lot_id: uuid.UUID | None) -> CriteriaSet | None:
    chosen = next((s for s in sets if (s.lot.id if s.lot else None) == lot_id), None)
    if chosen is not None and not chosen.nodes and chosen.lot is not None:
        return CriteriaSet(chosen.lot, sets[0].nodes)
    return chosen


def scored_criteria(procurement_id: uuid.UUID, lots: list[uuid.UUID | None]) -> list[AwardCriterion]:
    """The non-price leaf criteria of the given lots (each once)."""
    sets = spec_criteria.criteria_sets(procurement_id)
    seen: dict[uuid.UUID, AwardCriterion] = {}
    for lot in lots:
        chosen = _set_for(sets, lot)
        for leaf in chosen.leaves() if chosen else []:
            if not leaf.is_price:
                seen.setdefault(leaf.id, leaf)
    return list(seen.values())


def _parse(procurement_id: uuid.UUID, tender: Tender, raw: Any, note_key: str,
           *, complete: bool) -> dict[str, dict[str, Any]]:
    competition = award_tenders.opened_competition(procurement_id)
    leaves = scored_criteria(procurement_id, list(award_tenders.prices(competition, tender)))
    items = raw if isinstance(raw, list) else None
    errors: dict[str, list] = {}
    if items is None:
        raise ValidationError(_l("Give the scores as a list."), errors={"scores": [_l("A list of scores.")]})
    by_id = {str(leaf.id): leaf for leaf in leaves}
    result: dict[str, dict[str, Any]] = {}
    for i, item in enumerate(items[:100]):
        item = inputs.body(item)
        key = str(item.get("criterion_id"))
        if key not in by_id:
            errors[f"scores.{i}.criterion_id"] = [_l("Not a scored criterion of this tender.")]
            continue
        value = inputs.score(item.get("score"))
        if value is None:
            errors[f"scores.{i}.score"] = [_l("A whole score from 0 to 10.")]
        note_errors: dict[str, list] = {}
        note = inputs.text(item, note_key, note_errors, required=complete, minimum=5)
        if note_errors:
            errors[f"scores.{i}.{note_key}"] = note_errors[note_key]
        result[key] = {"score": value, note_key: note}
    if complete:
        for key, leaf in by_id.items():
            if key not in result:
                errors[f"scores.{key}"] = [_l("Score %(criterion)s.", criterion=leaf.name)]
    if errors:
        raise ValidationError(_l("Some scores are not complete."), errors=errors)
    return result


# --- each evaluator's own scores -------------------------------------------------------------

@dataclass
class ScoresView:
    tender: Tender
    own: EvaluatorScores | None
    others: list[EvaluatorScores]  # submitted, shown only once the caller's own is submitted


def _own(tender: Tender, user_id: uuid.UUID) -> EvaluatorScores | None:
    return db.session.execute(select(EvaluatorScores).where(
        EvaluatorScores.tender_id == tender.id, EvaluatorScores.evaluator_id == user_id)).scalar_one_or_none()


def _scorable(tender_id: uuid.UUID):
    tender = award_tenders.tender_in(tender_id)
    access = committee.require_evaluator(tender.procurement_id)
    return access, tender


def view_scores(tender_id: uuid.UUID) -> ScoresView:
    access, tender = _scorable(tender_id)
    own = _own(tender, access.principal.user.id)
    others: list[EvaluatorScores] = []
    if own is not None and own.submitted_at is not None:
        others = list(db.session.execute(select(EvaluatorScores).where(
            EvaluatorScores.tender_id == tender.id, EvaluatorScores.evaluator_id != access.principal.user.id,
            EvaluatorScores.submitted_at.is_not(None)).order_by(EvaluatorScores.submitted_at)).scalars())
    return ScoresView(tender, own, others)


def save_scores(tender_id: uuid.UUID, data: Any) -> ScoresView:
    access, tender = _scorable(tender_id)
    if not access.procurement.is_active:
        raise Conflict(_l("The procurement is completed or cancelled."))
    assessment = assessment_of(tender)
    if assessment is not None and assessment.rejected_at is not None:
        raise Conflict(_l("A rejected tender is not scored."))
    data = inputs.body(data)
    submit = data.get("submit") is True
    scores = _parse(tender.procurement_id, tender, data.get("scores"), "justification", complete=submit)
    own = _own(tender, access.principal.user.id)
    if own is not None and own.submitted_at is not None:
        raise Conflict(_l("Your scores of this tender are submitted and can no longer be changed."))
    if own is None:
        own = EvaluatorScores(procurement_id=tender.procurement_id, tender_id=tender.id,
                              evaluator_id=access.principal.user.id)
        db.session.add(own)
    own.scores = scores
    if submit:
        own.submitted_at = database_now(db.session)
    db.session.flush()
    if submit:
        audit.record("award.scores_submitted", "tender", tender.id, tenant_id=access.acting_tenant_id,
                     procurement_id=tender.procurement_id,
                     changes={"after": {"tenderer": tender.supplier.name, "scores": scores}})
    return view_scores(tender_id)


# --- the lead's consensus ---------------------------------------------------------------------

def set_consensus(tender_id: uuid.UUID, data: Any):
    tender = award_tenders.tender_in(tender_id)
    access = committee.require_lead(tender.procurement_id)
    if not access.procurement.is_active:
        raise Conflict(_l("The procurement is completed or cancelled."))
    row = assessment_of(tender, create=True)
    if row.rejected_at is not None:
        raise Conflict(_l("A rejected tender is not scored."))
    scores = _parse(tender.procurement_id, tender, inputs.body(data).get("scores"), "motivation", complete=True)
    row.consensus, row.updated_by_id = scores, access.principal.user.id
    db.session.flush()
    audit.record("award.consensus_set", "tender", tender.id, tenant_id=access.acting_tenant_id,
                 procurement_id=tender.procurement_id,
                 changes={"after": {"tenderer": tender.supplier.name, "scores": scores}})
    return row


# --- the evaluation ---------------------------------------------------------------------------

@dataclass
class LotResult:
    lot_id: uuid.UUID | None
    lot_title: str | None
    criteria: list[AwardCriterion]
    ranked: list[dict[str, Any]]      # scored tenders, best first, with points, total, rank, tied
    unscored: list[dict[str, Any]]    # tenders in the lot without a complete consensus
    rejected: list[dict[str, Any]]


def evaluate(procurement_id: uuid.UUID) -> list[LotResult]:
    """Weighted totals and ranking per lot from the consensus scores (nothing stored)."""
    competition = award_tenders.opened_competition(procurement_id)
    pairs = submitted_with_assessments(procurement_id)
    rows = [tender for tender, _mark in pairs]
    marks = {tender.id: mark for tender, mark in pairs if mark is not None}
    sets = spec_criteria.criteria_sets(procurement_id)
    by_lot: dict[uuid.UUID | None, list[tuple[Tender, Any]]] = {}
    for tender in rows:
        for lot_id, price in award_tenders.prices(competition, tender).items():
            by_lot.setdefault(lot_id, []).append((tender, price))
    results = []
    for lot_id, entries in by_lot.items():
        chosen = _set_for(sets, lot_id)
        if chosen is None:
            continue
        leaves = chosen.leaves()
        scored_ids = {str(leaf.id) for leaf in leaves if not leaf.is_price}
        ranked_input, unscored, rejected, tenders_by_key = [], [], [], {}
        for tender, price in entries:
            mark = marks.get(tender.id)
            summary = {"tender_id": tender.id, "supplier": tender.supplier.name, "price_ore": int(price)}
            if mark is not None and mark.rejected_at is not None:
                rejected.append({**summary, "ground": mark.rejection_ground, "reason": mark.rejection_reason})
                continue
            consensus = mark.consensus if mark is not None else {}
            if not scored_ids <= set(consensus):
                unscored.append(summary)
                continue
            tenders_by_key[str(tender.id)] = (tender, consensus, summary)
            ranked_input.append({"name": str(tender.id), "price": str(int(price)),
                                 "scores": {k: consensus[k]["score"] for k in scored_ids}})
        ranked = []
        if ranked_input:
            _set, simulated = spec_criteria.simulate(procurement_id, ranked_input, lot_id, sets)
            for result in simulated:
                tender, consensus, summary = tenders_by_key[result.name]
                ranked.append({**summary, "rank": result.rank, "tied": result.tied, "total": result.total,
                               "points": {str(k): v for k, v in result.points.items()},
                               "consensus": consensus})
        results.append(LotResult(lot_id, chosen.lot.title if chosen.lot else None, leaves, ranked, unscored,
                                 rejected))
    return results


def require_evaluation_reader(procurement_id: uuid.UUID):
    """The lead, or an evaluator who submitted scores for every tender they can score."""
    access = committee.require_evaluator(procurement_id)
    if access.project_role.value == "lead":
        return access
    submitted = db.session.execute(select(EvaluatorScores.id).where(
        EvaluatorScores.procurement_id == procurement_id, EvaluatorScores.evaluator_id == access.principal.user.id,
        EvaluatorScores.submitted_at.is_not(None)).limit(1)).first()
    if submitted is None:
        raise NotFound(_l("The evaluation is shown once you have submitted your own scores."))
    return access


def shown(value) -> str:
    return str(pricing.shown(value))


def tender_criteria(tender: Tender) -> list[AwardCriterion]:
    """The non-price criteria (leaves) a tender is scored on, for the scoring forms."""
    competition = award_tenders.opened_competition(tender.procurement_id)
    return scored_criteria(tender.procurement_id, list(award_tenders.prices(competition, tender)))
