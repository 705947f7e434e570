"""The reminder job tells the lead's plugins once about every dialogue deadline that passed
(`deadline_passed`): reruns and a second run at the same moment never announce it twice."""

from __future__ import annotations

import sys
import threading
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from core import isolation
from core.db import db, utcnow
from tests.conftest import PG_URL
from tests.dialogue.helpers import make_questionnaire
from tests.dialogue.test_conference import put_conference
from tests.dialogue.test_meetings import make_round
from tests.plugins.conftest import enable, fresh_app, plugin_dist  # noqa: F401 (fixtures)

RECORDER = """
    import threading

    from core.plugin_api import hookimpl

    EVENTS = []
    HOLD = {"entered": threading.Event(), "release": None}

    @hookimpl
    def samspill_deadline_passed(procurement, deadline, artefact_type, artefact):
        EVENTS.append((procurement.title, artefact_type, str(artefact.id), deadline))
        if HOLD["release"] is not None:  # the race test keeps this run's transaction open
            HOLD["entered"].set()
            HOLD["release"].wait(20)
"""


@pytest.fixture
def recorder_module(plugin_dist):  # noqa: F811
    return plugin_dist("recorder", RECORDER)


@pytest.fixture
def app(recorder_module, fresh_app):  # noqa: F811
    """The dialogue fixtures' app, built after the recorder plugin is installed."""
    return fresh_app()


def _set(w, model, column: str, ident: str, value) -> None:
    """Test set-up: put a deadline in the past (the services only accept future ones)."""
    w.in_system(lambda: db.session.execute(update(model).where(model.id == uuid.UUID(ident)).values({column: value})))


def _announcements(w) -> list[tuple[str, str]]:
    from core.notifications.models import DeadlineAnnouncement

    with w.app.app_context(), isolation.system_scope():
        return sorted((a.artefact_type, str(a.artefact_id)) for a in
                      db.session.execute(select(DeadlineAnnouncement)).scalars())


def test_each_passed_deadline_reaches_the_leads_plugins_once(open_world, recorder_module, runner):
    from core.dialogue.models import DialogueConference, MeetingRound, Questionnaire

    w, events = open_world, sys.modules[recorder_module].EVENTS
    enable(w.app, "asker", "recorder")  # a participant's choice does not govern
    passed = make_questionnaire(w)
    unpublished = make_questionnaire(w, open_now=False)
    still_open = make_questionnaire(w)
    conference = put_conference(w)
    meeting_round = make_round(w)
    past = (utcnow() - timedelta(hours=1)).replace(microsecond=0)
    _set(w, Questionnaire, "deadline", passed["id"], past)
    _set(w, Questionnaire, "deadline", unpublished["id"], past)
    _set(w, DialogueConference, "registration_deadline", conference["id"], past)
    _set(w, MeetingRound, "cutoff", meeting_round["id"], past)

    first = runner.invoke(args=["reminders", "send", "--no-deliver"])
    assert first.exit_code == 0, first.output
    assert "announced 3 passed deadlines" in first.output
    assert events == []  # Asker enabled it, but Bærum leads; the deadlines count as announced
    assert len(_announcements(w)) == 3

    enable(w.app, "baerum", "recorder")
    _set(w, Questionnaire, "deadline", passed["id"], past - timedelta(minutes=5))  # moved: a new deadline
    for _ in range(2):
        result = runner.invoke(args=["reminders", "send", "--no-deliver"])
        assert result.exit_code == 0, result.output
    assert events == [("Tryggere hverdag", "questionnaire", passed["id"], past - timedelta(minutes=5))]
    assert "announced 0 passed deadlines" in result.output
    assert still_open["id"] not in {ident for _t, ident in _announcements(w)}
    assert unpublished["id"] not in {ident for _t, ident in _announcements(w)}

    # The conference without a registration deadline closes when it starts.
    _set(w, DialogueConference, "registration_deadline", conference["id"], None)
    _set(w, DialogueConference, "starts_at", conference["id"], past - timedelta(minutes=30))
    assert "announced 1 passed deadlines" in runner.invoke(args=["reminders", "send", "--no-deliver"]).output
    assert events[-1] == ("Tryggere hverdag", "conference", conference["id"], past - timedelta(minutes=30))


@pytest.mark.skipif(not PG_URL, reason="the race needs two PostgreSQL connections (SQLite runs one writer)")
def test_two_runs_at_once_announce_a_deadline_once(open_world, recorder_module):
    """Run A holds its transaction open inside the plugin hook; run B, started then, has seen no
    announcement yet and waits on A's row; when A commits, B skips the deadline."""
    from core.dialogue.models import Questionnaire
    from core.notifications.reminders import announce_passed_deadlines

    w, plugin = open_world, sys.modules[recorder_module]
    enable(w.app, "baerum", "recorder")
    passed = make_questionnaire(w)
    _set(w, Questionnaire, "deadline", passed["id"], utcnow() - timedelta(minutes=1))
    plugin.HOLD["release"] = threading.Event()
    results: dict[str, int] = {}

    def run(name: str) -> None:
        with w.app.app_context():
            results[name] = announce_passed_deadlines()
            db.session.remove()

    first = threading.Thread(target=run, args=("a",))
    first.start()
    assert plugin.HOLD["entered"].wait(20)
    second = threading.Thread(target=run, args=("b",))
    second.start()
    try:
        deadline = time.monotonic() + 20
        with w.app.app_context():
            while time.monotonic() < deadline:  # B waits for A's uncommitted announcement row
                waiting = db.session.execute(text(
                    "select count(*) from pg_stat_activity where datname = current_database() "
                    "and wait_event_type = 'Lock'")).scalar_one()
                db.session.rollback()
                if waiting:
                    break
                time.sleep(0.05)
            assert waiting == 1
    finally:
        plugin.HOLD["release"].set()
        first.join(20)
        second.join(20)
    assert sorted(results.values()) == [0, 1]
    assert len(plugin.EVENTS) == 1
    assert _announcements(w) == [("questionnaire", passed["id"])]
