"""The demo seed gives "Tryggere hverdag" a conference, a questionnaire with responses from
both demo suppliers, a published answer and booked meetings — once, however often it runs."""

from __future__ import annotations

from sqlalchemy import func, select

from core import isolation
from core.db import db


def _counts(app) -> dict[str, int]:
    from core.dialogue import models

    with app.app_context(), isolation.system_scope():
        return {m.__tablename__: db.session.execute(select(func.count()).select_from(m)).scalar_one()
                for m in (models.DialogueRegistration, models.DialogueConference, models.Questionnaire,
                          models.QuestionnaireResponse, models.DialogueAnswer, models.MeetingRound,
                          models.MeetingBooking)}


def test_demo_seed_adds_the_dialogue_once(app, runner, client, monkeypatch):
    monkeypatch.setenv("SAMSPILL_DEMO_PASSWORD", "demo-password-long")
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    counts = _counts(app)
    # Both demo suppliers registered in "Tryggere hverdag" and in the finished "Digitalt tilsyn".
    assert counts == {"dialogue_registrations": 4, "dialogue_conferences": 1, "dialogue_questionnaires": 1,
                      "dialogue_responses": 2, "dialogue_answers": 1, "dialogue_meeting_rounds": 1,
                      "dialogue_meeting_bookings": 2}
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert _counts(app) == counts
    from core.dialogue.models import QuestionnaireResponse, ResponseStatus

    with app.app_context(), isolation.system_scope():
        statuses = set(db.session.execute(select(QuestionnaireResponse.status)).scalars())
    assert statuses == {ResponseStatus.submitted}
    # A demo supplier signs in with the printed password and finds the dialogue.
    signed_in = client.post("/signin", data={"email": "post@trygg.demo", "password": "demo-password-long"})
    assert signed_in.status_code == 302
    page = client.get("/supplier/").get_data(as_text=True)
    assert "Tryggere hverdag" in page and 'id="my-dialogues"' in page
