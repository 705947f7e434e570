"""Learning transfer: from a package in the arena to a procurement with its whole market dialogue.

`start_from_package` takes one short form (title, estimated value, conference time and place,
response deadline) and creates, in one transaction, the procurement from the template version
(needs, gate items, lineage — `core.library.reuse`) **and** the dialogue the package holds: the
conference with its agenda, the feedback questionnaire with the package's questions, and a
one-to-one round with its agenda. Package content is data: it comes along whatever plugins the
tenant has enabled. The package's domain plugin adds checklist items and domain fields; an admin
may enable it in the same form (`enable_plugin`), anyone else is told it is not enabled.

Texts are chosen for a solo or joint buyer (`core.library.texts.package_text`) and their
placeholders filled from the new procurement. Everything goes through the domain services, so
the usual rules, audit entries and protocol sentences apply.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _

from core.access import require_tenant_role
from core.auth import current_principal
from core.db import utcnow
from core.dialogue import conference as conferences
from core.dialogue import meetings, questionnaires
from core.dialogue.forms import OSLO
from core.dialogue.invitation import fill_placeholders, placeholder_values
from core.errors import Forbidden, ValidationError
from core.i18n import _l, localtime
from core.library import reuse
from core.library import service as library
from core.library.models import TemplateVersion, VersionStatus
from core.library.texts import package_text
from core.plugin_platform import state as plugins
from core.procurement import fields
from core.procurement.models import Procurement
from tenants.models import Tenant, TenantRole

CONFERENCE_HOURS = 3.5          # the package agendas run 09.00–12.30
ONE_TO_ONE_AFTER = timedelta(days=14)
ONE_TO_ONE_MINUTES = 60
ONE_TO_ONE_STARTS = (time(9), time(10), time(11), time(13), time(14), time(15))
QUESTION_KINDS = {"text": "text", "choice": "choice", "multichoice": "multichoice", "attachment": "attachment",
                  "number": "text"}  # the dialogue asks for numbers as text: suppliers explain them


@dataclass(frozen=True)
class PackagePlugin:
    """The domain plugin a package belongs to, and whether the tenant has it."""

    name: str | None        # None: no installed plugin declares the package's domain
    label: str
    enabled: bool
    can_enable: bool        # the signed-in person is the tenant's admin


def package_plugin(tenant_id: uuid.UUID, version: TemplateVersion) -> PackagePlugin | None:
    """None when the package has no domain; else its plugin and the tenant's choice."""
    domain = version.content.get("domain")
    if not domain:
        return None
    name = plugins.plugin_for_domain(domain)
    principal = current_principal()
    return PackagePlugin(name=name, label=plugins.plugin_label(name) if name else domain,
                         enabled=bool(name) and name in plugins.enabled_names(tenant_id),
                         can_enable=bool(name) and principal.has_role(tenant_id, TenantRole.admin))


def _published_version(version_id: uuid.UUID) -> TemplateVersion:
    version = library.get_visible_version(version_id)
    if version.status != VersionStatus.published:
        raise ValidationError(_l("Start from a published version."), errors={"template": [_l("Not published.")]})
    return version


def _check_form(form: dict[str, Any]) -> dict[str, Any]:
    """Every field at once: title, value, conference start and place, response deadline."""
    errors: dict[str, list] = {}
    clean: dict[str, Any] = {"title": (form.get("title") or "").strip()}
    if not clean["title"]:
        errors["title"] = [_l("Give the procurement a title.")]
    try:
        clean["estimated_value_ore"] = fields.parse_kroner(form.get("estimated_value") or "")
        if clean["estimated_value_ore"] is None:
            errors["estimated_value"] = [_l("Write the estimated value in kroner, for example 1 250 000.")]
    except ValidationError as exc:
        errors.update(exc.errors)
    now = utcnow()
    starts = form.get("conference_starts_at")
    if not isinstance(starts, datetime):
        errors["conference_starts_at"] = [_l("Give the date and time of the dialogue conference.")]
    elif starts <= now:
        errors["conference_starts_at"] = [_l("Must be in the future.")]
    clean["conference_place"] = (form.get("conference_place") or "").strip()[:300]
    if not clean["conference_place"]:
        errors["conference_place"] = [_l("Give the place of the conference, or a link to a video meeting.")]
    deadline = form.get("response_deadline")
    if not isinstance(deadline, datetime):
        errors["response_deadline"] = [_l("Give the deadline for feedback and solution proposals.")]
    elif isinstance(starts, datetime) and deadline <= starts:
        errors["response_deadline"] = [_l("The deadline must be after the conference.")]
    if errors:
        raise ValidationError(_l("Some fields are invalid."), errors=errors)
    return {**clean, "conference_starts_at": starts, "response_deadline": deadline}


