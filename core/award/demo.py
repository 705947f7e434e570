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
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core import isolation
from core.award import committee, contracts, decision, mandates, scoring
from core.award.models import AwardDecision, Contract
from core.competition.demo import LEAD_OFFICER, TITLE
from core.competition.models import Tender, TenderStatus
from core.competition.settings import competition_of
from core.db import db, utcnow
from core.procurement import gates
from core.procurement.demo import acting_as, find_demo_procurement
from core.procurement.models import Phase, Procurement
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


BAERUM_MANDATE = {"decision_ref": "KST 44/26", "decided_on": "2026-08-27", "signatory": "Kommunedirektøren i Bærum",
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
    with acting_as(LEAD_OFFICER, "baerum"):
        if procurement.phase == Phase.competition:
            _pass_competition(pid)
        # the lead buys too: its mandate beside Asker's (recorded as Asker accepted)
        mandates.record(pid, BAERUM_MANDATE)
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
    with isolation.system_scope():  # the demo's shortcut: the standstill has passed
        row = db.session.execute(select(AwardDecision).where(AwardDecision.procurement_id == pid)).scalar_one()
        row.letters_sent_at = utcnow() - timedelta(days=12)
        row.standstill_ends_at = utcnow() - timedelta(days=2)
    db.session.commit()
    with acting_as(LEAD_OFFICER, "baerum"):
        gates.transition(pid)
    db.session.commit()
    with isolation.system_scope():
        signed = {c.tenant.slug: c.id for c in db.session.execute(
            select(Contract).where(Contract.procurement_id == pid)).scalars()}
    today = utcnow().date()
    for slug, contract_id in signed.items():
        with acting_as(f"officer@{slug}.demo", slug):
            contracts.update(contract_id, {
                "value_ore": 1_500_000_00, "starts_on": today.isoformat(),
                "ends_on": today.replace(year=today.year + 3).isoformat(),
                "options": [{"description": "Forlengelse ett år", "remind_days": 90,
                             "exercise_by": today.replace(year=today.year + 3, day=1).isoformat()}],
                "signed_on": today.isoformat()})
        db.session.commit()


def _pass_competition(pid) -> None:
    procurement = db.session.get(Procurement, pid)
    for status in gates.checklist(procurement, procurement.phase):
        if not status.met:
            gates.waive(pid, status.item.key, REASON)
    gates.transition(pid)
