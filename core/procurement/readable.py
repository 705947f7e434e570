"""How recorded audit entries read: the "Details" of the printable protocol and the audit log.

The audit log keeps field names, codes, ids and UTC times as they were written (the JSON
protocol and `samspill audit verify` need them). People read them here instead: a label per
field, known values as labels (phase, state, role, procedure, conference place …), times in
Europe/Oslo, amounts in kroner, lists and nested records as text. Ids mean nothing to a reader:
a municipality id is shown as its name, other ids (a template, a supplier's answered questions)
as what they stand for or how many there are. A field nobody gave a label to is shown as
"Other detail", never as a raw key.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from typing import Any

from flask_babel import format_date
from sqlalchemy import select

from core.db import db
from core.i18n import _l, localtime
from core.identity.models import User
from core.plugin_platform.state import plugin_for_domain, plugin_label
from core.procurement.fields import format_kroner
from core.procurement.gates import shown_text
from core.procurement.labels import LABELS
from tenants.models import Tenant

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

DETAIL_KEYS = {
    "state": _l("State"), "text": _l("Item"), "reason": _l("Reason"), "phase": _l("Phase"), "title": _l("Title"),
    "description": _l("Description"), "procedure": _l("Procedure"), "contract_kind": _l("Kind of contract"),
    "estimated_value_ore": _l("Estimated value"), "cpv_codes": _l("CPV codes"), "key_dates": _l("Key dates"),
    "milestones": _l("Milestones"), "domain": _l("Domain"), "extension": _l("Plugin data"), "status": _l("Status"),
    "role": _l("Role"), "tenant": _l("Municipality"), "email": _l("Person"), "priority": _l("Priority"),
    "statement": _l("Need"), "user_group": _l("User group"), "source": _l("Source"), "template": _l("Template"),
    "version": _l("Version"), "template_version": _l("Template version"), "count": _l("Number"),
    "order": _l("Order"), "lead_tenant_id": _l("Lead"), "visibility": _l("Visibility"), "key": _l("Key"),
    "project_members_removed": _l("People removed from the project group"),
    # the market dialogue
    "starts_at": _l("Starts"), "ends_at": _l("Ends"), "place": _l("Place"), "online_link": _l("Online link"),
    "agenda": _l("Agenda"), "capacity": _l("Places"), "registration_deadline": _l("Registration closes"),
    "deadline": _l("Deadline"), "intro": _l("Introduction"), "questions": _l("Questions"),
    "opened_at": _l("Opened"), "dialogue_open": _l("Open to suppliers"), "slot_minutes": _l("Minutes per meeting"),
    "slots": _l("Meeting times"), "slot": _l("Meeting time"), "cutoff": _l("Booking closes"),
    "round": _l("Round"), "supplier": _l("Supplier"), "attendees": _l("Persons"), "askers": _l("Asked by"),
    "published_questions": _l("Published questions"), "questionnaire": _l("Questionnaire"),
    "needs": _l("Needs"), "minutes": _l("Minutes"), "note": _l("Note"), "answer": _l("Answer"),
    "org_number": _l("Organisation number"), "name": _l("Name"), "plugin": _l("Plugin"), "enabled": _l("Enabled"),
    "position": _l("Position"), "bookings_per_supplier": _l("Bookings per supplier"), "secret": _l("Business secret"),
    "value": _l("Answer"), "file": _l("File"), "filename": _l("File"), "corrected_at": _l("Corrected"),
}
# Keys whose values are codes with labels (`core.procurement.labels.LABELS`).
DETAIL_VALUES = {"phase": "phase", "state": "gate_state", "procedure": "procedure", "contract_kind": "contract_kind",
                 "visibility": "visibility", "priority": "priority", "source": "source"}
STATUS_LABELS = {**LABELS["participation_status"], "none": _l("Not signed up"), "confirmed": _l("Confirmed"),
                 "waiting": _l("Waiting list"), "draft": _l("Draft"), "submitted": _l("Submitted"),
                 "published": _l("Published")}
# checksums and ids the protocol shows elsewhere; a KPI's key (its name is recorded beside it)
HIDDEN_KEYS = {"content_hash", "template_id", "extension", "kpi"}
OTHER = _l("Other detail")
OBJECT_TYPES = {
    "procurement": _l("Procurement"), "gate_item": _l("Gate item"), "need": _l("Need"),
    "participation": _l("Participating municipality"), "project_member": _l("Project group"),
    "attachment": _l("File"), "lesson": _l("Lesson learned"), "template": _l("Template"),
    "tenant": _l("Municipality"), "membership": _l("Member"), "invitation": _l("Invitation"),
    "tenant_plugin": _l("Plugin"), "tenant_sign_in": _l("Sign-in settings"), "user": _l("Person"),
    "api_token": _l("API token"), "supplier": _l("Supplier"), "supplier_member": _l("Supplier member"),
    "dialogue_invitation": _l("Dialogue invitation"), "dialogue_registration": _l("Registration"),
    "dialogue_conference": _l("Dialogue conference"), "dialogue_question": _l("Question"),
    "dialogue_answer": _l("Answer"), "dialogue_questionnaire": _l("Questionnaire"),
    "dialogue_response": _l("Response"), "dialogue_meeting_round": _l("One-to-one meetings"),
    "dialogue_meeting_booking": _l("One-to-one meeting"), "dialogue_attachment": _l("File"),
}


def object_label(object_type: str) -> str:
    """What kind of thing an entry is about, in the reader's language."""
    return str(OBJECT_TYPES.get(object_type) or OTHER)


