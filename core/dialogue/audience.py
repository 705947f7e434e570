"""Who hears about what in a dialogue: the people of registered suppliers, the project group.

Recipient lists are read in system scope on purpose: whom we notify is not something the
acting person may read (a supplier never sees the project group's members, nor the other way
round for supplier staff), yet the rules require that everyone gets the same news.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from core import isolation
from core.db import db
from core.dialogue.models import DialogueRegistration
from core.identity.models import User
from core.notifications.service import Recipient
from core.procurement.models import ProjectMember, ProjectRole
from core.suppliers.models import SupplierMember


def registered_supplier_people(procurement_id: uuid.UUID, supplier_id: uuid.UUID | None = None) -> list[Recipient]:
    """Every active person of every registered supplier (or of one supplier)."""
    stmt = (select(User.email, User.locale)
            .join(SupplierMember, SupplierMember.user_id == User.id)
            .join(DialogueRegistration, DialogueRegistration.supplier_id == SupplierMember.supplier_id)
            .where(DialogueRegistration.procurement_id == procurement_id, User.is_active.is_(True))
            .order_by(User.email))
    if supplier_id is not None:
        stmt = stmt.where(SupplierMember.supplier_id == supplier_id)
    with isolation.system_scope():
        return [Recipient(email, locale) for email, locale in db.session.execute(stmt).all()]


def project_group_people(procurement_id: uuid.UUID,
                         roles: tuple[ProjectRole, ...] = (ProjectRole.lead, ProjectRole.member)) -> list[Recipient]:
    stmt = (select(User.email, User.locale).join(ProjectMember, ProjectMember.user_id == User.id)
            .where(ProjectMember.procurement_id == procurement_id, ProjectMember.role.in_(roles),
                   User.is_active.is_(True)).order_by(User.email))
    with isolation.system_scope():
        return [Recipient(email, locale) for email, locale in db.session.execute(stmt).all()]
