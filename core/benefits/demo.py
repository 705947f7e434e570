"""Demo content: both buyers of "Tryggere hverdag" and of the finished "Digitalt tilsyn" (Bærum
and Asker) have a baseline, a target and twelve monthly measurements per KPI and share their
results in the arena; "Digitalt tilsyn"'s contracts have a follow-up meeting and a deviation
(idempotent)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from core import isolation
from core.award.models import Contract
from core.benefits.kpis import buyers, kpis_for
from core.benefits.models import Baseline, Deviation, FollowUpMeeting, Measurement
from core.competition.demo import TITLE as DIGITALT_TILSYN
from core.db import db
from core.procurement.demo import find_demo_procurement

# KPI key -> (baseline, target, value after twelve months); values move evenly in between.
PLAN = {
    "avoided_home_visits": (0, 400, 420),
    "alarm_response_time": (25, 15, 12),
    "false_alarm_share": (40, 25, 27),
    "digital_night_supervision": (5, 50, 46),
    "medication_adherence": (78, 95, 93),
    "perceived_safety": (3.4, 4.2, 4.1),
}
OWNERS = {"baerum": "Kommunalsjef helse og omsorg, Bærum", "asker": "Kommunaldirektør helse og mestring, Asker"}


def _months(count: int, last: date) -> list[date]:
    months, year, month = [], last.year, last.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(months))


def seed() -> None:
    for procurement in (find_demo_procurement(), find_demo_procurement(DIGITALT_TILSYN, "baerum")):
        if procurement is not None:
            _seed_values(procurement)
            _seed_follow_up(procurement)
    db.session.commit()


def _seed_follow_up(procurement) -> None:
    with isolation.system_scope():
        contracts = db.session.execute(
            select(Contract).where(Contract.procurement_id == procurement.id)).scalars().all()
        if not contracts or db.session.execute(select(FollowUpMeeting.id).where(
                FollowUpMeeting.procurement_id == procurement.id)).first():
            return
        for contract in contracts:
            db.session.add(FollowUpMeeting(
                procurement_id=procurement.id, contract_id=contract.id, tenant_id=contract.tenant_id,
                held_on=date(2026, 10, 15), title="Kvartalsvis oppfølging",
                minutes="Leverandøren la fram responstider og driftsavvik. Opplæring av nattevakter fullført."))
            db.session.add(Deviation(
                procurement_id=procurement.id, contract_id=contract.id, tenant_id=contract.tenant_id,
                title="Sensorer uten dekning i to boliger", description="Mobildekningen er for svak.",
                severity="medium", owner="Driftsansvarlig velferdsteknologi", deadline=date(2026, 12, 15)))


def _seed_values(procurement) -> None:
    # The demo writes both buyers' rows directly (as their people would), in system scope.
    with isolation.system_scope():
        if db.session.execute(select(Baseline.id).where(Baseline.procurement_id == procurement.id)).first():
            return
        periods = _months(12, date(2026, 11, 1))
        for offset, buyer in enumerate(buyers(procurement.id)):
            buyer.tenant.share_benefit_results = True
            for kpi in kpis_for(procurement):
                start, target, end = PLAN.get(kpi.key, (10, 20, 18))
                start, end = start * (1 + offset / 10), end * (1 + offset / 20)
                db.session.add(Baseline(
                    procurement_id=procurement.id, tenant_id=buyer.tenant_id, kpi_key=kpi.key, value=round(start, 1),
                    unit=kpi.unit, measured_on=date(2025, 9, 30), method="Uttrekk fra fagsystem, snitt siste 12 mnd.",
                    source="Fagsystem og responssenterets logg", owner=OWNERS.get(buyer.tenant.slug, "Kommunalsjef"),
                    target_value=target, target_date=date(2027, 12, 31)))
                for i, period in enumerate(periods, start=1):
                    value = start + (end - start) * i / len(periods)
                    db.session.add(Measurement(procurement_id=procurement.id, tenant_id=buyer.tenant_id,
                                               kpi_key=kpi.key, period=period, value=round(value, 1)))