def label_of(key: str) -> str:
    return str(DETAIL_KEYS.get(key) or OTHER)


def _tenant_name(value: str) -> str:
    name = db.session.execute(select(Tenant.name).where(Tenant.id == uuid.UUID(value))).scalar_one_or_none()
    return name or str(_l("A municipality"))


def _person_name(email: str) -> str:
    name = db.session.execute(select(User.name).where(User.email == email)).scalar_one_or_none()
    return name or email


def _text_of(item: dict[str, Any]) -> str:
    for key in ("text", "title", "statement", "name"):
        if item.get(key):
            return value_text(key, item[key])
    return "; ".join(f"{label_of(k)}: {value_text(k, v)}" for k, v in item.items() if v not in (None, "", [], {}))


def value_text(key: str, value: Any) -> str:
    """One recorded value as a person reads it (see the module docstring)."""
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if key == "estimated_value_ore" and isinstance(value, int):
        return f"{format_kroner(value)} NOK"
    if key in DETAIL_VALUES and str(value) in map(str, LABELS[DETAIL_VALUES[key]]):
        return str({str(k): v for k, v in LABELS[DETAIL_VALUES[key]].items()}[str(value)])
    if key == "status" and str(value) in STATUS_LABELS:
        return str(STATUS_LABELS[str(value)])
    if key == "key_dates" and isinstance(value, dict):
        return ", ".join(f"{LABELS['key_date'].get(k, OTHER)}: {value_text('date', v)}" for k, v in value.items())
    if isinstance(value, list):
        if value and all(isinstance(v, str) and UUID_RE.match(v) for v in value):
            return str(len(value))
        return ", ".join(_text_of(v) if isinstance(v, dict) else value_text(key, v) for v in value)
    if isinstance(value, dict):
        return _text_of(value)
    if isinstance(value, str):
        if key == "text":
            return shown_text(value)
        if key == "domain":
            return plugin_label(plugin_for_domain(value) or value)
        if key == "plugin":
            return plugin_label(value)
        if key == "email":
            return _person_name(value)
        if key == "tenant":
            slug_name = db.session.execute(select(Tenant.name).where(Tenant.slug == value)).scalar_one_or_none()
            return slug_name or value
        if UUID_RE.match(value):
            return _tenant_name(value) if key in ("lead_tenant_id", "tenant_id") else str(_l("recorded"))
        if DATETIME_RE.match(value):
            try:
                return localtime(datetime.fromisoformat(value))
            except ValueError:
                return value
        if DATE_RE.match(value):
            return format_date(date.fromisoformat(value), "long")
    return str(value)


def detail_rows(changes: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The recorded `after` values of an entry as (label, text) in the reader's language.

    A supplier's response is recorded per question id: shown as how many questions it answered
    (and how many parts are marked as business secrets), never as ids."""
    rows = []
    after = (changes or {}).get("after") or {}
    roles = "project_role" if "email" in after else "part"  # a person's project role, else a municipality's part
    answered = secret = 0
    for key, value in after.items():
        if UUID_RE.match(key):
            answered += 1
            secret += bool(isinstance(value, dict) and value.get("secret"))
            continue
        if value in (None, "", [], {}) or key in HIDDEN_KEYS or (key == "key" and after.get("text")):
            continue
        if key == "role" and value in LABELS[roles]:
            rows.append((label_of(key), str(LABELS[roles][value])))
        else:
            rows.append((label_of(key), value_text(key, value)))
    if answered:
        rows.append((str(_l("Answered questions")), str(answered)))
    if secret:
        rows.append((str(_l("Marked as business secrets")), str(secret)))
    return rows
