"""JSON API of the evaluation and award (contract.md, award rows). Thin: parse, call one
service, commit, shape the answer."""

from __future__ import annotations

import uuid

from flask import request
from flask.views import MethodView
from flask_smorest import Blueprint

from core.award import (
    assessment,
    cancellation,
    committee,
    complaints,
    contracts,
    decision,
    mandates,
    present,
    scoring,
)
from core.db import db
from core.errors import NotFound
from core.i18n import _l
from core.pagination import parse_limit
from core.procurement.access import Action, require
from core.suppliers.service import require_supplier, supplier_context

blp = Blueprint("award_api", __name__, url_prefix="/api/v1", description="Evaluation, award and contracts")


def _json():
    return request.get_json(silent=True)


def _page_args() -> tuple[str | None, int]:
    """`cursor` and `limit` (1–100, default 50) of a list request (422 naming the field)."""
    return request.args.get("cursor") or None, parse_limit(request.args.get("limit"), default=50)


@blp.route("/procurements/<uuid:procurement_id>/impartiality")
class Impartiality(MethodView):
    def get(self, procurement_id: uuid.UUID):
        """The caller's impartiality declaration (404 before one is made)."""
        access = require(procurement_id, Action.evaluate)
        row = committee.declaration_of(procurement_id, access.principal.user.id)
        if row is None:
            raise NotFound(_l("No declaration yet."))
        return present.declaration(row)

    def put(self, procurement_id: uuid.UUID):
        """Declare impartiality (or a conflict) naming the tenderers."""
        row = committee.declare(procurement_id, _json())
        db.session.commit()
        return present.declaration(row)


@blp.route("/tenders/<uuid:tender_id>/scores")
class Scores(MethodView):
    def get(self, tender_id: uuid.UUID):
        """The caller's own scores; the others' once the caller's own are submitted."""
        return present.scores_view(scoring.view_scores(tender_id))

    def put(self, tender_id: uuid.UUID):
        """Save (or with `submit`, submit) the caller's scores with justifications."""
        view = scoring.save_scores(tender_id, _json())
        db.session.commit()
        return present.scores_view(view)


@blp.route("/tenders/<uuid:tender_id>/consensus")
class Consensus(MethodView):
    def put(self, tender_id: uuid.UUID):
        """The lead's consensus scores with motivation."""
        row = scoring.set_consensus(tender_id, _json())
        db.session.commit()
        return {"tender_id": tender_id, "consensus": [{"criterion_id": k, **v} for k, v in row.consensus.items()]}


@blp.route("/tenders/<uuid:tender_id>/qualification")
class Qualification(MethodView):
    def put(self, tender_id: uuid.UUID):
        """The lead's qualification assessment with its reason."""
        row = assessment.qualify(tender_id, _json())
        db.session.commit()
        return {"tender_id": tender_id, "qualified": row.qualified, "reason": row.qualification_reason}


@blp.route("/tenders/<uuid:tender_id>/rejection")
class Rejection(MethodView):
    def post(self, tender_id: uuid.UUID):
        """Reject a tender with a legal ground and a reason (the tenderer is told)."""
        row = assessment.reject(tender_id, _json())
        db.session.commit()
        return {"tender_id": tender_id, "ground": row.rejection_ground, "reason": row.rejection_reason,
                "rejected_at": present.iso(row.rejected_at)}, 201


@blp.route("/procurements/<uuid:procurement_id>/evaluation")
class Evaluation(MethodView):
    def get(self, procurement_id: uuid.UUID):
        """Weighted totals and ranking per lot (the lead; evaluators after their own scores)."""
        scoring.require_evaluation_reader(procurement_id)
        return present.evaluation(scoring.evaluate(procurement_id))


