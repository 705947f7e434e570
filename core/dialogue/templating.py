"""What of a dialogue may go into a reusable template: the buyer's own texts and structure.

`template_material(procurement_id)` returns the invitation text (with its placeholders), the
conference agenda, the questionnaires' questions and the one-to-one rounds' agenda and slot
length. It never contains anything a supplier wrote — no questions, responses, business
secrets, attachments or minutes — so a template or share built from it cannot leak them.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from core.db import db
from core.dialogue.invitation import get_invitation
from core.dialogue.models import MeetingRound, Questionnaire
from core.dialogue.registrations import conference_of
from core.dialogue.rules import group_reads


def template_material(procurement_id: uuid.UUID) -> dict[str, Any]:
    group_reads(procurement_id)
    invitation = get_invitation(procurement_id)
    conference = conference_of(procurement_id)
    questionnaires = db.session.execute(select(Questionnaire).where(
        Questionnaire.procurement_id == procurement_id).order_by(Questionnaire.created_at)).scalars().all()
    rounds = db.session.execute(select(MeetingRound).where(
        MeetingRound.procurement_id == procurement_id).order_by(MeetingRound.created_at)).scalars().all()
    return {
        "invitation_text": invitation.raw_text,
        "conference_agenda": conference.agenda if conference else "",
        "questionnaires": [{
            "title": q.title, "intro": q.intro,
            "questions": [{"kind": x.kind.value, "text": x.text, "help": x.help, "options": list(x.options),
                           "required": x.required, "source": x.source} for x in q.questions],
        } for q in questionnaires],
        "one_to_one": [{"title": r.title, "agenda": r.agenda, "slot_minutes": r.slot_minutes} for r in rounds],
    }
