"""Teaches the foundation's isolation matrix the market dialogue's URL variables.

`register(namespace)` is called from tests/foundation/test_isolation_matrix.py. Every factory
returns an object of tenant A's procurement whose dialogue is open, with a registered supplier
that asked two questions (one answered), submitted a response with a file, and booked a meeting.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from core import isolation
from core.db import db, utcnow

SUPPLIER_EMAIL = "post@matrix-supplier.example.no"


def _dialogue(w) -> dict[str, Any]:
    if "_dialogue" in w._values:
        return w._values["_dialogue"]
    import io

    from werkzeug.datastructures import FileStorage

    from core.dialogue import conference, invitation, meetings, questionnaires, questions, registrations, responses
    from core.dialogue.demo import acting_as
    from core.procurement.models import Phase, Procurement
    from core.suppliers import service as suppliers
    from core.suppliers.models import SupplierMember

    pid = uuid.UUID(w["procurement_id"])
    owner_email = "admin@a.example.no"
    with w.app.test_request_context():
        with isolation.system_scope():
            db.session.get(Procurement, pid).phase = Phase.dialogue
            suppliers.create_supplier("915345727", "Matrix Supplier AS", SUPPLIER_EMAIL)
            db.session.commit()
        now = utcnow()
        with acting_as(owner_email):
            invitation.open_dialogue(pid)
            start = now + timedelta(days=5)
            conference.save_conference(pid, {"starts_at": start, "ends_at": start + timedelta(hours=2),
                                             "place": "Rådhus"})
            q = questionnaires.create_questionnaire(pid, title="Q", deadline=now + timedelta(days=3), open_now=True,
                                                    questions=[{"kind": "attachment", "text": "File"}])
            meeting_round = meetings.create_round(pid, title="Round", slot_minutes=30,
                                                  starts=[now + timedelta(days=7)], cutoff=now + timedelta(days=6))
            meetings.open_round(meeting_round.id)
            presentation = conference.add_presentation(pid, FileStorage(io.BytesIO(b"slides\n"), "slides.txt"))
        db.session.commit()
        with acting_as(SUPPLIER_EMAIL):
            registrations.register(pid)
            question = questions.ask(pid, "A question?")
            answered = questions.ask(pid, "Another question?")
            qid = q.questions[0].id
            responses.save_response(q.id, [], submit=True,
                                    uploads={qid: [FileStorage(io.BytesIO(b"proposal\n"), "proposal.txt")]})
            slot = meetings.list_slots(pid).slots[0]
            meetings.book(slot.id)
        db.session.commit()
        with acting_as(owner_email):
            published = questions.answer(answered.id, "A published answer.")
        db.session.commit()
        with isolation.system_scope():
            from core.dialogue.models import DialogueAttachment, QuestionnaireResponse

            response = db.session.execute(db.select(QuestionnaireResponse)).scalar_one()
            attachment = db.session.execute(db.select(DialogueAttachment).where(
                DialogueAttachment.response_id == response.id)).scalar_one()
            member = db.session.execute(db.select(SupplierMember)).scalar_one()
            values = {"question_id": str(question.id), "questionnaire_id": str(q.id), "slot_id": str(slot.id),
                      "round_id": str(meeting_round.id), "file_id": str(attachment.id),
                      "supplier_member_id": str(member.id), "presentation_id": str(presentation.id),
                      "answer_id": str(published.id)}
    w._values["_dialogue"] = values
    return values


def register(namespace: dict[str, Any]) -> None:
    factories, public, skip = namespace["FACTORIES"], namespace["PUBLIC"], namespace["OWNER_CONTROL_SKIP"]
    for name in ("question_id", "questionnaire_id", "slot_id", "round_id", "file_id", "supplier_member_id",
                 "presentation_id", "answer_id"):
        assert name not in factories, f"the URL variable {name} already means something else in the matrix"
        factories[name] = lambda w, name=name: _dialogue(w)[name]
    factories["fmt"] = lambda w: "csv"
    public["supplier.verify_email"] = "the signed, expiring link token is the capability (tests/dialogue)"
    public["supplier.welcome"] = "the signed, expiring link token is the capability (tests/dialogue)"
    skip["dialogue_api.OwnResponse"] = "a supplier's own response: tenant A's admin is no supplier"
    skip["dialogue_api.Conference"] = "404 until a conference is announced (read access: tests/dialogue)"
    for rule in namespace["ALL_RULES"]:
        if rule.endpoint.startswith(("supplier.", "supplier_dialogue.")) and rule.arguments:
            skip[rule.endpoint] = ("a supplier's own page: tenant A's admin is no supplier; supplier isolation "
                                   "is tested in tests/dialogue/test_isolation.py")