def _enable_plugin(tenant: Tenant, plugin: PackagePlugin | None) -> None:
    if plugin is None or plugin.name is None or plugin.enabled:
        return
    if not plugin.can_enable:
        raise Forbidden(_l("Only the municipality's administrator can enable a plugin."))
    plugins.set_enabled(tenant, plugin.name, True)


def _questions(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"kind": QUESTION_KINDS.get(q.get("kind"), "text"), "text": q["text"], "help": q.get("help", ""),
             "options": list(q.get("choices") or []), "required": bool(q.get("required")), "source": "template"}
            for q in content.get("questionnaire") or [] if q.get("text")]


def _one_to_one_starts(conference_starts: datetime) -> list[datetime]:
    day = (conference_starts.astimezone(OSLO) + ONE_TO_ONE_AFTER).date()
    while day.weekday() >= 5:  # meetings on a working day
        day += timedelta(days=1)
    return [datetime.combine(day, at, tzinfo=OSLO).astimezone(conference_starts.tzinfo) for at in ONE_TO_ONE_STARTS]


def start_from_package(tenant: Tenant, version_id: uuid.UUID, form: dict[str, Any], *,
                       enable_plugin: bool = False) -> Procurement:
    """A procurement with everything the package holds (see the module docstring)."""
    require_tenant_role(tenant.id, TenantRole.officer)
    version = _published_version(version_id)
    clean = _check_form(form)
    if enable_plugin:
        _enable_plugin(tenant, package_plugin(tenant.id, version))
    content = version.content
    starts, deadline = clean["conference_starts_at"], clean["response_deadline"]
    procurement = reuse.start_procurement(
        tenant, version.id, title=clean["title"], estimated_value_ore=clean["estimated_value_ore"],
        key_dates={"dialogue_conference": starts.astimezone(OSLO).date().isoformat(),
                   "dialogue_responses_due": deadline.astimezone(OSLO).date().isoformat()})
    questions = _questions(content)
    if questions:
        questionnaires.create_questionnaire(
            procurement.id, title=_("Feedback and solution proposals"), deadline=deadline, questions=questions,
            intro=_("We would like your written feedback and solution proposals. Mark any business secrets "
                    "with a reason; they never leave the procurement."))
    values = {**placeholder_values(procurement), "conference_date": localtime(starts)}
    registration_closes = starts - timedelta(days=1)
    conferences.save_conference(procurement.id, {
        "title": _("Dialogue conference"), "starts_at": starts,
        "ends_at": starts + timedelta(hours=CONFERENCE_HOURS), "place": clean["conference_place"],
        "agenda": fill_placeholders(package_text(content, "conference_agenda", joint=False), values),
        "registration_deadline": registration_closes if registration_closes > utcnow() else None})
    slots = _one_to_one_starts(starts)
    meetings.create_round(
        procurement.id, title=_("One-to-one meetings"), slot_minutes=ONE_TO_ONE_MINUTES, starts=slots,
        cutoff=max(slots[0] - timedelta(days=2), utcnow() + timedelta(minutes=1)),
        agenda=fill_placeholders(package_text(content, "one_to_one_agenda", joint=False), values),
        place=clean["conference_place"])
    return procurement
