"""The freeze: once the competition is announced, every dialogue write is refused (409,
type `frozen`) through every API endpoint and every form, and nothing changes. A completeness
check makes a new write route without a case here fail."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import func, select

from core import isolation
from core.db import db, utcnow
from core.dialogue.forms import local_input
from tests.dialogue.conftest import future
from tests.dialogue.helpers import answer_body, builder_fields, make_questionnaire
from tests.dialogue.test_conference import conference_body, put_conference
from tests.dialogue.test_meetings import make_round


def _setup(w) -> dict:
    put_conference(w)
    q = make_questionnaire(w)
    draft = make_questionnaire(w, open_now=False)
    w.api("put", f"/api/v1/questionnaires/{q['id']}/response", w.a, json=answer_body(q, "Før frysing"))
    question = w.api("post", f"/api/v1/procurements/{w.pid}/questions", w.a, json={"text": "Spørsmål?"}).json
    answered = w.api("post", f"/api/v1/procurements/{w.pid}/questions", w.b, json={"text": "Besvart?"}).json
    answer = w.api("post", f"/api/v1/questions/{answered['id']}/answer", w.officer_token, json={"text": "Svar"}).json
    rnd = make_round(w, slots=3)
    closed = make_round(w, slots=1, open_now=False)
    slot_a, slot_free = rnd["slots"][0]["id"], rnd["slots"][1]["id"]
    w.api("post", f"/api/v1/meeting-slots/{slot_a}/booking", w.a, json={})
    w.login(w.officer)
    w.client.post(f"/t/baerum/procurements/{w.pid}/dialogue/conference/presentations",
                  data={"file": (io.BytesIO(b"slides\n"), "s.txt")}, content_type="multipart/form-data")
    presentation = w.api("get", f"/api/v1/procurements/{w.pid}/conference", w.a).json["presentations"][0]["id"]
    return {"q": q, "draft": draft["id"], "question": question["id"], "answer": answer["id"],
            "round": rnd["id"], "closed": closed["id"],
            "slot_a": slot_a, "slot_free": slot_free, "presentation": presentation}


def _api_cases(w, o) -> dict[tuple[str, str], tuple[str, str, str, dict]]:
    p, q = w.pid, o["q"]
    round_body = {"title": "Ny", "slot_minutes": 30, "starts": [future(days=20)], "cutoff": future(days=19)}
    return {
        ("dialogue_api.Invitation", "PUT"): ("put", f"/api/v1/procurements/{p}/invitation", w.officer_token,
                                             {"text": "Ny tekst"}),
        ("dialogue_api.OpenDialogue", "POST"): ("post", f"/api/v1/procurements/{p}/dialogue/open", w.officer_token, {}),
        ("dialogue_api.Registrations", "POST"): ("post", f"/api/v1/procurements/{p}/registrations", w.c, {}),
        ("dialogue_api.Conference", "PUT"): ("put", f"/api/v1/procurements/{p}/conference", w.officer_token,
                                             conference_body()),
        ("dialogue_api.ConferenceAttendance", "PUT"): ("put", f"/api/v1/procurements/{p}/conference/attendance", w.a,
                                                       {"attendees": 1}),
        ("dialogue_api.ConferenceMinutes", "PUT"): ("put", f"/api/v1/procurements/{p}/conference/minutes",
                                                    w.officer_token, {"minutes": "Referat"}),
        ("dialogue_api.ConferencePresentations", "POST"): (
            "post", f"/api/v1/procurements/{p}/conference/presentations", w.officer_token,
            {"file": (io.BytesIO(b"x\n"), "x.txt")}),
        ("dialogue_api.ConferencePresentation", "DELETE"): (
            "delete", f"/api/v1/procurements/{p}/conference/presentations/{o['presentation']}", w.officer_token, {}),
        ("dialogue_api.Questions", "POST"): ("post", f"/api/v1/procurements/{p}/questions", w.b, {"text": "Nytt?"}),
        ("dialogue_api.Answer", "POST"): ("post", f"/api/v1/questions/{o['question']}/answer", w.officer_token,
                                          {"text": "Svar"}),
        ("dialogue_api.Questionnaires", "POST"): ("post", f"/api/v1/procurements/{p}/questionnaires", w.officer_token,
                                                  {"title": "Ny", "deadline": future(days=3),
                                                   "questions": [{"kind": "text", "text": "Hva?"}]}),
        ("dialogue_api.AnswerCorrection", "POST"): ("post", f"/api/v1/answers/{o['answer']}/correction",
                                                    w.officer_token, {"text": "Rettet svar"}),
        ("dialogue_api.QuestionnaireDetail", "PATCH"): ("patch", f"/api/v1/questionnaires/{o['draft']}",
                                                        w.officer_token, {"title": "Etter frysing", "version": 1}),
        ("dialogue_api.QuestionnaireOpen", "POST"): ("post", f"/api/v1/questionnaires/{o['draft']}/open",
                                                     w.officer_token, {}),
        ("dialogue_api.OwnResponse", "PUT"): ("put", f"/api/v1/questionnaires/{q['id']}/response", w.a,
                                              answer_body(q, "Etter frysing")),
        ("dialogue_api.ResponseAttachments", "POST"): ("post", f"/api/v1/questionnaires/{q['id']}/response/attachments",
                                                       w.a, {"question_id": q["questions"][3]["id"],
                                                             "file": (io.BytesIO(b"x\n"), "x.txt")}),
        ("dialogue_api.MeetingSlots", "POST"): ("post", f"/api/v1/procurements/{p}/meeting-slots", w.officer_token,
                                                round_body),
        ("dialogue_api.MeetingRoundOpen", "POST"): ("post", f"/api/v1/meeting-rounds/{o['closed']}/open",
                                                    w.officer_token, {}),
        ("dialogue_api.Booking", "POST"): ("post", f"/api/v1/meeting-slots/{o['slot_free']}/booking", w.b, {}),
        ("dialogue_api.Booking", "DELETE"): ("delete", f"/api/v1/meeting-slots/{o['slot_a']}/booking", w.a, {}),
        ("dialogue_api.BookingCancellation", "POST"): (
            "post", f"/api/v1/meeting-slots/{o['slot_a']}/booking/cancellation", w.officer_token, {}),
        ("dialogue_api.MeetingMinutes", "PUT"): ("put", f"/api/v1/meeting-slots/{o['slot_a']}/minutes",
                                                 w.officer_token, {"minutes": "Referat"}),
    }


def _form_cases(w, o) -> dict[tuple[str, str], tuple[object, str, dict]]:
    g = f"/t/baerum/procurements/{w.pid}/dialogue"
    s = f"/supplier/dialogues/{w.pid}"
    q = o["q"]

    def later(**delta) -> str:
        return local_input(utcnow() + timedelta(**delta))

    return {
        ("dialogue.save_invitation", "POST"): (w.officer, f"{g}/invitation", {"text": "Ny"}),
        ("dialogue.open_dialogue", "POST"): (w.officer, f"{g}/open", {}),
        ("dialogue.save_conference", "POST"): (w.officer, f"{g}/conference", {
            "starts_at": later(days=10), "ends_at": later(days=10, hours=2), "place": "Rådhus"}),
        ("dialogue.publish_minutes", "POST"): (w.officer, f"{g}/conference/minutes", {"minutes": "Referat"}),
        ("dialogue.add_presentation", "POST"): (w.officer, f"{g}/conference/presentations",
                                                {"file": (io.BytesIO(b"x\n"), "x.txt")}),
        ("dialogue.remove_presentation", "POST"): (
            w.officer, f"{g}/conference/presentations/{o['presentation']}/remove", {}),
        ("dialogue.answer", "POST"): (w.officer, f"{g}/questions/{o['question']}", {"text": "Svar"}),
        ("dialogue.correct_answer", "POST"): (w.officer, f"{g}/answers/{o['answer']}/correct", {"text": "Rettet"}),
        ("dialogue.create_questionnaire", "POST"): (w.officer, f"{g}/questionnaires", {
            "title": "Ny", "deadline": later(days=3), **builder_fields({"text": "Hva?"})}),
        ("dialogue.open_questionnaire", "POST"): (w.officer, f"{g}/questionnaires/{o['draft']}/open", {}),
        ("dialogue.edit_questionnaire", "POST"): (w.officer, f"{g}/questionnaires/{o['draft']}/edit", {
            "title": "Etter frysing", "deadline": later(days=4), **builder_fields({"text": "Hva?"}),
            "version": "1"}),
        ("dialogue.move_deadline", "POST"): (w.officer, f"{g}/questionnaires/{q['id']}/deadline",
                                             {"deadline": later(days=5)}),
        ("dialogue.create_round", "POST"): (w.officer, f"{g}/meetings", {
            "title": "Ny", "slot_minutes": "30", "first_start": later(days=20), "count": "2", "gap_minutes": "0",
            "cutoff": later(days=19)}),
        ("dialogue.open_round", "POST"): (w.officer, f"{g}/meetings/rounds/{o['closed']}/open", {}),
        ("dialogue.allow_bookings", "POST"): (w.officer, f"{g}/meetings/rounds/{o['round']}/allow",
                                              {"bookings_per_supplier": "2"}),
        ("dialogue.cancel_booking", "POST"): (w.officer, f"{g}/meetings/{o['slot_a']}/cancel", {"reason": "x"}),
        ("dialogue.write_minutes", "POST"): (w.officer, f"{g}/meetings/{o['slot_a']}/minutes", {"minutes": "Referat"}),
        ("supplier_dialogue.register", "POST"): (w.c_user, f"{s}/register", {}),
        ("supplier_dialogue.conference_page", "POST"): (w.a_user, f"{s}/conference", {"attendees": "1"}),
        ("supplier_dialogue.questions_page", "POST"): (w.a_user, f"{s}/questions", {"text": "Nytt?"}),
        ("supplier_dialogue.response_page", "POST"): (w.a_user, f"{s}/questionnaires/{q['id']}", {
            f"q-{q['questions'][0]['id']}": "Etter frysing", "action": "submit"}),
        ("supplier_dialogue.book", "POST"): (w.b_user, f"{s}/meetings/{o['slot_free']}/book", {}),
        ("supplier_dialogue.cancel", "POST"): (w.a_user, f"{s}/meetings/{o['slot_a']}/cancel", {}),
    }


def _fingerprint(w) -> dict:
    """Row counts and change stamps of every dialogue table (anything written would show)."""
    from core.dialogue import models

    tables = [models.DialogueInvitation, models.DialogueRegistration, models.DialogueConference,
              models.DialogueAttachment, models.DialogueAnswer, models.DialogueQuestion, models.Questionnaire,
              models.QuestionnaireQuestion, models.QuestionnaireResponse, models.ResponseAnswer,
              models.MeetingRound, models.MeetingSlot, models.MeetingBooking]
    with w.app.app_context(), isolation.system_scope():
        counts = {m.__tablename__: db.session.execute(select(func.count()).select_from(m)).scalar_one()
                  for m in tables}
        stamps = {
            "published_answers": db.session.execute(
                select(models.DialogueAnswer.text, models.DialogueAnswer.corrected_at)
                .order_by(models.DialogueAnswer.id)).all(),
            "conference": db.session.execute(select(models.DialogueConference.version,
                                                    models.DialogueConference.minutes)).all(),
            "responses": db.session.execute(select(models.QuestionnaireResponse.version)).all(),
            "answers": sorted(str(v) for v in db.session.execute(select(models.ResponseAnswer.value)).scalars()),
            "slots": db.session.execute(select(models.MeetingSlot.is_booked).order_by(models.MeetingSlot.id)).all(),
            "rounds": db.session.execute(
                select(models.MeetingRound.opened_at, models.MeetingRound.bookings_per_supplier)
                .order_by(models.MeetingRound.id)).all(),
            "questionnaires": db.session.execute(select(models.Questionnaire.opened_at, models.Questionnaire.deadline,
                                                        models.Questionnaire.title, models.Questionnaire.version)
                                                 .order_by(models.Questionnaire.id)).all(),
        }
    return {"counts": counts, **stamps}


def _write_rules(app) -> set[tuple[str, str]]:
    found = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("dialogue_api.", "dialogue.", "supplier_dialogue.")):
            for method in rule.methods & {"POST", "PUT", "PATCH", "DELETE"}:
                found.add((rule.endpoint, method))
    return found


def test_after_the_freeze_every_dialogue_write_is_refused(open_world):
    w = open_world
    objects = _setup(w)
    api_cases, form_cases = _api_cases(w, objects), _form_cases(w, objects)
    missing = _write_rules(w.app) - set(api_cases) - set(form_cases)
    assert not missing, f"write routes without a freeze case: {sorted(missing)}"
    w.set_phase("competition")
    before = _fingerprint(w)
    for key, (method, path, token, body) in api_cases.items():
        if key[0] in ("dialogue_api.ResponseAttachments", "dialogue_api.ConferencePresentations"):
            response = w.api(method, path, token, data=body, content_type="multipart/form-data")
        else:
            response = w.api(method, path, token, json=body)
        assert response.status_code == 409, (key, response.status_code, response.get_data(as_text=True)[:300])
        assert response.json["type"].endswith("/frozen"), (key, response.json)
    for key, (user, path, data) in form_cases.items():
        w.login(user)
        response = w.client.post(path, data=data, content_type="multipart/form-data")
        assert response.status_code == 409, (key, response.status_code, response.get_data(as_text=True)[:300])
    assert _fingerprint(w) == before
    # Reading goes on: the suppliers still see their own response and the published record.
    assert w.api("get", f"/api/v1/questionnaires/{objects['q']['id']}/response", w.a).json["status"] == "submitted"
    assert w.api("get", f"/api/v1/procurements/{w.pid}/conference", w.b).status_code == 200


def test_frozen_dialogue_leaves_the_market_list(open_world):
    w = open_world
    assert w.api("get", "/api/v1/market/dialogues", w.c).json["items"]
    w.set_phase("competition")
    assert w.api("get", "/api/v1/market/dialogues", w.c).json["items"] == []
