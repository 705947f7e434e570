"""A lifecycle event goes from the service to the plugins' hook in one call, and a plugin whose
hook raises is reported once (by its guard, the one place plugin failures are caught)."""

from __future__ import annotations

import inspect
import logging
import sys
from pathlib import Path

from core.db import db
from core.procurement.models import Procurement
from tests.plugins.conftest import acting, enable, factory, host, joint_procurement

CORE = Path(__file__).resolve().parents[2] / "core"

WITNESS = """
    import inspect

    from core.plugin_api import hookimpl

    STACKS = []

    @hookimpl
    def samspill_procurement_created(procurement):
        STACKS.append([(frame.filename, frame.function) for frame in inspect.stack()])
"""

BROKEN = """
    from core.plugin_api import hookimpl

    @hookimpl
    def samspill_procurement_created(procurement):
        raise RuntimeError("created handler broke")
"""


def _platform_frames_between_service_and_plugin(stack) -> list[str]:
    """The platform's own frames from the plugin's implementation up to the service that
    announced the event (`core/procurement/service.py`), innermost first."""
    frames = []
    for filename, function in stack[1:]:
        path = Path(filename).resolve()
        if path == CORE / "procurement" / "service.py":
            return frames
        if CORE in path.parents:
            frames.append(f"{path.relative_to(CORE)}:{function}")
    raise AssertionError("the service is not on the stack")


def test_an_event_from_a_service_reaches_the_plugin_hook_in_one_call(plugin_dist, fresh_app):
    witness = plugin_dist("witness", WITNESS)
    app = fresh_app()
    make = factory(app)
    baerum = make.tenant("baerum")
    lead = make.user(tenant=baerum, role="officer")
    enable(app, "baerum", "witness")
    joint_procurement(app, lead, baerum, None)
    [stack] = sys.modules[witness].STACKS
    # service -> host.emit -> (pluggy) -> the guard -> the plugin: no listeners, no forwarding.
    assert _platform_frames_between_service_and_plugin(stack) == [
        "plugin_platform/guards.py:guarded", "plugin_platform/host.py:emit"]
    assert inspect.getsourcefile(sys.modules[witness]) is not None


def test_a_failing_plugin_hook_is_reported_once(plugin_dist, fresh_app, caplog):
    plugin_dist("broken", BROKEN)
    app = fresh_app()
    make = factory(app)
    baerum = make.tenant("baerum")
    lead = make.user(tenant=baerum, role="officer")
    enable(app, "baerum", "broken")
    with caplog.at_level(logging.ERROR):
        procurement_id = joint_procurement(app, lead, baerum, None)
    info = host(app).plugins["broken"]
    assert info.problem_count == 1 and info.problems[-1].hook == "samspill_procurement_created"
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "broken" in errors[0].getMessage()
    with acting(app, lead, baerum):
        assert db.session.get(Procurement, procurement_id) is not None  # the change stands
