"""The demo's finished "Digitalt tilsyn": evaluated, awarded with letters to both tenderers, the
standstill passed, in the contract phase with each buyer's contract signed (seeded twice)."""

from __future__ import annotations

from sqlalchemy import select

from core import isolation
from core.award.models import AwardDecision, AwardLetter, Contract
from core.db import db
from core.procurement import demo as procurement_demo


def test_demo_procurement_is_awarded_and_contracted(app, monkeypatch):
    monkeypatch.setenv("SAMSPILL_DEMO_PASSWORD", "demo-password-123")
    from core.demo import seed_demo

    with app.app_context():
        seed_demo()
        seed_demo()
        db.session.remove()
    with app.app_context(), isolation.system_scope():
        procurement = procurement_demo.find_demo_procurement("Digitalt tilsyn")
        assert procurement.phase.value == "contract"
        decision = db.session.execute(select(AwardDecision).where(
            AwardDecision.procurement_id == procurement.id)).scalar_one()
        assert decision.standstill_ends_at is not None and decision.suspended_at is None
        letters = db.session.execute(select(AwardLetter).where(
            AwardLetter.procurement_id == procurement.id)).scalars().all()
        assert len(letters) == 2
        contracts = db.session.execute(
            select(Contract).where(Contract.procurement_id == procurement.id)).scalars().all()
        assert sorted(c.tenant.slug for c in contracts) == ["asker", "baerum"]
        assert all(c.signed_on is not None for c in contracts)
