"""The competition gate's requirement and award-criteria items are checked from the data: an
uncovered priority-1 need keeps the gate closed and is listed by its statement; starting from
the welfare template copies its requirements (traced to its needs) and criteria."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from core.db import db
from core.procurement.models import Phase, Procurement
from plugins.welfare_tech import content
from tests.plugins.conftest import acting
from tests.specification.conftest import CRITERIA, requirement
from tests.specification.test_pages import _plugin_template_version


def _gate(api, spec, key):
    items = api.get(f"{spec.base}/gates").json
    return next(item for item in items if item["key"] == key)


def _to_competition(app, pid):
    with app.app_context():
        procurement = db.session.get(Procurement, uuid.UUID(pid))
        procurement.phase = Phase.competition
        db.session.commit()


def test_uncovered_priority_1_need_blocks_the_gate_and_is_listed(world, spec, app):
    api = world.api("baerum")
    gate = _gate(api, spec, "core-requirements")
    assert gate["state"] == "open" and gate["automatic"] is True
    requirement(api, spec, needs=spec.needs[:1])
    gate = _gate(api, spec, "core-requirements")
    assert gate["state"] == "open"
    assert gate["missing"] == [spec.needs[1]["statement"]]  # the uncovered priority-1 need, by its words
    trace = api.get(f"{spec.base}/traceability").json
    assert [n["id"] for n in trace["uncovered_priority_1"]] == [spec.needs[1]["id"]]
    assert trace["complete"] is False
    assert api.post(f"{spec.base}/gates", json={"item": "core-requirements", "action": "done"}).status_code == 409
    _to_competition(app, spec.pid)
    blocked = api.post(f"{spec.base}/transition", json={})
    assert blocked.status_code == 409
    listed = {m["key"]: m for m in blocked.json["missing"]}
    assert listed["core-requirements"]["missing"] == [spec.needs[1]["statement"]]
    requirement(api, spec, needs=spec.needs[1:2])  # the priority-2 need may stay uncovered
    assert _gate(api, spec, "core-requirements")["state"] == "auto"
    assert api.get(f"{spec.base}/traceability").json["complete"] is True


def test_award_criteria_item_is_met_by_weights_and_a_price_model(world, spec):
    api = world.api("baerum")
    gate = _gate(api, spec, "core-award-criteria")
    assert gate["state"] == "open" and gate["missing"]
    no_price = [{"name": "Kvalitet", "weight": 70}, {"name": "Gevinst", "weight": 30}]
    assert api.put(f"{spec.base}/award-criteria", json={"criteria": no_price}).status_code == 200
    assert _gate(api, spec, "core-award-criteria")["state"] == "open"
    assert api.put(f"{spec.base}/award-criteria", json={"criteria": CRITERIA}).status_code == 200
    assert _gate(api, spec, "core-award-criteria")["state"] == "auto"


def test_starting_from_the_template_copies_requirements_and_criteria(app, make):
    from core.library import reuse
    from core.procurement.models import Need
    from core.specification import criteria, traceability
    from core.specification.models import Requirement
    from tenants.models import Tenant
    from tests.plugins.conftest import enable

    tenant = make.tenant("baerum", "Bærum kommune")
    enable(app, "baerum", "welfare_tech")
    officer = make.user("officer@baerum.test", tenant=tenant, role="officer")
    version_id = _plugin_template_version(app)
    with acting(app, officer, tenant):
        procurement = reuse.start_procurement(db.session.get(Tenant, tenant.id), version_id)
        db.session.commit()
        rows = db.session.execute(select(Requirement).where(Requirement.procurement_id == procurement.id)
                                  .order_by(Requirement.position)).scalars().all()
        assert [r.ref for r in rows] == [r["ref"] for r in content.TEMPLATE["requirements"]]
        assert {r.source.value for r in rows} == {"template"}
        needs = {n.id: n for n in db.session.execute(select(Need).where(Need.procurement_id == procurement.id))
                 .scalars()}
        fall = next(r for r in rows if r.ref == "WT-FUN-02")
        assert [needs[nid].statement for nid in fall.need_ids] == [
            next(n["statement"] for n in content.NEEDS_CATALOGUE if n["key"] == "wt-need-03")]
        sets = criteria.criteria_sets(procurement.id)
        assert [(n.criterion.name, n.criterion.weight, len(n.children)) for n in sets[0].nodes] == [
            ("Kvalitet og funksjonalitet", 40, 3), ("Pris og totalkostnad", 30, 0),
            ("Implementering og gevinstrealisering", 30, 0)]
        assert criteria.gate_missing(procurement) == []
        medicine = next(n["statement"] for n in content.NEEDS_CATALOGUE if n["key"] == "wt-need-09")
        assert [m for m in traceability.gate_missing(procurement)] == [traceability.need_label(
            next(n for n in needs.values() if n.statement == medicine))]
