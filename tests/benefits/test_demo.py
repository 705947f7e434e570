"""The demo: both buyers of "Tryggere hverdag" have baselines and a year of monthly measurements
per KPI, share them, and the arena shows them (seeding twice changes nothing)."""

from __future__ import annotations

from sqlalchemy import func, select

from core import isolation
from core.benefits.models import Baseline, Measurement
from core.db import db
from core.procurement import demo as procurement_demo
from plugins.welfare_tech.content import KPIS
from tests.conftest import sign_in

SEEDERS = {"samspill", "library", "procurement", "benefits"}


def test_demo_buyers_have_baselines_and_a_year_of_measurements(app, monkeypatch, client):
    monkeypatch.setenv("SAMSPILL_DEMO_PASSWORD", "demo-password-123")
    for impl in app.extensions["samspill.plugins"].pm.hook.samspill_demo_content.get_hookimpls():
        if impl.plugin_name not in SEEDERS:
            monkeypatch.setattr(impl, "function", lambda passwords: None)
    from core.demo import seed_demo

    with app.app_context():
        seed_demo()
        seed_demo()
        with isolation.system_scope():
            pid = procurement_demo.find_demo_procurement().id
            baselines = db.session.execute(select(func.count(Baseline.id)).where(
                Baseline.procurement_id == pid)).scalar()
            months = db.session.execute(select(Measurement.tenant_id, Measurement.kpi_key, func.count())
                                        .where(Measurement.procurement_id == pid)
                                        .group_by(Measurement.tenant_id, Measurement.kpi_key)).all()
        db.session.remove()
    assert baselines == 2 * len(KPIS)
    assert len(months) == 2 * len(KPIS) and {count for _, _, count in months} == {12}

    class Person:
        def __init__(self, email):
            self.email, self.password = email, "demo-password-123"

    sign_in(client, Person("officer@drammen.demo"))
    arena = client.get("/arena/?q=Tryggere+hverdag").get_data(as_text=True)
    template_path = next(part.split('"')[0] for part in arena.split('href="')[1:]
                         if part.startswith("/arena/templates/") and "/versions/" not in part.split('"')[0])
    html = client.get(template_path).get_data(as_text=True)
    assert "Asker kommune:" in html and "Bærum kommune:" in html
