"""Demo content of the award (idempotent): "Digitalt tilsyn" evaluated, awarded and contracted.

Runs after the competition's demo, which leaves the procurement with both demo suppliers'
tenders opened (Asker accepted its invitation with its mandate). Through the real services,
acting as the demo people: the lead records Bærum's mandate and declares
impartiality, scores both tenders and records the consensus, decides (letters to both
tenderers through the outbox); the standstill is then moved into the past directly in the
database (the demo's one shortcut, as the competition's deadlines), the procurement moves to the
contract phase, and Asker and Bærum each sign their own contract. The competition's demo
announces the competition without award criteria, so the same shortcut writes the criteria
the announcement would have carried (quality 40 with two sub-criteria, price 30, implementation 30).

Every business time follows the competition demo's `timeline` (about thirteen months back): the
mandates, the scores, the decision and its letters, the standstill, the move to the contract
phase, the signatures, and contracts that started a year before the seed day's month (option
deadline after the start).
"""

from __future__ import annotations

from sqlalchemy import select

from core import isolation
from core.award import committee, contracts, decision, mandates, scoring
from core.award.models import AwardDecision, AwardLetter, Contract, EvaluatorScores
from core.competition.demo import LEAD_OFFICER, TITLE, Timeline, timeline
from core.competition.models import Tender, TenderStatus
from core.competition.settings import competition_of
from core.db import db
from core.procurement import gates
from core.procurement.demo import acting_as, find_demo_procurement
from core.procurement.models import Phase, PhaseTransition, Procurement
from core.specification.models import AwardCriterion, PriceModel

REASON = "Demo: gjennomført før Samspill ble tatt i bruk; dokumentert i arkivet."
# supplier org name -> consensus per leaf (Brukervennlighet, Personvern, Implementering)
CONSENSUS = [(8, 7, 7), (6, 8, 6)]


def _ensure_criteria(procurement: Procurement) -> None:
    exists = db.session.execute(select(AwardCriterion.id).where(
        AwardCriterion.procurement_id == procurement.id)).first()
    if exists:
        return
    quality = AwardCriterion(procurement_id=procurement.id, position=1, name="Kvalitet", weight=40,
                             description="Hvor godt løsningen dekker behovene")
    db.session.add(quality)
    db.session.flush()
    db.session.add_all([
        AwardCriterion(procurement_id=procurement.id, parent_id=quality.id, position=2, name="Brukervennlighet",
                       weight=25),
        AwardCriterion(procurement_id=procurement.id, parent_id=quality.id, position=3, name="Personvern",
                       weight=15),
        AwardCriterion(procurement_id=procurement.id, position=4, name="Pris", weight=30, is_price=True,
                       price_model=PriceModel.lowest_proportional),
        AwardCriterion(procurement_id=procurement.id, position=5, name="Implementering og gevinst", weight=30),
    ])
    db.session.flush()


# Bærum's mandate, decided on `Timeline.baerum_mandate`.
BAERUM_MANDATE = {"decision_ref": "KST 44/26", "signatory": "Kommunedirektøren i Bærum",
                  "volume_ore": 1_600_000_000, "options_ore": 200_000_000}


def _leaves(procurement_id) -> list[str]:
    return [str(c.id) for c in scoring.scored_criteria(procurement_id, [None])]


def seed() -> None:
    with isolation.system_scope():
        procurement = find_demo_procurement(TITLE, "baerum")
        if procurement is None:
            return
        competition = competition_of(procurement.id)
        if competition is None or competition.opened_at is None or decision.decision_of(procurement.id):
            return
        pid = procurement.id
        _ensure_criteria(procurement)
        tenders = list(db.session.execute(select(Tender).where(
            Tender.procurement_id == pid, Tender.status == TenderStatus.submitted)
            .order_by(Tender.submitted_at)).scalars())
    db.session.commit()
    plan = timeline()
    with acting_as(LEAD_OFFICER, "baerum"):
        if procurement.phase == Phase.competition:
            _pass_competition(pid)
        # the lead buys too: its mandate beside Asker's (recorded as Asker accepted)
        mandates.record(pid, {**BAERUM_MANDATE, "decided_on": plan.baerum_mandate.isoformat()})
        committee.declare(pid, {"conflict": False, "statement": ""})
        leaves = _leaves(pid)
        for tender, values in zip(tenders, CONSENSUS, strict=False):
            own = [{"criterion_id": c, "score": v, "justification": "Vurdert etter kravspesifikasjonen."}
                   for c, v in zip(leaves, values, strict=True)]
            scoring.save_scores(tender.id, {"scores": own, "submit": True})
            scoring.set_consensus(tender.id, {"scores": [
                {"criterion_id": c, "score": v, "motivation": "Omforent i evalueringsmøtet."}
                for c, v in zip(leaves, values, strict=True)]})
        ranking = scoring.evaluate(pid)[0].ranked
        decision.decide(pid, {"winners": [{"lot_id": None, "tender_id": str(ranking[0]["tender_id"]),
                                           "reason": "Best på brukervennlighet og implementering, og lavest pris."}]})
    db.session.commit()
    _backdate_decision(pid, plan)  # the demo's shortcut: the standstill has passed (long ago)
    db.session.commit()
    with acting_as(LEAD_OFFICER, "baerum"):
        gates.transition(pid)
    db.session.commit()
    with isolation.system_scope():
        for transition in db.session.execute(select(PhaseTransition).where(
                PhaseTransition.procurement_id == pid, PhaseTransition.to_phase == Phase.contract.value)).scalars():
            transition.at = plan.contract_phase
        signed = {c.tenant.slug: c.id for c in db.session.execute(
            select(Contract).where(Contract.procurement_id == pid)).scalars()}
    db.session.commit()
    for slug, contract_id in signed.items():
        with acting_as(f"officer@{slug}.demo", slug):
            contracts.update(contract_id, {
                "value_ore": 1_500_000_00, "starts_on": plan.contract_start.isoformat(),
                "ends_on": plan.contract_end.isoformat(),
                "options": [{"description": "Forlengelse ett år", "remind_days": 90,
                             "exercise_by": plan.option_exercise_by.isoformat()}],
                "signed_on": plan.signed_on.isoformat()})
        db.session.commit()


def _backdate_decision(pid, plan: Timeline) -> None:
    """The evaluation's and the decision's times to the planned past ones: the move to the
    evaluation, the scores, the decision with its letters, the end of the standstill."""
    with isolation.system_scope():
        for transition in db.session.execute(select(PhaseTransition).where(
                PhaseTransition.procurement_id == pid, PhaseTransition.to_phase == Phase.evaluation.value)).scalars():
            transition.at = plan.evaluation
        for scores in db.session.execute(select(EvaluatorScores).where(
                EvaluatorScores.procurement_id == pid)).scalars():
            scores.submitted_at = plan.scored if scores.submitted_at is not None else None
        for letter in db.session.execute(select(AwardLetter).where(AwardLetter.procurement_id == pid)).scalars():
            letter.sent_at = plan.decided
        row = db.session.execute(select(AwardDecision).where(AwardDecision.procurement_id == pid)).scalar_one()
        row.letters_sent_at = plan.decided
        row.standstill_ends_at = plan.standstill_ends


def _pass_competition(pid) -> None:
    procurement = db.session.get(Procurement, pid)
    for status in gates.checklist(procurement, procurement.phase):
        if not status.met:
            gates.waive(pid, status.item.key, REASON)
    gates.transition(pid)
