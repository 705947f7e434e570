"""The award package's objects as JSON-ready dicts (times as ISO 8601 UTC, amounts in øre,
points with two decimals as strings)."""

from __future__ import annotations

from typing import Any

from core.award.models import (
    AwardDecision,
    AwardLetter,
    Complaint,
    Contract,
    Declaration,
    EvaluatorScores,
    Mandate,
)
from core.award.scoring import LotResult, ScoresView, shown


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def declaration(row: Declaration) -> dict[str, Any]:
    return {"tenderers": row.tenderers, "conflict": row.conflict, "statement": row.statement,
            "declared_at": iso(row.updated_at)}


def _scores(row: EvaluatorScores | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"scores": [{"criterion_id": k, **v} for k, v in row.scores.items()],
            "submitted": row.submitted_at is not None, "submitted_at": iso(row.submitted_at)}


def scores_view(view: ScoresView) -> dict[str, Any]:
    return {"tender_id": view.tender.id, "supplier": view.tender.supplier.name, "own": _scores(view.own),
            "others": [_scores(o) for o in view.others]}


def evaluation(results: list[LotResult]) -> dict[str, Any]:
    return {"lots": [{
        "lot_id": r.lot_id, "lot": r.lot_title,
        "criteria": [{"id": c.id, "name": c.name, "weight": c.weight, "is_price": c.is_price} for c in r.criteria],
        "ranking": [{"tender_id": e["tender_id"], "supplier": e["supplier"], "price_ore": e["price_ore"],
                     "rank": e["rank"], "tied": e["tied"], "total": shown(e["total"]),
                     "points": {k: shown(v) for k, v in e["points"].items()},
                     "consensus": [{"criterion_id": k, **v} for k, v in e["consensus"].items()]}
                    for e in r.ranked],
        "unscored": r.unscored, "rejected": r.rejected} for r in results]}


def decision(row: AwardDecision) -> dict[str, Any]:
    return {"winners": [{k: w[k] for k in ("lot_id", "lot", "tender_id", "supplier", "reason")} for w in row.winners],
            "letters_sent_at": iso(row.letters_sent_at), "standstill_ends": iso(row.standstill_ends_at),
            "suspended": row.suspended_at is not None, "evaluation": row.evaluation}


def letter(row: AwardLetter) -> dict[str, Any]:
    return {"supplier": row.supplier.name, "sent_at": iso(row.sent_at), **row.content}


def complaint(row: Complaint, *, group: bool) -> dict[str, Any]:
    result = {"id": row.id, "text": row.text, "status": row.status.value, "filed_at": iso(row.created_at),
              "answer": row.answer, "answered_at": iso(row.answered_at)}
    if group:
        result["supplier"] = row.supplier.name
    return result


def contract(row: Contract) -> dict[str, Any]:
    return {"id": row.id, "procurement_id": row.procurement_id, "buyer": row.tenant.name,
            "buyer_slug": row.tenant.slug, "supplier": row.supplier.name, "lot_id": row.lot_id,
            "value_ore": row.value_ore, "starts_on": iso(row.starts_on), "ends_on": iso(row.ends_on),
            "options": row.options, "signed_on": iso(row.signed_on), "document_id": row.document_id,
            "version": row.version}


def mandate(row: Mandate) -> dict[str, Any]:
    return {"buyer": row.tenant.name, "buyer_slug": row.tenant.slug, "decision_ref": row.decision_ref,
            "decided_on": iso(row.decided_on), "signatory": row.signatory, "volume_ore": row.volume_ore,
            "options_ore": row.options_ore}
