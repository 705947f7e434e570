"""Fixtures for the competition tests: the dialogue's world (Bærum leads, Asker buys, suppliers A
and B registered in the dialogue, C not) moved to the competition phase and announced."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.db import db, utcnow
from tests.dialogue import conftest as dialogue_fixtures
from tests.dialogue.conftest import World, future

world = dialogue_fixtures.world  # the same fixtures as the dialogue's tests
open_world = dialogue_fixtures.open_world

QUALIFICATION = [{"kind": "exclusion", "text": "Er leverandøren dømt for korrupsjon?"},
                 {"kind": "qualification", "text": "Leverandøren har drift av responssenter i dag."}]


def settings_body(**overrides) -> dict:
    return {"tender_deadline": future(days=20), "question_deadline": future(days=10),
            "opening_at": future(days=20, hours=1), "qualification": QUALIFICATION, **overrides}


def set_times(w: World, **deltas) -> None:
    """Move the competition's times relative to now (as if time had passed)."""
    from sqlalchemy import select

    from core.competition.models import Competition

    def change():
        competition = db.session.execute(select(Competition).where(Competition.procurement_id == w.pid)).scalar_one()
        for name, delta in deltas.items():
            setattr(competition, name, utcnow() + timedelta(**delta))

    w.in_system(change)


@pytest.fixture
def announced(open_world):
    w = open_world
    w.set_phase("competition")
    r = w.api("put", f"/api/v1/procurements/{w.pid}/competition", w.officer_token, json=settings_body())
    assert r.status_code == 200, r.get_data(as_text=True)
    w.qualification = r.get_json()["qualification"]
    r = w.api("post", f"/api/v1/procurements/{w.pid}/competition/announce", w.officer_token)
    assert r.status_code == 200, r.get_data(as_text=True)
    return w


def declare_impartiality(w: World, token: str | None = None) -> None:
    """The lead (or `token`'s committee member) declares impartiality: no tender content is shown
    to the evaluation committee before (the award package's rule, decision 52)."""
    r = w.api("put", f"/api/v1/procurements/{w.pid}/impartiality", token or w.officer_token,
              json={"conflict": False, "statement": ""})
    assert r.status_code == 200, r.get_data(as_text=True)


def tender_body(w: World, marker: str = "", submit: bool = False, price: int = 1_000_000_00) -> dict:
    return {"qualification": [{"key": q["key"], "answer": q["kind"] == "qualification",
                               "text": f"Erklæring {marker}".strip()} for q in w.qualification],
            "prices": [{"lot_id": None, "price_ore": price}],
            "business_secrets": [{"part": "Prismodell", "reason": "Forretningshemmelighet"}],
            "submit": submit}
