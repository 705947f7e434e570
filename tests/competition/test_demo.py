"""The demo's finished "Digitalt tilsyn": an announced and opened competition with tenders from
both demo suppliers (one withdrew and submitted again) — once, however often the seed runs."""

from __future__ import annotations

from sqlalchemy import select

from core import isolation
from core.competition.models import Competition, Tender
from core.db import db


def _state(app):
    with app.app_context(), isolation.system_scope():
        competitions = list(db.session.execute(select(Competition)).scalars())
        tenders = sorted((t.supplier.name, t.status.value, t.submissions)
                         for t in db.session.execute(select(Tender)).scalars())
        return [(c.opened_at is not None, len(c.opening_protocol["tenders"])) for c in competitions], tenders


def test_demo_has_an_opened_competition_with_both_suppliers_once(app, runner, monkeypatch):
    monkeypatch.setenv("SAMSPILL_DEMO_PASSWORD", "demo-password-long")
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    state = _state(app)
    assert state == ([(True, 2)], [("Omsorgsdata AS", "submitted", 1), ("Trygg Teknologi AS", "submitted", 2)])
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert _state(app) == state
