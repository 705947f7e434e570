"""Each dialogue deadline checked again at commit (`core.deadlines.RowDeadline`) reads its own
column of the row it is given: the questionnaire's deadline, the conference's sign-up close (its
registration deadline, or its start when it has none) and the meeting round's cut-off. The same
checks through the API, raced against the deadline: tests/dialogue/test_deadline_races.py."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from core.db import db, utcnow
from core.dialogue import meetings, registrations, responses
from core.dialogue.models import DialogueConference, MeetingRound, Questionnaire
from tests.dialogue.helpers import commits_with_deadline, make_questionnaire
from tests.dialogue.test_conference import put_conference
from tests.dialogue.test_meetings import make_round

PAST, FUTURE = timedelta(minutes=-1), timedelta(days=1)
audited = pytest.mark.parametrize("audited", [True, False], ids=["with-audit-entry", "without"])


@audited
def test_the_questionnaire_deadline(open_world, audited):
    w = open_world
    first, second = (uuid.UUID(make_questionnaire(w)["id"]) for _ in range(2))

    def move(questionnaire_id, by):
        return lambda: setattr(db.session.get(Questionnaire, questionnaire_id), "deadline", utcnow() + by)

    assert commits_with_deadline(w, responses._DEADLINE, first, move(first, FUTURE), audited=audited)
    assert not commits_with_deadline(w, responses._DEADLINE, first, move(first, PAST), audited=audited)
    assert commits_with_deadline(w, responses._DEADLINE, second, move(first, PAST), audited=audited)  # its own row


@audited
def test_the_conference_sign_up_close(open_world, audited):
    w = open_world
    put_conference(w)
    conference_id = w.in_system(lambda: db.session.execute(select(DialogueConference.id)).scalar_one())

    def move(**times):
        def change():
            conference = db.session.get(DialogueConference, conference_id)
            for name, by in times.items():
                setattr(conference, name, None if by is None else utcnow() + by)
        return change

    close = registrations._REGISTRATION_CLOSES
    assert commits_with_deadline(w, close, conference_id, lambda: None, audited=audited)
    assert not commits_with_deadline(w, close, conference_id, move(registration_deadline=PAST), audited=audited)
    # No registration deadline: the start closes the sign-up.
    assert commits_with_deadline(w, close, conference_id, move(registration_deadline=None), audited=audited)
    assert not commits_with_deadline(w, close, conference_id, move(registration_deadline=None, starts_at=PAST),
                                     audited=audited)


@audited
def test_the_meeting_cut_off(open_world, audited):
    w = open_world
    make_round(w)
    round_id = w.in_system(lambda: db.session.execute(select(MeetingRound.id)).scalar_one())

    def move(by):
        return lambda: setattr(db.session.get(MeetingRound, round_id), "cutoff", utcnow() + by)

    assert commits_with_deadline(w, meetings._CUTOFF, round_id, move(FUTURE), audited=audited)
    assert not commits_with_deadline(w, meetings._CUTOFF, round_id, move(PAST), audited=audited)
