"""How the library names things for people: who published a template, and a template's parts
(template globals and filters the arena's pages use)."""

from __future__ import annotations

from flask_babel import gettext as _

from core.library.models import TemplateSource
from core.plugin_platform.state import domain_label


def publisher_name(source: TemplateSource, owner_key: str, tenant_name: str | None) -> str:
    """Who published a template from its columns: the municipality (`tenant_name`), a plugin's
    domain name in the reader's language (never its key, e.g. "welfare_tech"), or Samspill."""
    if tenant_name is not None:
        return tenant_name
    if source == TemplateSource.plugin:
        return domain_label(owner_key)  # plugin templates are kept per domain
    return "Samspill" if source == TemplateSource.platform else owner_key


def publisher_of(template) -> str:
    """Who published a template, in the reader's language (`publisher_name`)."""
    owner = template.owner_tenant
    return publisher_name(template.source, template.owner_key, owner.name if owner is not None else None)


def part_labels() -> dict[str | None, str]:
    """The parts of a template (`core.library.diff`) as people call them, translated once
    (None: any other part)."""
    return {"summary": _("summary"), "domain": _("domain"), "procedure": _("procedure"),
            "cpv_codes": _("CPV codes"), "needs": _("needs"), "questionnaire": _("questionnaire"),
            "requirements": _("requirements"), "award_criteria": _("award criteria"),
            "gate_items": _("gate items"), "kpis": _("benefit indicators"), "texts": _("texts"),
            None: _("other parts")}


def template_part(name: str) -> str:
    """A part of a template (`core.library.diff`) as people call it."""
    parts = part_labels()
    return parts.get(name, parts[None])
