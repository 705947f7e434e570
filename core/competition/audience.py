"""Who hears about the competition: every supplier registered in the dialogue or taking part in
the competition (a tender or a question), and the project group.

Read in system scope on purpose, like the dialogue's recipient lists: whom we notify is not
something the acting person may read, yet everyone must get the same news.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select, union

from core import isolation
from core.competition.models import CompetitionQuestion, Tender
from core.db import db
from core.dialogue.models import DialogueRegistration
from core.identity.models import User
from core.notifications.service import Recipient
from core.suppliers.models import SupplierMember


def competition_supplier_people(procurement_id: uuid.UUID) -> list[Recipient]:
    """Every active person of every supplier registered in the dialogue or in the competition."""
    suppliers = union(
        select(DialogueRegistration.supplier_id).where(DialogueRegistration.procurement_id == procurement_id),
        select(Tender.supplier_id).where(Tender.procurement_id == procurement_id),
        select(CompetitionQuestion.supplier_id).where(CompetitionQuestion.procurement_id == procurement_id),
    ).subquery()
    stmt = (select(User.email, User.locale).join(SupplierMember, SupplierMember.user_id == User.id)
            .where(SupplierMember.supplier_id.in_(select(suppliers.c.supplier_id)), User.is_active.is_(True))
            .order_by(User.email))
    with isolation.system_scope():
        return [Recipient(email, locale) for email, locale in db.session.execute(stmt).all()]