@blp.route("/procurements/<uuid:procurement_id>/award")
class Award(MethodView):
    def get(self, procurement_id: uuid.UUID):
        """The award decision (the committee)."""
        committee.require_evaluator(procurement_id)
        row = decision.decision_of(procurement_id)
        if row is None:
            raise NotFound(_l("No award decision is made."))
        return present.decision(row)

    def post(self, procurement_id: uuid.UUID):
        """Decide: the chosen tender per lot with reasons; letters to every tenderer at once."""
        row = decision.decide(procurement_id, _json())
        db.session.commit()
        return present.decision(row), 201


@blp.route("/procurements/<uuid:procurement_id>/award-letter")
class Letter(MethodView):
    def get(self, procurement_id: uuid.UUID):
        """The calling tenderer's own letter with its scores and the winner's."""
        context = require_supplier()
        row = decision.own_letter(procurement_id, context.supplier_id)
        if row is None:
            raise NotFound(_l("No award letter."))
        return present.letter(row)


@blp.route("/procurements/<uuid:procurement_id>/complaints")
class Complaints(MethodView):
    def get(self, procurement_id: uuid.UUID):
        """Every complaint (project group) or the tenderer's own, oldest first, a keyset page
        (`cursor`, `limit`; `next_cursor` while more follow)."""
        page, group = complaints.page_for_caller(procurement_id, *_page_args())
        return {"items": [present.complaint(r, group=group) for r in page.items], "next_cursor": page.next_cursor}

    def post(self, procurement_id: uuid.UUID):
        """A tenderer files a complaint; the lead suspends, resumes or answers (`action`)."""
        if supplier_context() is not None:
            row = complaints.file(procurement_id, _json())
            db.session.commit()
            return present.complaint(row, group=False), 201
        result = complaints.act(procurement_id, _json())
        db.session.commit()
        if isinstance(result, decision.AwardDecision):
            return present.decision(result)
        return present.complaint(result, group=True)


@blp.route("/procurements/<uuid:procurement_id>/cancel")
class Cancel(MethodView):
    def post(self, procurement_id: uuid.UUID):
        """Cancel the procurement with a reason (the lead); everyone is told; read-only after."""
        procurement = cancellation.cancel(procurement_id, _json())
        db.session.commit()
        return {"id": procurement.id, "status": procurement.status.value}


@blp.route("/procurements/<uuid:procurement_id>/contracts")
class Contracts(MethodView):
    def get(self, procurement_id: uuid.UUID):
        """The contracts the caller may see (the lead: all; a buyer: its own), oldest first, a keyset
        page (`cursor`, `limit`; `next_cursor` while more follow)."""
        page = contracts.page_contracts(procurement_id, *_page_args())
        return {"items": [present.contract(c) for c in page.items], "next_cursor": page.next_cursor}

    def post(self, procurement_id: uuid.UUID):
        """The lead adds a buyer's contract for an awarded lot."""
        row = contracts.add(procurement_id, _json())
        db.session.commit()
        return present.contract(row), 201


@blp.route("/contracts/<uuid:contract_id>")
class ContractItem(MethodView):
    def get(self, contract_id: uuid.UUID):
        return present.contract(contracts.get(contract_id))

    def patch(self, contract_id: uuid.UUID):
        """Fill in or sign (the buyer's officers) a contract."""
        row = contracts.update(contract_id, _json())
        db.session.commit()
        return present.contract(row)


def _mandates(procurement_id: uuid.UUID, cursor: str | None = None, limit: int = 50) -> dict:
    found = mandates.list_mandates(procurement_id, cursor, limit)
    return {"items": [present.mandate(m) for m in found.items], "total_ore": found.total_ore,
            "next_cursor": found.next_cursor}


@blp.route("/procurements/<uuid:procurement_id>/mandates")
class Mandates(MethodView):
    def get(self, procurement_id: uuid.UUID):
        """Every buyer's mandate (a keyset page: `cursor`, `limit`) and the sum of all the buyers'
        estimated volumes, options included."""
        return _mandates(procurement_id, *_page_args())

    def put(self, procurement_id: uuid.UUID):
        """The caller's buyer records its mandate (decision reference, date, signatory, volume)."""
        mandates.record(procurement_id, _json())
        db.session.commit()
        return _mandates(procurement_id)
