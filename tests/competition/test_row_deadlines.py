"""The competition's two deadlines checked again at commit (`core.deadlines.RowDeadline`) each
read their own column: a passed question deadline refuses a question, not a tender, until the
tender deadline passes too. Raced through the API: tests/competition/test_deadline_race.py."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from core.competition import questions, tenders
from core.competition.models import Competition
from core.db import db, utcnow
from tests.dialogue.helpers import commits_with_deadline


@pytest.mark.parametrize("audited", [True, False], ids=["with-audit-entry", "without"])
def test_the_question_and_the_tender_deadline(announced, audited):
    w = announced

    def move(**times):
        def change():
            competition = db.session.execute(select(Competition)
                                             .where(Competition.procurement_id == w.pid)).scalar_one()
            for name, by in times.items():
                setattr(competition, name, utcnow() + by)
        return change

    past = timedelta(minutes=-1)
    question, tender = questions._QUESTION_DEADLINE, tenders._TENDER_DEADLINE
    assert commits_with_deadline(w, question, w.pid, lambda: None, audited=audited)
    assert not commits_with_deadline(w, question, w.pid, move(question_deadline=past), audited=audited)
    assert commits_with_deadline(w, tender, w.pid, move(question_deadline=past), audited=audited)
    assert not commits_with_deadline(w, tender, w.pid, move(tender_deadline=past), audited=audited)
