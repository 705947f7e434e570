"""Competition settings and announcing the competition.

- The project group (write access) sets the tender deadline, the question deadline, the opening
  time (never before the tender deadline) and the qualification: exclusion grounds and
  qualification requirements as structured questions (ESPD: the supplier declares yes/no with a
  text; evidence may be asked for later). The procedure comes from the procurement.
- The lead announces (manage access, competition phase): the data key is created, the core gate
  item `core-competition-notice` is met by itself (`gate_checks`, through `samspill_gate_checks`),
  every supplier registered in the dialogue is told, and the competition appears in the market
  and the supplier portal. The dialogue is
  frozen by the phase already (`Procurement.is_frozen_for_dialogue`).
- After the announcement the qualification is fixed; the deadlines may be moved for everyone
  until the tender deadline has passed, and every supplier is told.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from flask_babel import format_datetime
from flask_babel import gettext as _
from sqlalchemy import select

from core import audit
from core.competition import sealing
from core.competition.audience import competition_supplier_people
from core.competition.models import Competition
from core.db import db
from core.deadlines import database_now
from core.dialogue.audience import registered_supplier_people
from core.errors import Conflict, DeadlinePassed, NotFound, ValidationError
from core.i18n import _l
from core.notifications.service import notify
from core.plugin_platform import host as plugin_manager
from core.procurement.access import Action, ProcurementAccess, require
from core.procurement.gates import Deferred
from core.procurement.models import Phase, Procurement
from core.procurement.service import ensure_active

NOTICE_ITEM = "core-competition-notice"
KINDS = ("exclusion", "qualification")
MAX_QUALIFICATION = 100
MAX_TEXT = 2000


def competition_of(procurement_id: uuid.UUID) -> Competition | None:
    return db.session.execute(
        select(Competition).where(Competition.procurement_id == procurement_id)).scalar_one_or_none()


def for_group(procurement_id: uuid.UUID) -> tuple[ProcurementAccess, Competition | None]:
    """The project group reading the competition settings."""
    access = require(procurement_id, Action.read)
    return access, competition_of(procurement_id)


def announced(procurement_id: uuid.UUID) -> Competition:
    """An announced competition (readable by anyone signed in); 404 otherwise."""
    competition = competition_of(procurement_id)
    if competition is None or competition.announced_at is None:
        raise NotFound(_l("No such competition."))
    return competition


def is_announced(procurement_id: uuid.UUID) -> bool:
    return db.session.execute(select(Competition.announced_at).where(
        Competition.procurement_id == procurement_id)).scalar_one_or_none() is not None


def gate_checks(procurement: Procurement) -> Deferred:
    """The core gate item `core-competition-notice`: met once the competition is announced."""
    return Deferred({NOTICE_ITEM: lambda: [] if is_announced(procurement.id)
                     else [_l("Announce the competition on its page.")]})


def clean_qualification(raw: Any) -> list[dict[str, str]]:
    if not isinstance(raw, list) or len(raw) > MAX_QUALIFICATION:
        raise ValidationError(_l("The qualification questions are not valid."),
                              errors={"qualification": [_l("At most %(n)d questions.", n=MAX_QUALIFICATION)]})
    cleaned, keys = [], set()
    for index, item in enumerate(raw):
        kind = str(item.get("kind") or "") if isinstance(item, dict) else ""
        text = str(item.get("text") or "").strip() if isinstance(item, dict) else ""
        key = str(item.get("key") or "").strip() if isinstance(item, dict) else ""
        if kind not in KINDS:
            raise ValidationError(_l("The qualification questions are not valid."),
                                  errors={f"qualification.{index}.kind": [_l("Exclusion ground or qualification "
                                                                              "requirement.")]})
        if not text or len(text) > MAX_TEXT:
            raise ValidationError(_l("The qualification questions are not valid."),
                                  errors={f"qualification.{index}.text": [_l("1-%(max)d characters.",
                                                                              max=MAX_TEXT)]})
        key = key[:40] or f"q{uuid.uuid4().hex[:8]}"
        if key in keys:
            key = f"q{uuid.uuid4().hex[:8]}"
        keys.add(key)
        cleaned.append({"key": key, "kind": kind, "text": text})
    return cleaned


def _check_times(tender: datetime | None, questions: datetime | None, opening: datetime | None,
                 now: datetime) -> None:
    errors: dict[str, list] = {}
    for name, value in (("tender_deadline", tender), ("question_deadline", questions), ("opening_at", opening)):
        if value is not None and value <= now:
            errors.setdefault(name, []).append(_l("Choose a time in the future."))
    if tender and questions and questions > tender:
        errors.setdefault("question_deadline", []).append(_l("The question deadline must be before the "
                                                              "tender deadline."))
    if tender and opening and opening < tender:
        errors.setdefault("opening_at", []).append(_l("The opening time cannot be before the tender deadline."))
    if errors:
        raise ValidationError(_l("The competition's times do not fit together."), errors=errors)


def snapshot(competition: Competition) -> dict[str, Any]:
    return {"tender_deadline": competition.tender_deadline, "question_deadline": competition.question_deadline,
            "opening_at": competition.opening_at, "qualification": competition.qualification}


def save_settings(procurement_id: uuid.UUID, data: dict[str, Any]) -> Competition:
    """Create or change the settings (project group). After the announcement only the deadlines
    move, for everyone, until the tender deadline has passed."""
    access = require(procurement_id, Action.write)
    procurement = access.procurement
    ensure_active(procurement)
    competition = competition_of(procurement_id)
    if competition is None:
        competition = Competition(id=uuid.uuid4(), procurement_id=procurement_id, qualification=[])
        db.session.add(competition)
    now = database_now(db.session)
    if competition.opened_at is not None:
        raise Conflict(_l("The tenders are opened; the competition can no longer be changed."))
    before = snapshot(competition)
    if competition.announced_at is not None:
        if competition.tender_deadline is not None and now >= competition.tender_deadline:
            raise DeadlinePassed(_l("The tender deadline has passed; the competition can no longer be changed."))
        if "qualification" in data and clean_qualification(data["qualification"]) != competition.qualification:
            raise Conflict(_l("The qualification cannot change once the competition is announced."))
    elif "qualification" in data:
        competition.qualification = clean_qualification(data["qualification"])
    for name in ("tender_deadline", "question_deadline", "opening_at"):
        if name in data:
            setattr(competition, name, data[name])
    if competition.announced_at is not None:
        for name in ("tender_deadline", "question_deadline", "opening_at"):
            if getattr(competition, name) is None:
                raise ValidationError(_l("The competition's times do not fit together."),
                                      errors={name: [_l("Required once the competition is announced.")]})
    after = snapshot(competition)
    changed = {k for k, v in after.items() if before[k] != v}
    _check_times(*(after[n] if n in changed else None
                   for n in ("tender_deadline", "question_deadline", "opening_at")), now)
    _check_order(competition)
    competition.updated_by_id = access.principal.user.id
    db.session.flush()
    audit.record("competition.settings_changed", "competition", competition.id,
                 tenant_id=access.acting_tenant_id, procurement_id=procurement_id,
                 changes=audit.diff(before, after))
    if competition.announced_at is not None and changed & {"tender_deadline", "question_deadline", "opening_at"}:
        _tell_moved(procurement, competition)
    return competition


def _check_order(competition: Competition) -> None:
    tender, questions, opening = competition.tender_deadline, competition.question_deadline, competition.opening_at
    errors: dict[str, list] = {}
    if tender and questions and questions > tender:
        errors["question_deadline"] = [_l("The question deadline must be before the tender deadline.")]
    if tender and opening and opening < tender:
        errors["opening_at"] = [_l("The opening time cannot be before the tender deadline.")]
    if errors:
        raise ValidationError(_l("The competition's times do not fit together."), errors=errors)


def _tell_moved(procurement: Procurement, competition: Competition) -> None:
    title = procurement.title
    deadline = competition.tender_deadline
    notify(competition_supplier_people(procurement.id),
           lambda: _("The tender deadline is moved in the competition %(title)s", title=title),
           lambda: _("The project group changed the competition's deadlines in \"%(title)s\". The tender "
                     "deadline is now %(deadline)s. The same applies to every supplier.",
                     title=title, deadline=format_datetime(deadline)))


def announce(procurement_id: uuid.UUID) -> Competition:
    """Announce the competition (the lead, in the competition phase)."""
    access = require(procurement_id, Action.manage)
    procurement = access.procurement
    ensure_active(procurement)
    competition = competition_of(procurement_id)
    if competition is None:
        raise Conflict(_l("Set the competition's deadlines before announcing it."))
    if competition.announced_at is not None:
        raise Conflict(_l("The competition is already announced."))
    if procurement.phase != Phase.competition:
        raise Conflict(_l("Move the procurement to the competition phase before announcing the competition."))
    missing = [n for n in ("tender_deadline", "question_deadline", "opening_at") if getattr(competition, n) is None]
    if missing:
        raise ValidationError(_l("Set the competition's deadlines before announcing it."),
                              errors={n: [_l("Required to announce.")] for n in missing})
    now = database_now(db.session)
    _check_times(competition.tender_deadline, competition.question_deadline, competition.opening_at, now)
    competition.announced_at, competition.announced_by_id = now, access.principal.user.id
    sealing.create_data_key(procurement_id)
    db.session.flush()
    audit.record("competition.announced", "competition", competition.id, tenant_id=access.acting_tenant_id,
                 procurement_id=procurement_id, changes={"after": snapshot(competition)})
    plugin_manager.emit("artefact_published", procurement, artefact_type="competition", artefact=competition)
    title, deadline = procurement.title, competition.tender_deadline
    notify(registered_supplier_people(procurement_id),
           lambda: _("The competition %(title)s is announced", title=title),
           lambda: _("The competition \"%(title)s\", which you took part in the market dialogue of, is announced. "
                     "Tenders are due %(deadline)s. Read it and prepare your tender in the supplier portal.",
                     title=title, deadline=format_datetime(deadline)))
    return competition
