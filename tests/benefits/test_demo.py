"""The demo: both buyers of the finished "Digitalt tilsyn" (contracts signed about a year ago) have
a baseline and target per KPI and twelve monthly measurements from their contract start month;
"Tryggere hverdag" (no contract) has baselines but no measurements; seeding twice changes
nothing; Drammen sees both municipalities' results on the welfare template's arena page."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from core import isolation
from core.award.models import Contract
from core.benefits.kpis import kpis_for
from core.benefits.models import Baseline, Deviation, FollowUpMeeting, Measurement
from core.db import db
from core.procurement import demo as procurement_demo
from core.procurement.models import Procurement
from plugins.welfare_tech.content import KPIS
from tests.conftest import sign_in

SEEDERS = {"samspill", "library", "procurement", "dialogue", "competition", "award", "publication", "benefits"}


def _counts(pid_list):
    return {model.__name__: db.session.execute(select(func.count(model.id)).where(
        model.procurement_id.in_(pid_list))).scalar() for model in (Baseline, Measurement, FollowUpMeeting, Deviation)}


@pytest.fixture
def seeded(app, monkeypatch):
    monkeypatch.setenv("SAMSPILL_DEMO_PASSWORD", "demo-password-123")
    for impl in app.extensions["samspill.plugins"].pm.hook.samspill_demo_content.get_hookimpls():
        if impl.plugin_name not in SEEDERS:
            monkeypatch.setattr(impl, "function", lambda passwords: None)
    from core.demo import seed_demo

    with app.app_context():
        seed_demo()
        with isolation.system_scope():
            finished = procurement_demo.find_demo_procurement("Digitalt tilsyn")
            dialogue = procurement_demo.find_demo_procurement()
            ids = [finished.id, dialogue.id]
            first = _counts(ids)
        db.session.remove()
        seed_demo()
        with isolation.system_scope():
            assert _counts(ids) == first  # seeding twice changes nothing
        db.session.remove()
    return {"finished": ids[0], "dialogue": ids[1]}


def _months_between(earlier, later) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def test_finished_procurement_buyers_have_baselines_and_a_year_from_contract_start(app, seeded):
    today = datetime.now(ZoneInfo("Europe/Oslo")).date()
    with app.app_context(), isolation.system_scope():
        finished = db.session.get(Procurement, seeded["finished"])
        kpis = {k.key for k in kpis_for(finished)}
        contracts = {c.tenant_id: c for c in db.session.execute(select(Contract).where(
            Contract.procurement_id == finished.id)).scalars()}
        baselines = list(db.session.execute(select(Baseline).where(Baseline.procurement_id == finished.id)).scalars())
        periods: dict[tuple, list] = {}
        for m in db.session.execute(select(Measurement).where(Measurement.procurement_id == finished.id)).scalars():
            periods.setdefault((m.tenant_id, m.kpi_key), []).append(m.period)
        dialogue_measurements = db.session.execute(select(func.count(Measurement.id)).where(
            Measurement.procurement_id == seeded["dialogue"])).scalar()
        dialogue_baselines = db.session.execute(select(func.count(Baseline.id)).where(
            Baseline.procurement_id == seeded["dialogue"])).scalar()
    assert finished.domain == "welfare_tech" and {k["key"] for k in KPIS} <= kpis  # the welfare KPIs resolve
    assert len(contracts) == 2  # Bærum and Asker
    for contract in contracts.values():
        assert 12 <= _months_between(contract.signed_on, today) <= 14  # signed about a year ago
        assert contract.signed_on <= contract.starts_on
        assert all(date.fromisoformat(o["exercise_by"]) > contract.starts_on for o in contract.options)
    assert {(b.tenant_id, b.kpi_key) for b in baselines} == {(t, k) for t in contracts for k in kpis}
    for b in baselines:
        assert b.value is not None and b.target_value is not None
        assert b.measured_on < contracts[b.tenant_id].signed_on  # measured before buying
    assert set(periods) == {(t, k) for t in contracts for k in kpis}
    for (tenant_id, _kpi), months in periods.items():
        start = contracts[tenant_id].starts_on.replace(day=1)
        assert sorted(months) == [_add_months(start, i) for i in range(12)]
        assert all(p >= start for p in months) and max(months) < today.replace(day=1)
    # "Tryggere hverdag" has no contract: baselines before buying, no measurements
    assert dialogue_baselines > 0 and dialogue_measurements == 0


def _add_months(day, months):
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)


def test_the_timeline_is_in_order(app, seeded):
    from core.award.models import AwardDecision
    from core.competition.models import Competition, Tender
    from core.procurement.models import PHASE_ORDER, PhaseTransition

    with app.app_context(), isolation.system_scope():
        pid = seeded["finished"]
        procurement = db.session.get(Procurement, pid)
        transitions = list(db.session.execute(select(PhaseTransition).where(
            PhaseTransition.procurement_id == pid)).scalars())
        competition = db.session.execute(select(Competition).where(Competition.procurement_id == pid)).scalar_one()
        submitted = [t.submitted_at for t in db.session.execute(select(Tender).where(
            Tender.procurement_id == pid, Tender.submitted_at.is_not(None))).scalars()]
        decision = db.session.execute(select(AwardDecision).where(AwardDecision.procurement_id == pid)).scalar_one()
        signed = min(c.signed_on for c in db.session.execute(select(Contract).where(
            Contract.procurement_id == pid)).scalars())
    by_order = sorted(transitions, key=lambda t: PHASE_ORDER.index(t.to_phase))
    assert [t.at for t in by_order] == sorted(t.at for t in transitions)  # phases in time order
    assert procurement.created_at < by_order[0].at
    competition_start = next(t.at for t in transitions if t.to_phase == "competition")
    assert competition_start <= competition.announced_at < min(submitted) <= max(submitted) \
        < competition.tender_deadline < competition.opening_at <= competition.opened_at
    assert competition.question_deadline < competition.tender_deadline
    evaluation = next(t.at for t in transitions if t.to_phase == "evaluation")
    contract_phase = next(t.at for t in transitions if t.to_phase == "contract")
    assert competition.opened_at < evaluation < decision.letters_sent_at < decision.standstill_ends_at \
        < contract_phase
    assert decision.standstill_ends_at.date() <= signed
    assert (datetime.now(decision.standstill_ends_at.tzinfo) - decision.standstill_ends_at) > timedelta(days=365)


def test_drammen_sees_both_municipalities_results_in_the_arena(app, seeded, client):
    class Person:
        def __init__(self, email):
            self.email, self.password = email, "demo-password-123"

    sign_in(client, Person("officer@drammen.demo"))
    arena = client.get("/arena/?q=Tryggere+hverdag").get_data(as_text=True)
    template_path = next(part.split('"')[0] for part in arena.split('href="')[1:]
                         if part.startswith("/arena/templates/") and "/versions/" not in part.split('"')[0])
    html = client.get(template_path).get_data(as_text=True)
    section = html.split('id="result-lines"')[1].split("</ul>")[0]
    lines = [line for line in section.split("<li")[1:] if "→" in line]  # a baseline and a latest value
    assert any("Asker kommune:" in line for line in lines) and any("Bærum kommune:" in line for line in lines)



def test_follow_up_page_shows_a_chart_per_kpi_with_twelve_points_per_buyer(app, seeded, client):
    class Person:
        def __init__(self, email):
            self.email, self.password = email, "demo-password-123"

    with app.app_context(), isolation.system_scope():
        kpis = kpis_for(db.session.get(Procurement, seeded["finished"]))
    sign_in(client, Person("officer@baerum.demo"))
    page = client.get(f"/t/baerum/procurements/{seeded['finished']}/benefits")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    charts = html.split('<figure class="benefit-chart"')[1:]
    assert len(charts) == 2 * len(kpis)  # one per KPI and buyer (Bærum and Asker)
    for kpi in kpis:
        for municipality in ("Asker kommune", "Bærum kommune"):
            mine = [c for c in charts if municipality in c.split("</title>")[0] and kpi.name in c.split("</title>")[0]]
            assert len(mine) == 1, (kpi.key, municipality)
            assert mine[0].split("</svg>")[0].count("<circle") == 12
