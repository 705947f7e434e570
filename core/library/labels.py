"""How the library names things for people: who published a template, and a template's parts
(template globals and filters the arena's pages use)."""

from __future__ import annotations

from flask_babel import gettext as _

from core.library.models import TemplateSource
from core.plugin_platform.state import domain_label


def publisher_of(template) -> str:
    """Who published a template, in the reader's language: a municipality, a plugin's domain
    name (never its key, e.g. "welfare_tech"), or Samspill."""
    if template.source == TemplateSource.plugin and template.owner_tenant is None:
        return domain_label(template.owner_key)  # plugin templates are kept per domain
    return template.publisher


def template_part(name: str) -> str:
    """A part of a template (`core.library.diff`) as people call it."""
    parts = {"summary": _("summary"), "domain": _("domain"), "procedure": _("procedure"),
             "cpv_codes": _("CPV codes"), "needs": _("needs"), "questionnaire": _("questionnaire"),
             "requirements": _("requirements"), "award_criteria": _("award criteria"),
             "gate_items": _("gate items"), "kpis": _("benefit indicators"), "texts": _("texts")}
    return parts.get(name, _("other parts"))
