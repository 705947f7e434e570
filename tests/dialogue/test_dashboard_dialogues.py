"""The dashboard's market-dialogue panel (`core.dialogue.dashboard`): which procurements it lists
and in what order, and that its statement is planned as an ordered walk of the tenant's
participations whatever the parameter values (a prepared statement's generic plan on PostgreSQL,
decision 158), so its cost does not grow with the busiest municipality's participations."""

from __future__ import annotations

import re
from datetime import timedelta

from core import isolation
from core.db import db, utcnow
from core.dialogue.dashboard import _DIALOGUES, DASHBOARD_DIALOGUES
from core.procurement.models import Participation, Phase
from tests.bench.helpers import led_procurements
from tests.conftest import sign_in
from tests.plans import statement_plan

_LINK = re.compile(r'id="dialogue-link-([0-9a-f-]{36})"')


def _participate(app, tenant, procurement_id, status: str) -> None:
    with app.app_context(), isolation.system_scope():
        db.session.add(Participation(procurement_id=procurement_id, tenant_id=tenant.id, role="buyer",
                                     status=status))
        db.session.commit()


def test_the_panel_lists_the_newest_dialogues_the_tenant_takes_part_in(app, client, make):
    tenant, other = make.tenant("nordvik", "Nordvik kommune"), make.tenant("sorvik", "Sørvik kommune")
    now = utcnow()
    times = [now - timedelta(days=n // 3) for n in range(12)]  # three at each moment: ties by id
    own = led_procurements(app, tenant, times, [Phase.dialogue] * 12)
    newer_elsewhere = led_procurements(app, tenant, [now + timedelta(hours=1)], [Phase.anchoring])
    joined, invited, foreign = led_procurements(app, other, [now + timedelta(hours=2)] * 3, [Phase.dialogue] * 3)
    _participate(app, tenant, joined, "active")
    _participate(app, tenant, invited, "invited")
    officer = make.user(tenant=tenant, role="officer")
    sign_in(client, officer)

    shown = _LINK.findall(client.get("/t/nordvik/").get_data(as_text=True))

    ordered = sorted([(times[i], str(pid)) for i, pid in enumerate(own)], reverse=True)
    expected = [str(joined)] + [pid for _, pid in ordered][:DASHBOARD_DIALOGUES - 1]
    assert shown == expected
    assert not {str(invited), str(foreign), str(newer_elsewhere[0])} & set(shown)


def test_the_panel_statement_walks_the_participation_index_in_order_under_any_plan(app, make):
    """Ordered by the procurement's own creation time, the generic plan of the prepared statement
    joined every participation of the tenant and sorted them (9.4 ms for the busiest municipality at
    scale 10, against 0.8 ms); ordered by the participation's copy it walks the index and stops."""
    tenant = make.tenant("nordvik", "Nordvik kommune")
    led_procurements(app, tenant, [utcnow() - timedelta(days=n) for n in range(30)], [Phase.dialogue] * 30)
    values = {"tenant_id": tenant.id, "status_1": "active", "phase_1": "dialogue", "limit": DASHBOARD_DIALOGUES}
    with app.app_context(), isolation.system_scope():
        plan = statement_plan(_DIALOGUES, values)
    assert "ix_participations_tenant_list" in plan, plan
    assert "Sort" not in plan and "TEMP B-TREE" not in plan.upper(), plan
