"""The demo's "Tryggere hverdag" gets a requirement specification covering every priority-1
need (one requirement picked from the library) and award criteria with sub-criteria and a price
model — once, however often the seed runs."""

from __future__ import annotations

from sqlalchemy import func, select

from core.db import db


def test_demo_gives_tryggere_hverdag_a_complete_specification(app, runner, monkeypatch):
    from core.procurement import demo as procurement_demo
    from core.specification import criteria, traceability
    from core.specification.models import Requirement

    monkeypatch.setenv("SAMSPILL_DEMO_PASSWORD", "demo-password-long")
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    with app.app_context():
        procurement = procurement_demo.find_demo_procurement()
        rows = db.session.execute(select(Requirement.source, func.count()).where(
            Requirement.procurement_id == procurement.id).group_by(Requirement.source)).all()
        assert {source.value: count for source, count in rows} == {"template": 14, "library": 1}
        assert traceability.gate_missing(procurement) == []
        assert criteria.gate_missing(procurement) == []
        whole = criteria._sets(*criteria._load(procurement.id))[0]
        assert [(n.criterion.weight, len(n.children), n.criterion.is_price) for n in whole.nodes] == [
            (40, 3, False), (30, 0, True), (30, 0, False)]
