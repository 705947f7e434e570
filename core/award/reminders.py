"""Reminders of contract options: the buyer's officers and admins are told `remind_days` before
an option's exercise date (once each; `samspill reminders send` runs the hook)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from flask_babel import gettext
from sqlalchemy import select

from core import isolation
from core.award.models import Contract
from core.db import db
from core.identity.models import User
from core.notifications.reminders import Reminder
from core.notifications.service import Recipient
from core.procurement.models import Procurement, ProcurementStatus
from tenants.models import Membership, TenantRole

MAX_CONTRACTS = 2000


def _officers(tenant_id) -> tuple[Recipient, ...]:
    rows = db.session.execute(select(User.email, User.locale).join(Membership, Membership.user_id == User.id).where(
        Membership.tenant_id == tenant_id, Membership.role.in_([TenantRole.officer, TenantRole.admin]),
        User.is_active.is_(True)).order_by(User.email)).all()
    return tuple(Recipient(email, locale) for email, locale in rows)


def option_reminders(now: datetime, horizon: timedelta) -> Iterator[Reminder]:
    """An option whose reminder day (exercise date − remind days) is before `now + horizon` and
    whose exercise date has not passed."""
    until = (now + horizon).date()
    with isolation.system_scope():
        rows = db.session.execute(
            select(Contract, Procurement.title).join(Procurement, Procurement.id == Contract.procurement_id)
            .where(Contract.signed_on.is_not(None), Procurement.status != ProcurementStatus.cancelled)
            .order_by(Contract.created_at).limit(MAX_CONTRACTS)).all()
        for contract, title in rows:
            for index, option in enumerate(contract.options or []):
                exercise_by = date.fromisoformat(option["exercise_by"])
                remind_on = exercise_by - timedelta(days=int(option.get("remind_days", 30)))
                if not (remind_on <= until and now.date() <= exercise_by):
                    continue
                text = option.get("description", "")
                yield Reminder(
                    key=f"contract-option:{contract.id}:{index}:{exercise_by.isoformat()}",
                    recipients=_officers(contract.tenant_id),
                    subject=lambda title=title: gettext("An option in %(title)s is due", title=title),
                    body=lambda title=title, text=text, day=exercise_by: gettext(
                        "The option \"%(option)s\" in the contract of %(title)s must be exercised by %(day)s.",
                        option=text, title=title, day=day.isoformat()))
