"""Publishing to every registered supplier is a lifecycle event for the plugins: an answer and
the conference minutes reach `samspill_artefact_published` of the plugins the lead enabled."""

from __future__ import annotations

import sys

import pytest

from tests.dialogue.test_conference import put_conference
from tests.dialogue.test_questions import ask
from tests.plugins.conftest import enable, fresh_app, plugin_dist  # noqa: F401 (fixtures)

RECORDER = """
    from core.plugin_api import hookimpl

    EVENTS = []

    @hookimpl
    def samspill_artefact_published(procurement, artefact_type, artefact):
        EVENTS.append((procurement.title, artefact_type, str(artefact.id)))
"""


@pytest.fixture
def recorder_module(plugin_dist):  # noqa: F811
    return plugin_dist("recorder", RECORDER)


@pytest.fixture
def app(recorder_module, fresh_app):  # noqa: F811
    """The dialogue fixtures' app, built after the recorder plugin is installed."""
    return fresh_app()


def test_published_answer_and_minutes_reach_the_leads_plugins(open_world, recorder_module):
    w, events = open_world, sys.modules[recorder_module].EVENTS
    enable(w.app, "asker", "recorder")  # a participant's choice does not govern
    first = ask(w, w.a, "Kan alarmene sende over SCAIP?")
    r = w.api("post", f"/api/v1/questions/{first}/answer", w.officer_token, json={"text": "Ja."})
    assert r.status_code == 201, r.get_data(as_text=True)
    assert events == []

    enable(w.app, "baerum", "recorder")
    second = ask(w, w.b, "Hvor mange brukere?")
    r = w.api("post", f"/api/v1/questions/{second}/answer", w.officer_token, json={"text": "1200."})
    assert r.status_code == 201, r.get_data(as_text=True)
    conference = put_conference(w)
    minutes = w.api("put", f"/api/v1/procurements/{w.pid}/conference/minutes", w.officer_token,
                    json={"minutes": "Referat: 40 deltakere."})
    assert minutes.status_code == 200, minutes.get_data(as_text=True)
    assert events == [("Tryggere hverdag", "dialogue_answer", r.json["id"]),
                      ("Tryggere hverdag", "conference_minutes", conference["id"])]
