"""Lifecycle events reach the plugins the procurement's lead enabled (a failing handler is
rolled back and reported, never undoing the change); plugin permissions and their override."""

from __future__ import annotations

import sys

import pytest

from core.db import db
from tests.conftest import sign_in
from tests.plugins.conftest import acting, enable, factory, host, joint_procurement

RECORDER = """
    from core.plugin_api import hookimpl

    EVENTS = []

    @hookimpl
    def samspill_phase_changed(procurement, from_phase, to_phase):
        EVENTS.append(("phase_changed", procurement.title, from_phase, to_phase))

    @hookimpl
    def samspill_deadline_passed(procurement, deadline, artefact_type, artefact):
        EVENTS.append(("deadline_passed", artefact_type, artefact))
"""

FAILING = """
    from core.plugin_api import hookimpl

    @hookimpl
    def samspill_phase_changed(procurement, from_phase, to_phase):
        procurement.title = "changed by a plugin that then failed"
        from core.db import db
        db.session.flush()
        raise RuntimeError("event handler broke")
"""


@pytest.fixture
def events_world(plugin_dist, fresh_app):
    recorder = plugin_dist("recorder", RECORDER)
    plugin_dist("failing", FAILING)
    app = fresh_app()
    make = factory(app)
    baerum, asker = make.tenant("baerum"), make.tenant("asker")
    lead = make.user(tenant=baerum, role="officer")
    enable(app, "baerum", "failing")
    enable(app, "asker", "recorder")  # only the participant enabled the recorder
    procurement_id = joint_procurement(app, lead, baerum, asker)
    return app, sys.modules[recorder], lead, baerum, procurement_id


def _emit(app, lead, tenant, procurement_id, event, **details):
    from core.plugin_platform.host import emit
    from core.procurement.models import Procurement

    with acting(app, lead, tenant):
        procurement = db.session.get(Procurement, procurement_id)
        emit(event, procurement, **details)
        db.session.commit()
        return procurement.title


def test_events_go_to_the_leads_plugins_and_failures_are_rolled_back(events_world):
    app, recorder, lead, baerum, procurement_id = events_world
    title = _emit(app, lead, baerum, procurement_id, "phase_changed",
                  from_phase="needs", to_phase="dialogue")
    assert recorder.EVENTS == []  # Asker enabled it, but Bærum leads
    assert title == "Tryggere hverdag"  # the failing handler's write was rolled back
    problem = host(app).plugins["failing"].problems[-1]
    assert problem.hook == "samspill_phase_changed" and "event handler broke" in problem.message

    enable(app, "baerum", "recorder")
    _emit(app, lead, baerum, procurement_id, "phase_changed", from_phase="needs",
          to_phase="dialogue")
    _emit(app, lead, baerum, procurement_id, "deadline_passed", deadline=None,
          artefact_type="questionnaire", artefact="q-1")
    assert recorder.EVENTS == [("phase_changed", "Tryggere hverdag", "needs", "dialogue"),
                               ("deadline_passed", "questionnaire", "q-1")]


def test_unknown_events_and_missing_details_are_programming_errors(events_world):
    app, _recorder, lead, baerum, procurement_id = events_world
    with pytest.raises(ValueError):
        _emit(app, lead, baerum, procurement_id, "phase_jumped")
    with pytest.raises(TypeError):
        _emit(app, lead, baerum, procurement_id, "phase_changed", to_phase="dialogue")


def test_welfare_tech_fills_its_defaults_when_a_procurement_is_created(app, make):
    from core.plugin_platform.host import emit
    from core.procurement.models import Procurement

    baerum = make.tenant("baerum")
    lead = make.user(tenant=baerum, role="officer")
    enable(app, "baerum", "welfare_tech")
    procurement_id = joint_procurement(app, lead, baerum, None)
    with acting(app, lead, baerum):
        procurement = db.session.get(Procurement, procurement_id)
        emit("procurement_created", procurement)
        assert procurement.extension["welfare_tech"]["scaip_required"] is True


PERMISSION_PLUGIN = """
    from core.plugin_api import hookimpl

    @hookimpl
    def samspill_permission_allowed(principal, tenant, action):
        if action == "welfare_tech.bookmark" and tenant.slug == "strict":
            return False
        return None
"""


def test_plugin_permissions_default_role_and_override(plugin_dist, fresh_app):
    plugin_dist("strictness", PERMISSION_PLUGIN)
    app = fresh_app()
    make = factory(app)
    open_tenant, strict = make.tenant("open"), make.tenant("strict")
    enable(app, "open", "welfare_tech")
    enable(app, "strict", "welfare_tech", "strictness")
    bookmark = "/t/{}/plugins/welfare_tech/requirements/WT-FUN-01/bookmark"
    for tenant, role, expected in [(open_tenant, "member", 302), (open_tenant, "viewer", 403),
                                   (strict, "admin", 403)]:
        client = app.test_client()
        sign_in(client, make.user(tenant=tenant, role=role))
        assert client.post(bookmark.format(tenant.slug)).status_code == expected, (tenant, role)


def test_a_failing_gate_item_hook_blocks_with_an_item_naming_the_plugin(plugin_dist, fresh_app):
    from core.procurement.models import Procurement

    plugin_dist("gatebreaker", """
        from core.plugin_api import hookimpl

        @hookimpl
        def samspill_gate_items(procurement, phase):
            raise KeyError("phase table missing")
    """)
    app = fresh_app()
    make = factory(app)
    baerum = make.tenant("baerum")
    lead = make.user(tenant=baerum, role="officer")
    enable(app, "baerum", "gatebreaker", "welfare_tech")
    procurement_id = joint_procurement(app, lead, baerum, None)
    from core.plugin_platform.wiring import gate_items_for

    with acting(app, lead, baerum):
        items = gate_items_for(db.session.get(Procurement, procurement_id))
    by_key = {item["key"]: item for item in items}
    assert by_key["plugin-error:gatebreaker"]["source"] == "gatebreaker"
    assert by_key["plugin-error:gatebreaker"]["phase"] == "anchoring"
    assert by_key["wt-dpia-planned"]["source"] == "welfare_tech"
    assert host(app).plugins["gatebreaker"].problems[-1].hook == "samspill_gate_items"


def test_procurement_domain_events_reach_the_plugins(events_world):
    """`core.procurement.service.emit` calls the plugins' event hooks; unknown events are refused."""
    from core.procurement.models import Phase, Procurement
    from core.procurement.service import emit

    app, recorder, lead, baerum, procurement_id = events_world
    enable(app, "baerum", "recorder")
    with acting(app, lead, baerum):
        procurement = db.session.get(Procurement, procurement_id)
        emit("phase_changed", procurement, from_phase="needs", to_phase=Phase.dialogue)
        with pytest.raises(ValueError):  # no hook for it: nothing reaches the plugins
            emit("lead_changed", procurement, from_tenant_id=None, to_tenant_id=None)
    assert recorder.EVENTS == [("phase_changed", "Tryggere hverdag", "needs", "dialogue")]
