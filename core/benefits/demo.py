"""Demo content of benefit realisation (idempotent), entered through the benefits service as the
buyers' own officers would, so its rules hold for the demo too.

- The finished "Digitalt tilsyn" (Bærum and Asker, contracts signed about thirteen months before
  the seed day, see `core.competition.demo.timeline`): each buyer has a baseline per KPI
  measured before buying, a target, and a measurement for each of the twelve whole months from
  its contract start month (`record_measurement` refuses months before the contract start).
  Each contract has a follow-up meeting and an open deviation, dated from the contract start.
- "Tryggere hverdag" (in the market dialogue, no contract): baselines and targets only, as a
  buyer records them before buying; no measurements (none are possible without a contract).

Both buyers then consent to sharing their results (the arena shows them on the welfare
template's page, which both procurements used), and the results reach the open-data feed once.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from core import isolation
from core.award.models import Contract
from core.benefits import service
from core.benefits.kpis import buyers, kpis_for
from core.benefits.models import Baseline, Deviation, FollowUpMeeting, Measurement
from core.competition.demo import TITLE as DIGITALT_TILSYN
from core.competition.demo import Timeline, timeline
from core.db import db
from core.plugin_platform.host import emit
from core.procurement.demo import acting_as, find_demo_procurement
from tenants.models import Tenant

# KPI key -> (baseline, target, value after twelve months); values move evenly in between.
PLAN = {
    "avoided_home_visits": (0, 400, 420),
    "alarm_response_time": (25, 15, 12),
    "false_alarm_share": (40, 25, 27),
    "digital_night_supervision": (5, 50, 46),
    "medication_adherence": (78, 95, 93),
    "perceived_safety": (3.4, 4.2, 4.1),
}
MONTHS = 12
OWNERS = {"baerum": "Kommunalsjef helse og omsorg, Bærum", "asker": "Kommunaldirektør helse og mestring, Asker"}


def seed() -> None:
    plan = timeline()
    dialogue = find_demo_procurement()
    if dialogue is not None:  # measured this spring, before it buys
        _seed_baselines(dialogue, plan.contract_start.replace(year=plan.contract_start.year + 1) - timedelta(days=240))
    finished = find_demo_procurement(DIGITALT_TILSYN, "baerum")
    if finished is not None and _contracts(finished):
        _seed_baselines(finished, plan.baselines_measured)
        _seed_measurements(finished)
        _seed_follow_up(finished, plan)
    for procurement in (dialogue, finished):
        if procurement is not None:
            _share(procurement)
    db.session.commit()


def _contracts(procurement) -> list[Contract]:
    with isolation.system_scope():
        return list(db.session.execute(select(Contract).where(Contract.procurement_id == procurement.id,
                                                              Contract.signed_on.is_not(None))).scalars())


def _kpis_and_buyers(procurement):
    with isolation.system_scope():
        kpis = [k for k in kpis_for(procurement) if not k.is_computed]
        return kpis, [(b.tenant_id, b.tenant.slug) for b in buyers(procurement.id)]


def _has(model, procurement) -> bool:
    with isolation.system_scope():
        return db.session.execute(select(model.id).where(model.procurement_id == procurement.id)).first() is not None


def _values(kpi_key: str, offset: int) -> tuple[float, float, float]:
    """(baseline, target, value after twelve months) of the buyer at `offset` (a little apart)."""
    start, target, end = PLAN.get(kpi_key, (10, 20, 18))
    return round(start * (1 + offset / 10), 1), target, round(end * (1 + offset / 20), 1)


def _seed_baselines(procurement, measured_on: date) -> None:
    if _has(Baseline, procurement):
        return
    kpis, buyer_rows = _kpis_and_buyers(procurement)
    for offset, (tenant_id, slug) in enumerate(buyer_rows):
        with acting_as(f"officer@{slug}.demo", slug):
            for kpi in kpis:
                start, target, _end = _values(kpi.key, offset)
                service.save_baseline(procurement.id, kpi.key, {
                    "value": start, "unit": kpi.unit, "measured_on": measured_on.isoformat(),
                    "method": "Uttrekk fra fagsystem, snitt siste 12 mnd.",
                    "source": "Fagsystem og responssenterets logg", "owner": OWNERS.get(slug, "Kommunalsjef"),
                    "target_value": target,
                    "target_date": date(measured_on.year + 3, 12, 31).isoformat()}, tenant_id=tenant_id)
        db.session.commit()


def _seed_measurements(procurement) -> None:
    """Twelve months per buyer and KPI from that buyer's contract start month, through the
    service (which answers 422 for a month before the contract start)."""
    if _has(Measurement, procurement):
        return
    kpis, buyer_rows = _kpis_and_buyers(procurement)
    for offset, (tenant_id, slug) in enumerate(buyer_rows):
        with acting_as(f"officer@{slug}.demo", slug):
            first = service.contract_start(procurement, tenant_id)
            if first is None:
                continue  # no signed contract: no measurements
            first = first.replace(day=1)
            periods = [Timeline(first).month(i) for i in range(MONTHS)]
            for kpi in kpis:
                start, _target, end = _values(kpi.key, offset)
                for i, period in enumerate(periods, start=1):
                    service.record_measurement(procurement.id, kpi.key, {
                        "period": period.isoformat()[:7], "value": round(start + (end - start) * i / MONTHS, 1)},
                        tenant_id=tenant_id)
        db.session.commit()


def _share(procurement) -> None:
    """Each buyer's admin consents to sharing its results; the results are then published once."""
    with isolation.system_scope():
        _kpis, buyer_rows = _kpis_and_buyers(procurement)
        tenants = {tenant_id: slug for tenant_id, slug in buyer_rows}
        shared = [t for t in tenants if db.session.get(Tenant, t).share_benefit_results]
    for tenant_id, slug in tenants.items():
        if tenant_id not in shared:
            with acting_as(f"admin@{slug}.demo", slug):
                service.set_sharing(tenant_id, True)
    if len(shared) < len(tenants) and _has(Measurement, procurement):
        # as a shared measurement does: the results reach the open-data feed
        emit("artefact_published", procurement, artefact_type="benefit_measurement", artefact=None)
    db.session.commit()


def _seed_follow_up(procurement, plan: Timeline) -> None:
    """A quarterly follow-up meeting ten months into the contract and a deviation due this month."""
    if _has(FollowUpMeeting, procurement):
        return
    with isolation.system_scope():
        for contract in _contracts(procurement):
            start = contract.starts_on or plan.contract_start
            held_on = Timeline(start.replace(day=1)).month(10) + timedelta(days=14)
            db.session.add(FollowUpMeeting(
                procurement_id=procurement.id, contract_id=contract.id, tenant_id=contract.tenant_id,
                held_on=held_on, title="Kvartalsvis oppfølging",
                minutes="Leverandøren la fram responstider og driftsavvik. Opplæring av nattevakter fullført."))
            db.session.add(Deviation(
                procurement_id=procurement.id, contract_id=contract.id, tenant_id=contract.tenant_id,
                title="Sensorer uten dekning i to boliger", description="Mobildekningen er for svak.",
                severity="medium", owner="Driftsansvarlig velferdsteknologi",
                deadline=Timeline(start.replace(day=1)).month(12) + timedelta(days=14)))
